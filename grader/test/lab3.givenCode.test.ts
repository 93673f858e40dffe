// Lab 3's given code (starter/lab3-rsm: rpc, config, heartbeat, lock service, lock client) over real
// loopback TCP, the starter's programs answering "not implemented", and a short run of the solution.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, readConfig } from '../../starter/lab3-rsm/config.ts';
import { Heartbeat } from '../../starter/lab3-rsm/heartbeat.ts';
import { LockClient, type Invoker } from '../../starter/lab3-rsm/lockClient.ts';
import { LockService } from '../../starter/lab3-rsm/lockService.ts';
import { RemoteError, RpcClient, RpcServer, Timeout, Unreachable, type Handler } from '../../starter/lab3-rsm/rpc.ts';
import { testerMicros } from '../src/labs/lab3-rsm/bench/lockBenchCluster.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const cleanups: (() => void)[] = []; // run after each test, whatever happened
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** An RpcServer with `handlers`, listening on a port chosen by the OS; closed after the test. */
async function rpcServer(handlers: Record<string, Handler>): Promise<{ server: RpcServer; port: number }> {
  const server = new RpcServer();
  for (const [method, handler] of Object.entries(handlers)) server.handle(method, handler);
  const port = await server.listen(0);
  cleanups.push(() => server.close());
  return { server, port };
}

function client(port: number): RpcClient {
  const rpc = new RpcClient('127.0.0.1', port, 'the test server');
  cleanups.push(() => rpc.close());
  return rpc;
}

