// Lab 4's notebook helpers: one request read as the protocol says (a tiny real HTTP server), the
// workload table and verdict, and a real cluster of the solution's nodes through its proxies.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpGet } from '../labs/lab4-kv/kvCall.ts';
import { lab4Kv } from '../labs/lab4-kv/lab.ts';
import { checkLinearizable } from '../labs/lab4-kv/linearizability/checkLinearizable.ts';
import type { KvOperation } from '../labs/lab4-kv/linearizability/kvHistory.ts';
import { reserveFreePorts } from '../labs/lab2-factory/freePorts.ts';
import { solutionNotebookPath } from './buildNotebooks.ts';
import { ask, deadHost, startNodes, type KvNodes } from './kvNotebook.ts';
import { workloadHtml, type SideTally } from './kvWorkload.ts';
import { NotebookLab } from './labNotebook.ts';

let printed: () => string;
beforeEach(() => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  printed = () => log.mock.calls.map((args) => args.join(' ')).join('\n');
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A stand-in node: answers each target with what `answers` says for it (404 otherwise). */
async function tinyServer(answers: Record<string, [number, string]>): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const [status, body] = answers[request.url ?? ''] ?? [404, 'no such target'];
    response.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('ask', () => {
  it('reads KEY=OLD and KEY=NIL, and says what came instead of an answer', async () => {
    const node = await tinyServer({
      '/x=1': [200, 'x=NIL\n'],
      '/x': [200, 'x=1'],
      '/y': [500, 'not committed within 2500 ms (no majority reachable?)'],
      '/z': [200, 'y=2'],
    });
    try {
      expect(await ask(node.port, { kind: 'set', key: 'x', value: '1' })).toEqual({ ok: true, old: null });
      expect(await ask(node.port, { kind: 'get', key: 'x' })).toEqual({ ok: true, old: '1' });
      expect(await ask(node.port, { kind: 'get', key: 'y' })).toEqual({ ok: false, why: 'HTTP 500 not committed within 2500 ms (no majority reachable?)' });
      expect(await ask(node.port, { kind: 'get', key: 'z' })).toEqual({ ok: false, why: 'HTTP 200, but the body "y=2" does not start with "z="' });
    } finally {
      await node.close();
    }
    const [closed = 1] = await reserveFreePorts(1);
    expect(await ask(closed, { kind: 'get', key: 'x' })).toEqual({ ok: false, why: `no answer: connect ECONNREFUSED 127.0.0.1:${closed}` });
  });
});

describe('workloadHtml', () => {
  const tally = (side: number[], majority: boolean, answered: number, refused: number, firstRefusal?: string): SideTally =>
    ({ side, majority, clients: side.map((id) => `c${id}`), answered, refused, unanswered: 0, ...(firstRefusal ? { firstRefusal } : {}) });

  it('shows a row per phase and side, and the verdict on a linearizable history', () => {
    const history: KvOperation[] = [
      { id: 0, client: 'c0', key: 'k', kind: 'set', value: 'a', invokedUs: 0, completedUs: 10, result: null },
      { id: 1, client: 'c1', key: 'k', kind: 'get', invokedUs: 20, completedUs: 30, result: 'a' },
    ];
    const html = workloadHtml([
      { label: 'no fault', sides: [tally([0, 1, 2], true, 2, 0)] },
      { label: '1 | 2', sides: [tally([0], false, 0, 3, 'HTTP 500 not committed'), tally([1, 2], true, 5, 0)] },
    ], history, checkLinearizable(history));
    expect(html).toContain('<tr data-phase="0" data-side="0,1,2" data-majority="true" data-answered="2" data-refused="0" data-unanswered="0"><td>no fault</td><td>all 3 nodes</td>');
    expect(html).toContain('<tr data-phase="1" data-side="0" data-majority="false" data-answered="0" data-refused="3" data-unanswered="0"><td>1 | 2</td><td>node 0 (minority)</td><td>c0</td><td>0</td><td>3</td><td>0</td><td>HTTP 500 not committed</td></tr>');
    expect(html).toContain('<td>nodes 1,2 (majority)</td>');
    expect(html).toContain('<p data-linearizable="yes">Linearizable: the 2 requests (2 answered) on 1 keys fit one order');
  });

  it('lists and draws the operations of a violation', () => {
    const history: KvOperation[] = [
      { id: 0, client: 'c0', key: 'k', kind: 'set', value: 'a', invokedUs: 0, completedUs: 10, result: null },
      { id: 1, client: 'c1', key: 'k', kind: 'get', invokedUs: 20, completedUs: 30, result: null }, // after the set: a stale read
    ];
    const html = workloadHtml([{ label: 'no fault', sides: [tally([0, 1], true, 2, 0)] }], history, checkLinearizable(history));
    expect(html).toContain('<p data-linearizable="no"');
    expect(html).toContain('c0: set k=a → NIL  (sent 0.000 s, answered 0.000 s)');
    expect(html).toContain('c1: get k → NIL');
    expect(html).toMatch(/<div data-violation="svg"><svg[\s\S]*<\/svg><\/div>$/);
  });
});

describe('startNodes', () => {
  const lab = new NotebookLab(lab4Kv, solutionNotebookPath(lab4Kv));

  it("runs the solution's nodes in their folders: same answers everywhere, a leader, a refusing minority, a leader of its own on the majority side, the client past a dead host and a killed node; all stopped at the end", async () => {
    let hosts: string[] = [];
    await lab.experiment(async (run) => {
      const nodes: KvNodes = await startNodes(run, 3);
      hosts = nodes.ids.map((id) => nodes.host(id));
      expect(await nodes.set(1, 'k', 'v1')).toEqual({ ok: true, old: null });
      for (const id of nodes.ids) expect(await nodes.get(id, 'k')).toEqual({ ok: true, old: 'v1' });
      const leader = await nodes.leader();
      expect(leader).toBeDefined();
      const others = nodes.ids.filter((id) => id !== leader);
      nodes.partition([[leader as number], others]);
      const refused = await nodes.get(leader as number, 'k');
      expect(refused.ok).toBe(false);
      expect(refused.ok ? '' : refused.why).toMatch(/^HTTP 500 /);
      const next = await nodes.leader(); // the majority elects a leader of its own, which answers
      expect(others).toContain(next);
      expect(await nodes.waitForAnswer(next as number)).toBe(true);
      nodes.heal();
      await nodes.kill(next as number);
      expect(await nodes.client([await deadHost(), ...nodes.ids], 'k')).toEqual({ code: 0, signal: null });
    }, { timeLimitMs: 60_000 });
    const text = printed();
    expect(text).toMatch(/^node0: cd nodes\/node0 && \.\.\/\.\.\/kvServer\.ts {3}\(servers\.txt: 127\.0\.0\.1:0, 127\.0\.0\.1:\d+ \(→ node 1\), 127\.0\.0\.1:\d+ \(→ node 2\)\)$/m);
    expect(text).toMatch(/^a get through node 0 was answered after \d+\.\d s$/m);
    expect(text).toMatch(/^set k=v1 via node 1 → k=NIL \(\d+ ms\)$/m);
    expect(text).toMatch(/^leader: node \d \(it sent the most to its peers in the last second\)$/m);
    expect(text).toMatch(/^partition: \d \| \d,\d \(the links between the sides hold every byte\)$/m);
    expect(text).toMatch(/^client1\| k=v1$/m);
    for (const host of hosts) {  // the proxies are closed with the experiment
      const outcome = await httpGet(Number(host.split(':')[1]), '/k', 2000);
      expect(outcome).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/ECONNREFUSED/) as string });
    }
  }, 90_000);
});
