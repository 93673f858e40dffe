import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { ConnectionEnded, FactoryConnection } from './factoryClient.ts';
import { ROLE, encode } from './factoryWire.ts';
import { ReferenceFactory, type ReferenceFactoryOptions } from './referenceFactory.ts';

// Real sockets on 127.0.0.1, the grader's own customer (factoryClient.ts) on the other side.

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFactory(options: ReferenceFactoryOptions = {}): Promise<ReferenceFactory> {
  const factory = await ReferenceFactory.start(options);
  cleanups.push(() => factory.close());
  return factory;
}

async function open(factory: ReferenceFactory): Promise<FactoryConnection> {
  const connection = await FactoryConnection.open(factory.port, 'reference factory');
  cleanups.push(() => connection.close());
  return connection;
}

/** A raw customer connection, to send what factoryClient.ts never would. */
async function rawSocket(port: number): Promise<{ socket: net.Socket; received: () => Buffer; closed: Promise<void> }> {
  const socket = net.createConnection({ host: '127.0.0.1', port });
  cleanups.push(() => socket.destroy());
  let bytes = Buffer.alloc(0);
  socket.on('data', (chunk) => (bytes = Buffer.concat([bytes, chunk])));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, received: () => bytes, closed };
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('the customer side of the protocol', () => {
  test('orders update the record and come back as RobotInfo from this factory; reads and status follow', async () => {
    const factory = await startFactory({ factoryId: 3, records: [[7, 2]] });
    const customer = await open(factory);
    expect(await customer.status()).toEqual({ factoryId: 3, primaryId: -1, lastIndex: -1, committedIndex: -1 });
    expect(await customer.read(7)).toEqual({ customerId: 7, lastOrder: 2 });
    expect(await customer.read(1)).toEqual({ customerId: -1, lastOrder: -1 });
    expect(await customer.order(1, 0)).toEqual({ customerId: 1, orderNumber: 0, requestType: 1, engineerId: 0, adminId: 3 });
    expect(await customer.order(1, 1)).toMatchObject({ orderNumber: 1, adminId: 3 });
    expect(await customer.read(1)).toEqual({ customerId: 1, lastOrder: 1 });
    expect(await customer.status()).toEqual({ factoryId: 3, primaryId: 3, lastIndex: 1, committedIndex: 1 });
    expect(factory.recordOf(1)).toBe(1);
  });

  test('records each connection: its role, every request when it arrived, every reply when it left', async () => {
    const factory = await startFactory();
    const first = await open(factory);
    const second = await open(factory);
    await first.order(0, 0);
    await second.read(0);
    await first.order(0, 1);
    expect(factory.connections.map((connection) => connection.role)).toEqual([ROLE.customer, ROLE.customer]);
    const [one, two] = factory.connections;
    expect(one?.requests.map((served) => served.request)).toEqual([
      { customerId: 0, orderNumber: 0, requestType: 1 }, { customerId: 0, orderNumber: 1, requestType: 1 },
    ]);
    expect(two?.requests[0]?.reply).toMatchObject({ kind: 'customerRecord', message: { customerId: 0, lastOrder: 0 } });
    for (const served of factory.answered()) {
      expect(served.outstanding).toBe(0);
      expect(served.reply?.sentAt).toBeGreaterThanOrEqual(served.arrivedAt);
    }
    expect(factory.answered()).toHaveLength(3);
    expect(factory.lastReplyAt()).toBe(one?.requests[1]?.reply?.sentAt);
    expect(factory.firstRequestAt()).toBe(one?.requests[0]?.arrivedAt);
  });

  test('a request sent before the previous reply is recorded as such, and still answered in order', async () => {
    const factory = await startFactory({ replyDelayMs: 30 });
    const raw = await rawSocket(factory.port);
    raw.socket.write(Buffer.concat([
      encode('role', { role: ROLE.customer }),
      encode('customerRequest', { customerId: 5, orderNumber: 0, requestType: 1 }),
      encode('customerRequest', { customerId: 5, orderNumber: 1, requestType: 1 }),
    ]));
    await until(() => raw.received().length === 40, 'two RobotInfo replies');
    expect(raw.received().readInt32BE(4)).toBe(0);
    expect(raw.received().readInt32BE(24)).toBe(1);
    expect(factory.connections[0]?.requests.map((served) => served.outstanding)).toEqual([0, 1]);
  });

  test('an identification other than customer, or an unknown request type, closes the connection', async () => {
    const factory = await startFactory();
    const admin = await rawSocket(factory.port);
    admin.socket.write(encode('role', { role: ROLE.admin }));
    await admin.closed;
    const confused = await rawSocket(factory.port);
    confused.socket.write(Buffer.concat([encode('role', { role: ROLE.customer }), encode('customerRequest', { customerId: 0, orderNumber: 0, requestType: 3 })]));
    await confused.closed;
    expect(factory.connections.map((connection) => [connection.role, connection.refused])).toEqual([
      [ROLE.admin, expect.stringContaining('identification 2')],
      [ROLE.customer, 'request_type 3'],
    ]);
    expect(factory.answered()).toEqual([]);
  });

  test('a connection that floods requests is refused past a cap, not recorded without end', async () => {
    const factory = await startFactory({ replyDelayMs: 10_000 });
    const flood = await rawSocket(factory.port);
    const request = encode('customerRequest', { customerId: 0, orderNumber: -1, requestType: 2 });
    flood.socket.write(Buffer.concat([encode('role', { role: ROLE.customer }), ...Array<Buffer>(10_001).fill(request)]));
    await flood.closed;
    expect(factory.connections[0]?.requests).toHaveLength(10_000);
    expect(factory.connections[0]?.refused).toBe('more than 10000 requests');
  });
});