/** A raw connection, as a client in another language would open one; resolves with every reply line. */
async function rawConnection(port: number): Promise<{ socket: Socket; replies: () => unknown[] }> {
  const socket = createConnection({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  cleanups.push(() => socket.destroy());
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const replies = (): unknown[] => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
  return { socket, replies };
}

/** Ports nobody listens on right now: bound on port 0 all at once, then released. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer().listen(0, '127.0.0.1');
      await once(server, 'listening');
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

describe('rpc', () => {
  it('answers pipelined calls on one connection, each with its own result, in the order they finish', async () => {
    let connections = 0;
    const { server, port } = await rpcServer({ echo: async (args) => (await sleep(Number(args.delay)), args.n) });
    // count the connections through the underlying server's events
    (server as unknown as { server: import('node:net').Server }).server.on('connection', () => connections++);
    const rpc = client(port);
    const finished: number[] = [];
    const calls = Array.from({ length: 20 }, (_, n) => rpc.call('echo', { n, delay: (20 - n) * 3 }).then((result) => (finished.push(n), result)));
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(finished[0]).toBe(19); // the shortest handler answered first
    expect(connections).toBe(1);
  });

  it('speaks the documented wire format to a raw client: ids, results, error codes', async () => {
    const { port } = await rpcServer({
      add: (args) => Number(args.a) + Number(args.b),
      nothing: () => undefined,
      refuse: () => {
        throw new RemoteError('NOT_MASTER', 'ask replica 1', { master: 1 });
      },
      crash: () => {
        throw new Error('boom');
      },
    });
    const { socket, replies } = await rawConnection(port);
    socket.write('{"id": 7, "method": "add", "args": {"a": 2, "b": 3}}\n{"id": 8, "method": "nothing", "args": {}}\n{"id": 9, "met');
    await sleep(20);
    socket.write('hod": "refuse", "args": {}}\n{"id": 10, "method": "crash", "args": {}}\n{"id": 11, "method": "nope", "args": {}}\nnot json\n');
    await until(() => replies().length === 6, 'six replies');
    const byId = (id: unknown) => replies().find((reply) => (reply as { id: unknown }).id === id);
    expect(byId(7)).toEqual({ id: 7, ok: true, result: 5 });
    expect(byId(8)).toEqual({ id: 8, ok: true, result: null });
    expect(byId(9)).toEqual({ id: 9, ok: false, error: 'NOT_MASTER', message: 'ask replica 1', result: { master: 1 } });
    expect(byId(10)).toEqual({ id: 10, ok: false, error: 'INTERNAL', message: 'boom' });
    expect(byId(11)).toMatchObject({ id: 11, ok: false, error: 'NO_SUCH_METHOD' });
    expect(byId(null)).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  });

  it('rejects with RemoteError carrying the code, message and result of an error reply', async () => {
    const { port } = await rpcServer({
      behind: () => {
        throw new RemoteError('OUT_OF_ORDER', 'expected seq 3', { last: 2 });
      },
    });
    const error = await client(port).call('behind', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: 'OUT_OF_ORDER', message: 'expected seq 3', result: { last: 2 } });
  });

  it('rejects with Timeout when no reply comes in time, and ignores the late reply', async () => {
    const { port } = await rpcServer({ slow: async () => (await sleep(150), 'late'), fast: () => 'fast' });
    const rpc = client(port);
    const started = Date.now();
    const error = await rpc.call('slow', {}, 50).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Timeout);
    expect((error as Timeout).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(140);
    await sleep(150); // the late reply arrives and is dropped
    expect(await rpc.call('fast', {})).toBe('fast');
  });

  it('rejects with Unreachable when nobody listens, and when the connection breaks mid-call', async () => {
    const [port] = await freePorts(1);
    const nobody = await client(port as number).call('ping', {}).catch((caught: unknown) => caught);
    expect(nobody).toBeInstanceOf(Unreachable);
    expect((nobody as Unreachable).message).toContain('ECONNREFUSED');

    const { server, port: live } = await rpcServer({ hang: () => new Promise(() => undefined), ok: () => 'ok' });
    const rpc = client(live);
    const hanging = rpc.call('hang', {}, 5000).catch((caught: unknown) => caught);
    await sleep(30);
    server.close(); // closes every connection: the call cannot be answered any more
    expect(await hanging).toBeInstanceOf(Unreachable);
  });

  it('reconnects on the next call after the connection broke', async () => {
    let accepted = 0;
    const peers = new Set<Socket>();
    // a server that breaks its first connection at the first request, then answers like RpcServer would
    const server = createServer((socket) => {
      const first = accepted++ === 0;
      peers.add(socket);
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        if (first) return void socket.destroy();
        const { id } = JSON.parse(chunk.trim()) as { id: number };
        socket.write(`${JSON.stringify({ id, ok: true, result: 'again' })}\n`);
      });
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => (peers.forEach((socket) => socket.destroy()), server.close()));
    const rpc = client((server.address() as AddressInfo).port);
    await expect(rpc.call('x', {})).rejects.toBeInstanceOf(Unreachable);
    expect(await rpc.call('x', {})).toBe('again');
    expect(accepted).toBe(2);
  });
});

describe('config', () => {
  it('reads `ID HOST PORT` lines in any order, with comments and blank lines', () => {
    const text = '# three replicas\n\n2 localhost 7003   # the last\n0 127.0.0.1 0\n  1\t127.0.0.1 7002\n';
    expect(parseConfig(text)).toEqual([
      { id: 0, host: '127.0.0.1', port: 0 },
      { id: 1, host: '127.0.0.1', port: 7002 },
      { id: 2, host: 'localhost', port: 7003 },
    ]);
  });

  it.each([
    ['0 127.0.0.1\n', /^cfg:1: expected `ID HOST PORT`/],
    ['0 h 1\n1 h 2 extra\n', /^cfg:2: expected `ID HOST PORT`/],
    ['# c\nx h 1\n', /^cfg:2: the ID "x" is not a whole number/],
    ['0 h -1\n', /^cfg:1: the port "-1" is not a number from 0 to 65535/],
    ['0 h 70000\n', /^cfg:1: the port "70000"/],
    ['0 h 1\n\n0 h 2\n', /^cfg:3: the ID 0 is listed twice/],
    ['0 h 1\n2 h 2\n', /^cfg: the IDs must be 0..1, but 1 is missing/],
    ['# nothing\n\n', /^cfg: lists no replica/],
  ])('refuses %j with a message naming the line', (text, message) => {
    expect(() => parseConfig(text, 'cfg')).toThrow(ConfigError);
    expect(() => parseConfig(text, 'cfg')).toThrow(message);
  });

  it('names a file it cannot read', () => {
    expect(() => readConfig('/nonexistent/lab3/config')).toThrow(/cannot read \/nonexistent\/lab3\/config/);
  });
});

describe('heartbeat', () => {
  it('makes the next lowest ID master once the lowest has not answered for 1.5 s, and not before', async () => {
    const ports = await freePorts(3);
    const nodes = await Promise.all(
      ports.map(async (port, me) => {
        const peers = new Map(ports.flatMap((other, id) => (id === me ? [] : [[id, new RpcClient('127.0.0.1', other)] as const])));
        const heartbeat = new Heartbeat(me, peers);
        const server = new RpcServer();
        heartbeat.register(server);
        await server.listen(port);
        heartbeat.start();
        const changes: number[] = [];
        heartbeat.onChange((master) => changes.push(master));
        cleanups.push(() => (heartbeat.stop(), server.close(), [...peers.values()].forEach((peer) => peer.close())));
        return { heartbeat, server, changes };
      }),
    );
    await sleep(300);
    expect(nodes.map((node) => node.heartbeat.master())).toEqual([0, 0, 0]);
    expect(nodes.map((node) => node.heartbeat.isMaster())).toEqual([true, false, false]);
    expect(nodes[1]!.heartbeat.isUp(0)).toBe(true);

    const [zero, one, two] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]];
    zero.heartbeat.stop();
    zero.server.close(); // replica 0 is gone
    const stopped = Date.now();
    await until(() => one.heartbeat.isMaster() && two.heartbeat.master() === 1, 'replica 1 to become master', 5000);
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(1400); // last heard at most one 100 ms ping before the stop
    expect(one.heartbeat.isUp(0)).toBe(false);
    expect(two.heartbeat.isUp(1)).toBe(true);
    expect(one.changes).toEqual([1]);
    expect(two.changes).toEqual([1]);
  });

  it('counts every peer up when it starts, however long after it was made', async () => {
    const [zeroPort] = await freePorts(1);
    const zero = new RpcServer();
    new Heartbeat(0, new Map()).register(zero);
    await zero.listen(zeroPort!);
    const toZero = new RpcClient('127.0.0.1', zeroPort!);
    const one = new Heartbeat(1, new Map([[0, toZero]]));
    const changes: number[] = [];
    one.onChange((master) => changes.push(master));
    cleanups.push(() => (one.stop(), zero.close(), toZero.close()));
    await sleep(1700); // longer than a peer may be silent: a --join replica can take this long to join
    one.start();
    await sleep(300);
    expect(one.isUp(0)).toBe(true);
    expect(one.master()).toBe(0);
    expect(changes).toEqual([]);
  });

  it('answers ping with its ID', async () => {
    const server = new RpcServer();
    new Heartbeat(4, new Map()).register(server);
    const port = await server.listen(0);
    cleanups.push(() => server.close());
    expect(await client(port).call('ping', { from: 0 })).toEqual({ id: 4 });
  });
});

describe('lock service', () => {
  const acquire = (lock: string, owner: string) => ({ kind: 'acquire', lock, owner });
  const release = (lock: string, owner: string) => ({ kind: 'release', lock, owner });

  it('gives the same results and snapshot for the same operations', () => {
    let seed = 12345; // a small LCG: the test is the same every run
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const ops = Array.from({ length: 500 }, () => (random(2) ? acquire : release)(`l${random(4)}`, `o${random(3)}`));
    const [a, b] = [new LockService(), new LockService()];
    expect(ops.map((op) => a.apply(op))).toEqual(ops.map((op) => b.apply(op)));
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
  });

  it('is not re-entrant, and a release frees the lock whoever holds it', () => {
    const locks = new LockService();
    expect(locks.apply(acquire('a', 'x'))).toBe('GRANTED');
    expect(locks.apply(acquire('a', 'x'))).toBe('RETRY');
    expect(locks.apply(acquire('a', 'y'))).toBe('RETRY');
    expect(locks.apply(release('a', 'y'))).toBe('OK'); // y did not hold it
    expect(locks.apply(acquire('a', 'y'))).toBe('GRANTED');
    expect(locks.apply(release('free', 'y'))).toBe('OK');
    expect(locks.apply({ kind: 'steal', lock: 'a', owner: 'z' })).toBe('INVALID');
    expect(locks.snapshot()).toEqual({ a: 'y' });
  });

  it('snapshots sorted by lock name, and restores a snapshot', () => {
    const locks = new LockService();
    for (const name of ['m', 'b', 'z']) locks.apply(acquire(name, `o-${name}`));
    expect(JSON.stringify(locks.snapshot())).toBe('{"b":"o-b","m":"o-m","z":"o-z"}');
    const copy = new LockService();
    copy.restore(JSON.parse(JSON.stringify(locks.snapshot())));
    expect(copy.snapshot()).toEqual(locks.snapshot());
    expect(copy.apply(acquire('m', 'q'))).toBe('RETRY');
  });
});

describe('lock client', () => {
  /** An Invoker that answers from a script and records what it was asked. */
  function scripted(answers: unknown[]): Invoker & { asked: object[] } {
    const asked: object[] = [];
    return { asked, call: async (op) => (asked.push(op), answers.shift()) };
  }

  it('asks again after RETRY until GRANTED', async () => {
    const rsm = scripted(['RETRY', 'RETRY', 'GRANTED']);
    const started = Date.now();
    await new LockClient(rsm).acquire('s0', 'o1');
    expect(rsm.asked).toEqual(Array.from({ length: 3 }, () => ({ kind: 'acquire', lock: 's0', owner: 'o1' })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(10); // 5 ms, then 10 ms
  });

  it('releases, and rejects an unexpected result', async () => {
    const rsm = scripted(['OK', 'INVALID', 'OK']);
    const locks = new LockClient(rsm);
    await locks.release('s0', 'o1');
    await expect(locks.acquire('s0', 'o1')).rejects.toThrow(/unexpected result "INVALID"/);
    expect(rsm.asked[0]).toEqual({ kind: 'release', lock: 's0', owner: 'o1' });
  });
});

/** Starts a program of a lab3-rsm folder with tsx; killed after the test. */
function start(folder: 'starter' | 'solutions', file: string, args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', `${folder}/lab3-rsm/${file}`, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

async function finished(program: ReturnType<typeof start>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [code] = program.child.exitCode !== null ? [program.child.exitCode] : ((await once(program.child, 'exit')) as [number | null]);
  await sleep(20); // the pipes' last chunks
  return { code, stdout: program.stdout(), stderr: program.stderr() };
}

/** A CONFIG of `count` replicas on free loopback ports, in a temporary folder removed after the test. */
async function configFile(count: number): Promise<{ path: string; ports: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'lab3-given-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const ports = await freePorts(count);
  const path = join(dir, 'config');
  writeFileSync(path, ports.map((port, id) => `${id} 127.0.0.1 ${port}\n`).join(''));
  return { path, ports };
}

/** Starts replicas 0..count-1 of `folder` and waits until each prints its port. */
async function startReplicas(folder: 'starter' | 'solutions', config: { path: string; ports: number[] }, count: number) {
  const replicas = Array.from({ length: count }, (_, id) => start(folder, 'lockServer.ts', [config.path, String(id)]));
  for (const [id, replica] of replicas.entries()) {
    await until(() => replica.stdout().includes('\n'), `replica ${id} to listen`, 20_000);
    expect(replica.stdout()).toBe(`Listening on port ${config.ports[id]} ...\n`);
  }
  return replicas;
}

describe('the starter programs', () => {
  it('answer "not implemented" with the handout part, and the replicas keep running', async () => {
    const config = await configFile(3);
    const replicas = await startReplicas('starter', config, 3);

    const tester = await finished(start('starter', 'lockTester.ts', [config.path, '1', '--rounds', '2']));
    expect(tester).toMatchObject({ code: 1, stdout: 'ERROR not implemented: ordering client requests (handout part A)\n' });

    const rpc = client(config.ports[1] as number);
    await expect(rpc.call('replicate', { seq: 1, client: 'c', clientSeq: 1, op: {} })).rejects.toMatchObject({
      code: 'NOT_IMPLEMENTED',
      message: 'not implemented: executing replicated requests (handout part A)',
    });
    await expect(rpc.call('join', { id: 2 })).rejects.toThrow('not implemented: admitting a joining replica (handout part D)');
    expect(await rpc.call('members', {})).toEqual({ master: 0, replicas: [0, 1, 2] });
    expect(await rpc.call('dump', {})).toEqual({ seq: 0, state: {}, clients: {} });
    expect(replicas.map((replica) => replica.child.exitCode)).toEqual([null, null, null]);
  });

  it('a --join replica stops with the part to read, and bad command lines get the usage', async () => {
    const config = await configFile(2);
    await startReplicas('starter', config, 1);
    const joining = await finished(start('starter', 'lockServer.ts', [config.path, '1', '--join']));
    expect(joining).toMatchObject({ code: 1, stdout: '', stderr: 'lockServer: not implemented: joining a running group (handout part D)\n' });

    const usage = await finished(start('starter', 'lockServer.ts', [config.path]));
    expect(usage).toMatchObject({ code: 2, stderr: 'usage: ./lockServer.ts CONFIG ID [--join]\n' });
    const missing = await finished(start('starter', 'lockServer.ts', [config.path, '5']));
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('has no line for ID 5') });
    const tester = await finished(start('starter', 'lockTester.ts', [config.path]));
    expect(tester).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('usage: ./lockTester.ts CONFIG CLIENT_ID') });
  });
});

