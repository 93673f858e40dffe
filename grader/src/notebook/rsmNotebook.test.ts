import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../starter/lab3-rsm/config.ts';
import { reserveFreePorts } from '../labs/lab2-factory/freePorts.ts';
import { configText, replicasHtml, rpc, showReplicas, waitForMaster, waitForSeq, type ReplicaView } from './rsmNotebook.ts';

/** A stand-in replica: answers `members` and `dump` from `view`, which a test may change; anything else NOT_MASTER. */
interface FakeReplica {
  port: number;
  view: { master: number | null; replicas: number[]; seq: number; state: Record<string, string>; clients: Record<string, unknown> };
  close(): Promise<void>;
}

const replicas: FakeReplica[] = [];
afterEach(async () => {
  await Promise.all(replicas.splice(0).map((replica) => replica.close()));
  vi.restoreAllMocks();
});

async function fakeReplica(view: FakeReplica['view']): Promise<FakeReplica> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      for (const line of text.split('\n').filter(Boolean)) {
        const { id, method } = JSON.parse(line) as { id: number; method: string };
        const { master, replicas: list, seq, state, clients } = replica.view;
        const reply = method === 'members' ? { id, ok: true, result: { master, replicas: list } }
          : method === 'dump' ? { id, ok: true, result: { seq, state, clients } }
            : { id, ok: false, error: 'NOT_MASTER', message: 'ask replica 0', result: { master: 0 } };
        socket.write(`${JSON.stringify(reply)}\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const replica: FakeReplica = {
    port: (server.address() as net.AddressInfo).port,
    view,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
  replicas.push(replica);
  return replica;
}

/** What the helper printed (outside a kernel, showHtml prints the HTML too). */
function printed(): () => string {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  return () => log.mock.calls.map((args) => args.join(' ')).join('\n');
}

const view = (seq: number, state: Record<string, string> = {}): ReplicaView => ({
  master: 0, replicas: [0, 1, 2], seq, state, clients: { '1.0.6a4d405d': { clientSeq: 4, result: 'OK' } }, digest: `d${seq}`,
});

describe('configText', () => {
  it('lists replica ID on ports[ID] of this machine, one `ID HOST PORT` line each, as the given config parser reads it', () => {
    const text = configText([7001, 7002, 7003]);
    expect(text).toBe('0 127.0.0.1 7001\n1 127.0.0.1 7002\n2 127.0.0.1 7003\n');
    expect(parseConfig(text)).toEqual([7001, 7002, 7003].map((port, id) => ({ id, host: '127.0.0.1', port })));
  });
});

describe('replicasHtml', () => {
  it('says the replicas agree when every one that answered has the same digest, and shows who did not answer', () => {
    const html = replicasHtml([7001, 7002, 7003], [{ ok: true, value: view(5) }, { ok: true, value: view(5) }, { ok: false, why: 'members: connect ECONNREFUSED' }]);
    expect(html).toContain('<p data-verdict="identical">Replicas 0, 1 answered identical dumps');
    expect(html).toContain('<tr data-replica="0" data-master="0" data-replicas="0,1,2" data-seq="5" data-locks="0" data-clients="1" data-digest="d5">');
    expect(html).toContain('<tr data-replica="2" data-down="true"><td>2</td><td>7003</td><td colspan="6"><i>no answer: members: connect ECONNREFUSED</i>');
    expect(html).toContain('<td>none</td>');
  });

  it('flags differing dumps and lists the locks held', () => {
    const html = replicasHtml([1, 2], [{ ok: true, value: view(5, { s0: '2.1' }) }, { ok: true, value: view(4) }]);
    expect(html).toMatch(/^<p data-verdict="differ"[^>]*><b>The dumps of replicas 0, 1 differ<\/b>/);
    expect(html).toContain('data-locks="1"');
    expect(html).toContain('<td>s0 → 2.1</td>');
  });

  it('says so when one replica or none answered', () => {
    expect(replicasHtml([1, 2], [{ ok: true, value: view(5) }, { ok: false, why: 'x' }])).toMatch(/^<p data-verdict="one">Only replica 0 answered/);
    expect(replicasHtml([1], [{ ok: false, why: 'x' }])).toMatch(/^<p data-verdict="none">/);
  });
});

describe('showReplicas, rpc, waitForSeq and waitForMaster against replicas on the wire', () => {
  it('show equal dumps with equal digests, and a replica that does not listen as down', async () => {
    const state = { s1: '1.2' };
    const a = await fakeReplica({ master: 0, replicas: [0, 1, 2], seq: 9, state, clients: {} });
    const b = await fakeReplica({ master: 0, replicas: [0, 1, 2], seq: 9, state, clients: {} });
    const [deadPort = 1] = await reserveFreePorts(1);
    const output = printed();
    await showReplicas([a.port, b.port, deadPort]);
    const html = output();
    expect(html).toContain('data-verdict="identical"');
    const digests = [...html.matchAll(/data-digest="(\w+)"/g)].map((match) => match[1]);
    expect(digests).toHaveLength(2);
    expect(digests[0]).toBe(digests[1]);
    expect(html).toContain('<tr data-replica="2" data-down="true">');
  });

  it('rpc prints the request and the reply', async () => {
    const a = await fakeReplica({ master: 0, replicas: [0], seq: 0, state: {}, clients: {} });
    const output = printed();
    await rpc([a.port], 0, 'invoke', { client: 'me' });
    expect(output()).toBe('to replica 0: {"id":1,"method":"invoke","args":{"client":"me"}}\n'
      + 'reply: {"id":1,"ok":false,"result":{"master":0},"error":"NOT_MASTER","message":"ask replica 0"}');
  });

  it('waitForSeq resolves true once the seq is reached, and false when the testers end first', async () => {
    const a = await fakeReplica({ master: 0, replicas: [0], seq: 3, state: {}, clients: {} });
    const output = printed();
    setTimeout(() => {
      a.view.seq = 12;
    }, 200);
    await expect(waitForSeq([a.port], 0, 10)).resolves.toBe(true);
    expect(output()).toMatch(/^replica 0 has executed seq 10, after \d+\.\d s \(seq 12, master 0\)$/);
    await expect(waitForSeq([a.port], 0, 100, { whileRunning: Promise.resolve() })).resolves.toBe(false);
    expect(output()).toMatch(/\nthe testers ended before replica 0 has executed seq 100 \(seq 12, master 0\)$/);
  });

  it('waitForMaster resolves true once the replica names the master, and false when it stops answering', async () => {
    const a = await fakeReplica({ master: 0, replicas: [0, 1], seq: 3, state: {}, clients: {} });
    const output = printed();
    setTimeout(() => {
      a.view.master = 1;
    }, 200);
    await expect(waitForMaster([0, a.port], 1, 1)).resolves.toBe(true);
    expect(output()).toMatch(/^replica 1 names replica 1 as master, after \d+\.\d s/);
    await a.close();
    await expect(waitForMaster([0, a.port], 1, 0)).resolves.toBe(false);
    expect(output()).toMatch(/\nstopped waiting until replica 1 names replica 0 as master: members: /);
    expect(() => waitForMaster([0], 1, 1)).toThrow('there is no replica 1: the replicas are 0 to 0');
  });
});
