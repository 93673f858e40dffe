// The grader's recorded calls and its workload over real HTTP, judged by the checker: a toy store that keeps one
// copy is linearizable; one that writes to one copy and reads another is caught.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { recordCall } from './kvCall.ts';
import { formatBody, parseTarget, type KvRequest } from './kvProtocol.ts';
import { checkLinearizable } from './linearizability/checkLinearizable.ts';
import type { KvOperation } from './linearizability/kvHistory.ts';
import { startWorkload } from './workload.ts';
import { createRng } from '../../harness/rng.ts';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** A store over HTTP: sets go to `writes`, gets read `reads` (the same map for a correct store). */
async function toyStore(writes: Map<string, string>, reads: Map<string, string>): Promise<number> {
  const server = http.createServer((request, response) => {
    const parsed = parseTarget(request.url ?? '');
    if ('problem' in parsed) return void response.writeHead(400).end(`${parsed.problem}\n`);
    const old = (parsed.kind === 'set' ? writes : reads).get(parsed.key) ?? null;
    if (parsed.kind === 'set') writes.set(parsed.key, parsed.value);
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end(formatBody(parsed.key, old));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Three clients, one request at a time each, on two keys. */
async function workload(port: number): Promise<KvOperation[]> {
  const history: KvOperation[] = [];
  let id = 0;
  await Promise.all(['c1', 'c2', 'c3'].map(async (client) => {
    for (let round = 0; round < 30; round++) {
      const key = `k${round % 2}`;
      const request: KvRequest = round % 3 === 0 ? { kind: 'set', key, value: `${client}-${round}` } : { kind: 'get', key };
      history.push((await recordCall(id++, client, port, request, 2000)).op);
    }
  }));
  return history;
}

describe('recordCall', () => {
  it('records answers, and a correct store is judged linearizable', async () => {
    const store = new Map<string, string>();
    const history = await workload(await toyStore(store, store));
    expect(history).toHaveLength(90);
    expect(history.every((op) => op.completedUs !== undefined && op.completedUs >= op.invokedUs)).toBe(true);
    expect(checkLinearizable(history).kind).toBe('linearizable');
  });

  it('catches a store whose reads do not see its writes', async () => {
    const history = await workload(await toyStore(new Map(), new Map()));
    const verdict = checkLinearizable(history);
    expect(verdict.kind).toBe('violation');
  });

  it('leaves a refused request and a 400 without an answer', async () => {
    const port = await toyStore(new Map(), new Map());
    const refused = await recordCall(1, 'c', 1, { kind: 'get', key: 'k' }, 1000);
    expect(refused.outcome.kind).toBe('failed');
    expect(refused.op.completedUs).toBeUndefined();
    const tooLong = await recordCall(2, 'c', port, { kind: 'get', key: 'k'.repeat(200) }, 1000);
    expect(tooLong.outcome).toMatchObject({ kind: 'answer', status: 400 });
    expect(tooLong.op.result).toBeUndefined();
  });
});

describe('startWorkload', () => {
  it('runs pinned clients until stopped, with unique set values, and fails over past a dead port', async () => {
    const store = new Map<string, string>();
    const port = await toyStore(store, store);
    const clients = [
      { name: 'a', ports: () => [1, port], keys: ['k1', 'k2'] }, // port 1 refuses: the first request fails over
      { name: 'b', ports: () => [port], keys: ['k1', 'k2'] },
      { name: 'c', ports: () => [port], keys: ['k3'] },
    ];
    const workload = startWorkload({ clients, setFraction: 0.5, timeoutMs: 1000, pauseMs: 1, rng: createRng(7) });
    for (let waited = 0; workload.history.length < 60 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await workload.stop();
    const { history } = workload;
    expect(history.length).toBeGreaterThanOrEqual(60);
    expect(history.filter((op) => op.result === undefined).map((op) => op.client)).toEqual(['a']);
    const values = history.filter((op) => op.kind === 'set').map((op) => op.value);
    expect(new Set(values).size).toBe(values.length);
    expect(history.filter((op) => op.client === 'c').every((op) => op.key === 'k3')).toBe(true);
    expect(checkLinearizable(history).kind).toBe('linearizable');
  });
});
