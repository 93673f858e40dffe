// Lab 2's given code (starter/lab2-factory: messages, frames, stubs, update queue, command lines)
// over real loopback TCP, and a short end-to-end run of the reference solution as real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientArgs } from '../../starter/lab2-factory/clientArgs.ts';
import { ConnectionLost, FrameReader, connectTo } from '../../starter/lab2-factory/frameReader.ts';
import { mean, percentile, summaryLine } from '../../starter/lab2-factory/latencyStats.ts';
import {
  CUSTOMER_RECORD,
  CUSTOMER_REQUEST,
  IDENTIFICATION,
  REPLICATION_REPLY,
  REPLICATION_REQUEST,
  ROBOT_INFO,
  RequestType,
  Role,
  STATUS,
  type Codec,
} from '../../starter/lab2-factory/messages.ts';
import { parseServerArgs } from '../../starter/lab2-factory/serverArgs.ts';
import { AdminStub, ClientStub, ServerStub } from '../../starter/lab2-factory/stubs.ts';
import { UpdateQueue } from '../../starter/lab2-factory/updateQueue.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const cleanups: (() => void)[] = []; // run after each test, whatever happened
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A listening server on a port chosen by the OS, closed after the test. */
async function listen(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Two ends of one loopback TCP connection. */
async function socketPair(): Promise<{ near: Socket; far: Socket }> {
  let accept: (socket: Socket) => void = () => undefined;
  const accepted = new Promise<Socket>((resolve) => (accept = resolve));
  const { port } = await listen((socket) => accept(socket));
  const near = await connectTo('127.0.0.1', port, 'the test server');
  const far = await accepted;
  far.setNoDelay(true);
  cleanups.push(() => near.destroy());
  return { near, far };
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

describe('messages', () => {
  type AnyCodec = Codec<Record<string, number>>; // every message is a record of numbers
  const entry = <T>(codec: Codec<T>, size: number) => [codec.name, codec as unknown as AnyCodec, size] as const;
  const codecs = [
    entry(IDENTIFICATION, 4),
    entry(CUSTOMER_REQUEST, 12),
    entry(ROBOT_INFO, 20),
    entry(CUSTOMER_RECORD, 8),
    entry(STATUS, 16),
    entry(REPLICATION_REQUEST, 24),
    entry(REPLICATION_REPLY, 8),
  ];

  it.each(codecs)('%s: size and round trip', (_name, codec, size) => {
    expect(codec.size).toBe(size);
    const values = [INT32_MIN, -1, 0, 1, INT32_MAX, -123456, 42];
    const message: Record<string, number> = {};
    codec.fields.forEach((field, i) => (message[field] = values[i % values.length] as number));
    const bytes = codec.encode(message);
    expect(bytes.length).toBe(size);
    expect(codec.decode(bytes)).toEqual(message);
  });

  it('writes 32-bit signed big-endian integers in the handout order, nothing else', () => {
    const bytes = CUSTOMER_REQUEST.encode({ customerId: 1, orderNumber: -1, requestType: RequestType.ORDER });
    expect(bytes.toString('hex')).toBe('00000001ffffffff00000001');
    const request = { factoryId: 3, committedIndex: -1, lastIndex: 0, opcode: 1, arg1: 258, arg2: -2 };
    expect(REPLICATION_REQUEST.encode(request).toString('hex')).toBe('00000003ffffffff000000000000000100000102fffffffe');
  });

  it('refuses values that are not 32-bit integers, and buffers of the wrong size', () => {
    expect(() => CUSTOMER_RECORD.encode({ customerId: 2 ** 31, lastOrder: 0 })).toThrow(RangeError);
    expect(() => CUSTOMER_RECORD.encode({ customerId: 1.5, lastOrder: 0 })).toThrow(/CustomerRecord.customerId/);
    expect(() => CUSTOMER_RECORD.decode(Buffer.alloc(12))).toThrow(RangeError);
  });

  it('has the protocol constants', () => {
    expect(Role).toEqual({ CUSTOMER: 1, PRIMARY_ADMIN: 2 });
    expect([RequestType.ORDER, RequestType.READ, RequestType.SCAN, RequestType.STATUS]).toEqual([1, 2, 3, 4]);
  });
});

describe('FrameReader', () => {
  it('reads whole messages fed one byte at a time', async () => {
    const { near, far } = await socketPair();
    const reader = new FrameReader(far, 'the client');
    const request = { factoryId: 1, committedIndex: 7, lastIndex: 8, opcode: 1, arg1: -5, arg2: INT32_MAX };
    const bytes = REPLICATION_REQUEST.encode(request);
    const read = reader.read(REPLICATION_REQUEST.size);
    for (const byte of bytes) {
      near.write(Buffer.from([byte]));
      await sleep(2); // each byte its own TCP segment
    }
    expect(REPLICATION_REQUEST.decode(await read)).toEqual(request);
  });

  it('splits messages that arrive joined in one chunk, and keeps the rest for later reads', async () => {
    const { near, far } = await socketPair();
    const reader = new FrameReader(far, 'the client');
    const records = [0, 1, 2].map((i) => ({ customerId: i, lastOrder: -1 - i }));
    near.write(Buffer.concat([IDENTIFICATION.encode({ role: 2 }), ...records.map((record) => CUSTOMER_RECORD.encode(record))]));
    expect(IDENTIFICATION.decode(await reader.read(4))).toEqual({ role: 2 });
    for (const record of records) expect(CUSTOMER_RECORD.decode(await reader.read(8))).toEqual(record);
  });

  it('hands out bytes received before the peer closed, then rejects with ConnectionLost', async () => {
    const { near, far } = await socketPair();
    const reader = new FrameReader(far, 'the client');
    near.end(Buffer.concat([CUSTOMER_RECORD.encode({ customerId: 4, lastOrder: 5 }), Buffer.from([0, 0])]));
    await sleep(50);
    expect(reader.isOpen).toBe(false);
    expect(CUSTOMER_RECORD.decode(await reader.read(8))).toEqual({ customerId: 4, lastOrder: 5 });
    const error = await reader.read(8).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect((error as ConnectionLost).message).toContain('the client');
  });
});

/** A server whose every connection is served by `serve` through a ServerStub. */
async function stubServer(serve: (stub: ServerStub) => Promise<void>): Promise<number> {
  const { port } = await listen((socket) => {
    const stub = new ServerStub(socket);
    serve(stub).catch(() => stub.close());
  });
  return port;
}

describe('stubs', () => {
  it('ClientStub and ServerStub: identification, order, read and status', async () => {
    const seen: unknown[] = [];
    const port = await stubServer(async (stub) => {
      seen.push(await stub.receiveRole());
      for (;;) {
        const request = await stub.receiveRequest();
        seen.push(request);
        if (request.requestType === RequestType.ORDER) stub.shipRobot({ ...request, engineerId: 9, adminId: 3 });
        if (request.requestType === RequestType.READ) stub.returnRecord({ customerId: request.customerId, lastOrder: -7 });
        if (request.requestType === RequestType.STATUS) stub.returnStatus({ factoryId: 3, primaryId: -1, lastIndex: 5, committedIndex: 4 });
      }
    });
    const client = await ClientStub.connect('127.0.0.1', port);
    cleanups.push(() => client.close());
    const order = { customerId: 2, orderNumber: 11, requestType: RequestType.ORDER };
    expect(await client.order(order)).toEqual({ ...order, engineerId: 9, adminId: 3 });
    expect(await client.readRecord({ customerId: -3, orderNumber: -1, requestType: RequestType.READ })).toEqual({ customerId: -3, lastOrder: -7 });
    expect(await client.status()).toEqual({ factoryId: 3, primaryId: -1, lastIndex: 5, committedIndex: 4 });
    expect(seen).toEqual([
      Role.CUSTOMER,
      order,
      { customerId: -3, orderNumber: -1, requestType: RequestType.READ },
      { customerId: -1, orderNumber: -1, requestType: RequestType.STATUS },
    ]);
    expect(() => client.order({ customerId: 2, orderNumber: 1, requestType: RequestType.READ })).toThrow(/request_type/);
  });

  it('AdminStub and ServerStub: identification, replication request and reply', async () => {
    const seen: unknown[] = [];
    const port = await stubServer(async (stub) => {
      seen.push(await stub.receiveRole());
      for (;;) {
        const request = await stub.receiveReplication();
        seen.push(request);
        stub.replyReplication({ factoryId: 2, lastIndex: request.lastIndex });
      }
    });
    const admin = await AdminStub.connect('127.0.0.1', port, 'factory 2');
    cleanups.push(() => admin.close());
    const requests = [0, 1, 2].map((i) => ({ factoryId: 0, committedIndex: i - 1, lastIndex: i, opcode: 1, arg1: i, arg2: -1 - i }));
    for (const request of requests) expect(await admin.replicate(request)).toEqual({ factoryId: 2, lastIndex: request.lastIndex });
    expect(seen).toEqual([Role.PRIMARY_ADMIN, ...requests]);
    expect(admin.isOpen).toBe(true);
  });

  it('rejects with ConnectionLost naming the peer when the server closes the connection', async () => {
    const port = await stubServer(async (stub) => {
      await stub.receiveRole();
      await stub.receiveReplication();
      stub.close(); // no reply
    });
    const admin = await AdminStub.connect('127.0.0.1', port, 'factory 5 at somewhere');
    const error = await admin
      .replicate({ factoryId: 0, committedIndex: -1, lastIndex: 0, opcode: 1, arg1: 0, arg2: 0 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect((error as ConnectionLost).message).toContain('factory 5 at somewhere');
    expect(admin.isOpen).toBe(false);
    const again = await admin.replicate({ factoryId: 0, committedIndex: -1, lastIndex: 1, opcode: 1, arg1: 0, arg2: 0 }).catch((caught: unknown) => caught);
    expect(again).toBeInstanceOf(ConnectionLost);
  });

  it('rejects with ConnectionLost when the server resets the connection', async () => {
    const { port } = await listen((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const client = await ClientStub.connect('127.0.0.1', port);
    const error = await client.status().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect((error as ConnectionLost).message).toContain(`127.0.0.1:${port}`);
  });

  it('ServerStub: receiving rejects with ConnectionLost once the customer leaves; sending then goes nowhere', async () => {
    let outcome: Promise<unknown> = Promise.resolve();
    let served: (stub: ServerStub) => void = () => undefined;
    const accepted = new Promise<ServerStub>((resolve) => (served = resolve));
    const port = await stubServer(async (stub) => {
      served(stub);
      await stub.receiveRole();
      outcome = stub.receiveRequest().catch((caught: unknown) => caught);
      await outcome;
    });
    const client = await ClientStub.connect('127.0.0.1', port);
    const stub = await accepted;
    await sleep(50);
    client.close();
    await sleep(50);
    expect(await outcome).toBeInstanceOf(ConnectionLost);
    expect(() => stub.returnStatus({ factoryId: 0, primaryId: 0, lastIndex: 0, committedIndex: 0 })).not.toThrow();
  });

  it('connect() rejects with ConnectionLost when nobody listens', async () => {
    const [port] = await freePorts(1);
    const error = await ClientStub.connect('127.0.0.1', port as number).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect((error as ConnectionLost).message).toMatch(new RegExp(`cannot connect to 127\\.0\\.0\\.1:${port}`));
    const adminError = await AdminStub.connect('127.0.0.1', port as number, 'factory 1').catch((caught: unknown) => caught);
    expect(adminError).toBeInstanceOf(ConnectionLost);
    expect((adminError as ConnectionLost).peer).toBe('factory 1');
  });
});

describe('command lines', () => {
  it('parseServerArgs accepts PORT ID NPEERS and one triple per peer, in order', () => {
    expect(parseServerArgs(['0', '0', '0'])).toEqual({ port: 0, id: 0, peers: [] });
    expect(parseServerArgs(['5000', '1', '2', '0', 'localhost', '5001', '2', '127.0.0.1', '5002'])).toEqual({
      port: 5000,
      id: 1,
      peers: [
        { id: 0, host: 'localhost', port: 5001, name: 'factory 0 at localhost:5001' },
        { id: 2, host: '127.0.0.1', port: 5002, name: 'factory 2 at 127.0.0.1:5002' },
      ],
    });
  });

  it.each([
    [[]],
    [['0', '0']],
    [['x', '0', '0']],
    [['70000', '0', '0']],
    [['0', '-1', '0']],
    [['0', '0', '1']],
    [['0', '0', '1', '1', 'h']],
    [['0', '0', '1', '1', 'h', '0']],
    [['0', '0', '1', '0', 'h', '5000']],
    [['0', '0', '2', '1', 'h', '5000', '1', 'h', '5001']],
    [['0', '0', '0', 'extra']],
  ])('parseServerArgs refuses %j', (argv) => {
    expect(parseServerArgs(argv)).toHaveProperty('error');
  });

  it('parseClientArgs accepts HOST PORT CUSTOMERS ORDERS REQUEST_TYPE and refuses the rest', () => {
    expect(parseClientArgs(['127.0.0.1', '5000', '8', '0', '3'])).toEqual({ host: '127.0.0.1', port: 5000, customers: 8, orders: 0, requestType: 3 });
    for (const argv of [[], ['h', '5000', '0', '1', '1'], ['h', '5000', '1', '-1', '1'], ['h', '5000', '1', '1', '4'], ['h', '0', '1', '1', '1']]) {
      expect(parseClientArgs(argv), JSON.stringify(argv)).toHaveProperty('error');
    }
  });

  it('summaryLine prints the protocol summary', () => {
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    expect(mean([])).toBe(0);
    expect(summaryLine({ customers: 2, requests: 4, latenciesUs: [100, 300], elapsedUs: 500_000 })).toBe(
      'customers=2 requests=4 answered=2 mean_latency_us=200.0 p99_latency_us=300.0 throughput_per_s=4.0',
    );
    expect(summaryLine({ customers: 1, requests: 0, latenciesUs: [], elapsedUs: 0 })).toBe(
      'customers=1 requests=0 answered=0 mean_latency_us=0.0 p99_latency_us=0.0 throughput_per_s=0.0',
    );
  });
});

describe('UpdateQueue', () => {
  it('lets one job through at a time, oldest first, and answers each submitter', async () => {
    const queue = new UpdateQueue<number, string>();
    const handled: number[] = [];
    let busy = 0; // jobs in the consumer's hands right now
    let mostBusy = 0;
    const consumer = (async () => {
      for (;;) {
        const job = await queue.next();
        busy += 1;
        mostBusy = Math.max(mostBusy, busy);
        await sleep(job.request % 3); // answers take different times
        handled.push(job.request);
        busy -= 1;
        if (job.request === 3) job.fail(new Error('three'));
        else job.answer(`done ${job.request}`);
      }
    })();
    void consumer;
    const first = queue.submit(0); // the consumer is already waiting
    await sleep(5);
    const rest = [1, 2, 3, 4, 5].map((n) => queue.submit(n).catch((error: Error) => error.message));
    expect(await first).toBe('done 0');
    expect(await Promise.all(rest)).toEqual(['done 1', 'done 2', 'three', 'done 4', 'done 5']);
    expect(handled).toEqual([0, 1, 2, 3, 4, 5]);
    expect(mostBusy).toBe(1);
    expect(queue.length).toBe(0);
  });

  it('keeps jobs submitted before anyone takes them, and refuses a second waiting consumer', async () => {
    const queue = new UpdateQueue<string, number>();
    const answers = ['a', 'b'].map((request) => queue.submit(request));
    expect(queue.length).toBe(2);
    const a = await queue.next();
    const b = await queue.next();
    expect([a.request, b.request]).toEqual(['a', 'b']);
    b.answer(2);
    a.answer(1);
    expect(await Promise.all(answers)).toEqual([1, 2]);
    const waiting = queue.next();
    await expect(queue.next()).rejects.toThrow(/already waiting/);
    void queue.submit('c');
    expect((await waiting).request).toBe('c');
  });
});

describe('the reference solution, end to end', () => {
  /** Starts a program of the solution with tsx; killed after the test. */
  function start(file: string, args: (string | number)[]): { child: ChildProcess; stdout: () => string; stderr: () => string } {
    const child = spawn(process.execPath, ['--import', 'tsx', `solutions/lab2-factory/${file}`, ...args.map(String)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    cleanups.push(() => child.kill('SIGKILL'));
    return { child, stdout: () => stdout, stderr: () => stderr };
  }

  async function finished(program: ReturnType<typeof start>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const [code] = (await once(program.child, 'exit')) as [number | null];
    await sleep(20); // the pipes' last chunks
    return { code, stdout: program.stdout(), stderr: program.stderr() };
  }

  async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  }

  it('replicates a burst of orders from factory 0 to two backups', async () => {
    const ports = await freePorts(3);
    const peersOf = (id: number): (string | number)[] =>
      ports.flatMap((port, peer) => (peer === id ? [] : [peer, '127.0.0.1', port]));
    const servers = ports.map((port, id) => start('server.ts', [port, id, 2, ...peersOf(id)]));
    for (const [id, server] of servers.entries()) {
      await until(() => server.stdout().includes('\n'), `server ${id} to listen`);
      expect(server.stdout()).toBe(`Listening on port ${ports[id]} ...\n`);
    }

    const orders = await finished(start('client.ts', ['127.0.0.1', ports[0] as number, 2, 5, 1]));
    expect(orders.code).toBe(0);
    expect(orders.stderr).toBe('');
    expect(orders.stdout).toMatch(
      /^customers=2 requests=10 answered=10 mean_latency_us=[\d.]+ p99_latency_us=[\d.]+ throughput_per_s=[\d.]+\n$/,
    );

    const statuses = [];
    for (const port of ports) {
      const stub = await ClientStub.connect('127.0.0.1', port);
      statuses.push(await stub.status());
      stub.close();
    }
    expect(statuses).toEqual([
      { factoryId: 0, primaryId: 0, lastIndex: 9, committedIndex: 9 },
      { factoryId: 1, primaryId: 0, lastIndex: 9, committedIndex: 8 },
      { factoryId: 2, primaryId: 0, lastIndex: 9, committedIndex: 8 },
    ]);

    const scans = [];
    for (const port of ports) {
      const scan = await finished(start('client.ts', ['127.0.0.1', port, 1, 3, 3]));
      expect(scan.code).toBe(0);
      scans.push(scan.stdout);
    }
    expect(scans[0]).toBe('0\t4\n1\t4\n');
    // A backup has not applied entry 9, the last order of one of the two customers.
    expect(scans[1]).toBe(scans[2]);
    expect(['0\t3\n1\t4\n', '0\t4\n1\t3\n']).toContain(scans[1]);
    for (const server of servers) {
      expect(server.stderr()).toBe('');
      expect(server.child.exitCode).toBeNull();
    }
  }, 30_000);
});