describe('controls', () => {
  test('a per-reply delay, fixed or per request, holds each reply at least that long', async () => {
    const factory = await startFactory({ replyDelayMs: (request) => (request.customerId === 1 ? 80 : 10) });
    const customer = await open(factory);
    await customer.order(0, 0);
    await customer.order(1, 0);
    const held = factory.answered().map((served) => (served.reply?.sentAt ?? 0) - served.arrivedAt);
    expect(held[0]).toBeGreaterThanOrEqual(9);
    expect(held[1]).toBeGreaterThanOrEqual(79);
  });

  test('first replies wait until every expected connection has sent a request', async () => {
    const factory = await startFactory({ holdFirstReplies: { connections: 3, boundMs: 10_000 } });
    const customers = await Promise.all([open(factory), open(factory), open(factory)]);
    const replies = [customers[0]!.order(0, 0), customers[1]!.order(1, 0)];
    await until(() => factory.connections.filter((connection) => connection.requests.length > 0).length === 2, 'two requests');
    expect(factory.answered()).toEqual([]);
    const last = customers[2]!.order(2, 0);
    await Promise.all([...replies, last]);
    expect(factory.gate).toMatchObject({ waiting: 3, byBound: false });
    const thirdArrived = factory.connections[2]?.requests[0]?.arrivedAt ?? Infinity;
    for (const served of factory.answered()) expect(served.reply?.sentAt).toBeGreaterThanOrEqual(thirdArrived);
    expect(await customers[0]!.order(0, 1)).toMatchObject({ orderNumber: 1 }); // the gate stays open
  });

  test('the gate opens at its bound when too few connections come, and says so', async () => {
    const factory = await startFactory({ holdFirstReplies: { connections: 2, boundMs: 150 } });
    const customer = await open(factory);
    await customer.order(0, 0);
    const [served] = factory.answered();
    expect((served?.reply?.sentAt ?? 0) - (served?.arrivedAt ?? 0)).toBeGreaterThanOrEqual(140);
    expect(factory.gate).toMatchObject({ waiting: 1, byBound: true });
    const late = await open(factory);
    expect(await late.order(1, 0)).toMatchObject({ customerId: 1 }); // no second wait
  });

  test('dying after the K-th reply: that reply arrives, then every connection ends and none is accepted', async () => {
    const factory = await startFactory({ dieAfterReplies: 3, holdFirstReplies: { connections: 2, boundMs: 5000 } });
    const [a, b] = await Promise.all([open(factory), open(factory)]);
    const got: string[] = [];
    const customer = async (connection: FactoryConnection, id: number): Promise<unknown> => {
      for (let n = 0; n < 10; n++) {
        try {
          await connection.order(id, n);
          got.push(`${id}:${n}`);
        } catch (error) {
          return error;
        }
      }
      return undefined;
    };
    const ends = await Promise.all([customer(a!, 0), customer(b!, 1)]);
    expect(got).toHaveLength(3);
    expect(ends.every((end) => end instanceof ConnectionEnded)).toBe(true);
    expect(factory.answered()).toHaveLength(3);
    expect(await factory.died).toBe(factory.diedAt);
    expect(factory.diedAt).toBeGreaterThanOrEqual(factory.lastReplyAt() ?? Infinity);
    await expect(FactoryConnection.open(factory.port)).rejects.toBeInstanceOf(ConnectionEnded);
  });

  test('close() ends every connection, even one waiting at the gate', async () => {
    const factory = await ReferenceFactory.start({ holdFirstReplies: { connections: 2, boundMs: 10_000 } });
    const customer = await open(factory);
    const waiting = customer.order(0, 0);
    await until(() => factory.connections[0]?.requests.length === 1, 'the request');
    await factory.close();
    await expect(waiting).rejects.toBeInstanceOf(ConnectionEnded);
  });
});