describe('the reference solution, end to end', () => {
  it('runs a lock tester against three replicas, and the replicas end equal', async () => {
    const config = await configFile(3);
    await startReplicas('solutions', config, 3);
    const startedUs = testerMicros();
    const tester = await finished(start('solutions', 'lockTester.ts', [config.path, '7', '--lockers', '3', '--rounds', '6']));
    const endedUs = testerMicros();
    expect(tester.code).toBe(0);
    const lines = tester.stdout.trim().split('\n');
    expect(lines.filter((line) => /^ENTER \S+ \d \d+$/.test(line))).toHaveLength(18);
    expect(lines.filter((line) => /^LEAVE \S+ \d \d+$/.test(line))).toHaveLength(18);
    // TIME is on the machine's monotonic clock, the one the grader reads too: testers' lines compare
    const times = lines.filter((line) => /^(ENTER|LEAVE) /.test(line)).map((line) => Number(line.split(' ')[3]));
    expect(Math.min(...times)).toBeGreaterThan(startedUs);
    expect(Math.max(...times)).toBeLessThan(endedUs);
    expect(lines.at(-1)).toMatch(/^DONE 36 operations in \d+ ms$/);
    const dumps = await Promise.all(config.ports.map((port) => client(port).call('dump', {})));
    expect(dumps[0]).toMatchObject({ state: {} }); // every lock released
    expect((dumps[0] as { seq: number }).seq).toBeGreaterThanOrEqual(36);
    expect(dumps[1]).toEqual(dumps[0]);
    expect(dumps[2]).toEqual(dumps[0]);

    // a client in another language: raw JSON lines, a retry with the same clientSeq, a non-master
    const { socket, replies } = await rawConnection(config.ports[0] as number);
    const invoke = (id: number, clientSeq: number, kind: string) =>
      `${JSON.stringify({ id, method: 'invoke', args: { client: 'raw', clientSeq, op: { kind, lock: 'x', owner: 'raw' } } })}\n`;
    socket.write(invoke(1, 1, 'acquire'));
    await until(() => replies().length === 1, 'the grant');
    socket.write(invoke(2, 1, 'acquire') + invoke(3, 2, 'acquire'));
    await until(() => replies().length === 3, 'two more replies');
    expect(replies()).toEqual([
      { id: 1, ok: true, result: 'GRANTED' },
      { id: 2, ok: true, result: 'GRANTED' }, // the same request again: its stored result, not executed twice
      { id: 3, ok: true, result: 'RETRY' }, // a new request: the lock is held (not re-entrant)
    ]);
    await expect(client(config.ports[2] as number).call('invoke', { client: 'raw', clientSeq: 3, op: {} })).rejects.toMatchObject({
      code: 'NOT_MASTER',
      result: { master: 0 },
    });
  });
});
