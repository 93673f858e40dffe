/**
 * The grader's reference factory: the customer side of lab 2's protocol (handout, "Customer
 * connections") for one factory, without replication. Checks run a submission's client against
 * it. It records what each connection sent and when, and it can slow its replies, hold the first
 * reply of every connection until several customers wait at once (which proves that they run at
 * the same time), and die after a given reply, as a killed server would.
 */
import net, { type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  REQUEST, ROLE, byteSize, decode, encode,
  type CustomerRecord, type CustomerRequest, type RobotInfo, type Status,
} from './factoryWire.ts';

export type Reply =
  | { kind: 'robotInfo'; message: RobotInfo }
  | { kind: 'customerRecord'; message: CustomerRecord }
  | { kind: 'status'; message: Status };

export interface ServedRequest {
  request: CustomerRequest;
  arrivedAt: number;             // performance.now() once its last byte was read
  outstanding: number;           // earlier requests of its connection still unanswered when it arrived
  reply?: Reply & { sentAt: number }; // sentAt: performance.now() right after the reply was written
}

export interface ServedConnection {
  index: number;                 // in order of acceptance, from 0; also the engineer_id of its replies
  openedAt: number;
  role: number | undefined;      // the identification, once its 4 bytes arrived
  requests: ServedRequest[];     // in order of arrival
  refused: string | undefined;   // why the factory closed it (identification or request it does not serve)
  closedAt: number | undefined;
}

export interface HoldFirstReplies {
  connections: number;           // open the gate once this many connections have each sent a request
  boundMs: number;               // ... or this long after the first request arrived, whichever comes first
}

export interface GateOutcome {
  openedAt: number;
  waiting: number;               // connections that had sent a request when it opened
  byBound: boolean;              // the bound opened it, not the connections
}

export interface ReferenceFactoryOptions {
  factoryId?: number;                                      // admin_id and factory_id in replies (default 0)
  records?: Iterable<readonly [number, number]>;           // customer records at start: [customer_id, last_order]
  replyDelayMs?: number | ((request: CustomerRequest) => number); // wait before each reply
  holdFirstReplies?: HoldFirstReplies;
  dieAfterReplies?: number;      // after this reply (counted over all connections) end every connection and stop accepting
}

// A client may flood: past these, the factory refuses rather than record without end.
const MAX_CONNECTIONS = 1000;
const MAX_REQUESTS_PER_CONNECTION = 10_000;

export class ReferenceFactory {
  readonly connections: ServedConnection[] = [];
  turnedAway = 0;                          // connections closed at once, past MAX_CONNECTIONS
  readonly died: Promise<number>;          // settles with performance.now() at the death dieAfterReplies asked for
  diedAt: number | undefined;              // performance.now() at that death
  gate: GateOutcome | undefined;           // set when the first-reply gate opened
  private readonly records: Map<number, number>;
  private readonly sockets = new Set<Socket>();
  private readonly gateWaiters = new Set<() => void>(); // first replies held by the gate
  private readonly sleepers = new Set<() => void>();    // replies being delayed
  private readonly timers = new Set<NodeJS.Timeout>();
  private gateWaiting = 0;                 // connections that sent a request while the gate was shut
  private gateTimer: NodeJS.Timeout | undefined;
  private repliesSent = 0;
  private orders = 0;                      // orders applied, i.e. the length of the log
  private listeningPort = 0;               // the port the OS chose, kept once the server has stopped
  private dead = false;                    // died or closed: no reply leaves any more
  private announceDeath: (at: number) => void = () => undefined;

  private constructor(private readonly server: net.Server, private readonly options: ReferenceFactoryOptions) {
    this.records = new Map(options.records ?? []);
    this.died = new Promise((resolve) => (this.announceDeath = resolve));
  }

  static async start(options: ReferenceFactoryOptions = {}): Promise<ReferenceFactory> {
    const server = net.createServer();
    const factory = new ReferenceFactory(server, options);
    server.on('connection', (socket) => factory.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    factory.listeningPort = (server.address() as net.AddressInfo).port;
    return factory;
  }

  get port(): number {
    return this.listeningPort;
  }

  get factoryId(): number {
    return this.options.factoryId ?? 0;
  }

  /** Every request that got a reply, over all connections. */
  answered(): ServedRequest[] {
    return this.connections.flatMap((connection) => connection.requests.filter((served) => served.reply));
  }

  lastReplyAt(): number | undefined {
    const times = this.answered().map((served) => served.reply?.sentAt ?? 0);
    return times.length === 0 ? undefined : Math.max(...times);
  }

  firstRequestAt(): number | undefined {
    const times = this.connections.flatMap((connection) => connection.requests.map((served) => served.arrivedAt));
    return times.length === 0 ? undefined : Math.min(...times);
  }

  recordOf(customerId: number): number | undefined {
    return this.records.get(customerId);
  }

  /** Ends every connection at once and stops listening. */
  async close(): Promise<void> {
    this.halt();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.dead || this.connections.length >= MAX_CONNECTIONS) {
      if (!this.dead) this.turnedAway += 1;
      socket.destroy();
      return;
    }
    const connection: ServedConnection = {
      index: this.connections.length, openedAt: performance.now(), role: undefined, requests: [], refused: undefined, closedAt: undefined,
    };
    this.connections.push(connection);
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined); // a client that resets is recorded by 'close'
    socket.on('close', () => {
      connection.closedAt = performance.now();
      this.sockets.delete(socket);
    });
    let bytes = Buffer.alloc(0);
    let answering: Promise<void> = Promise.resolve(); // replies leave in request order
    socket.on('data', (chunk) => {
      if (this.dead || connection.refused) return;
      bytes = Buffer.concat([bytes, chunk]);
      if (connection.role === undefined) {
        if (bytes.length < 4) return;
        connection.role = bytes.readInt32BE(0);
        bytes = bytes.subarray(4);
        if (connection.role !== ROLE.customer) return this.refuse(socket, connection, `identification ${connection.role}; this factory serves only customers (1)`);
      }
      const size = byteSize('customerRequest');
      for (; bytes.length >= size; bytes = bytes.subarray(size)) {
        const request = decode<CustomerRequest>('customerRequest', bytes);
        if (!isServed(request.requestType)) return this.refuse(socket, connection, `request_type ${request.requestType}`);
        if (connection.requests.length >= MAX_REQUESTS_PER_CONNECTION) return this.refuse(socket, connection, `more than ${MAX_REQUESTS_PER_CONNECTION} requests`);
        const outstanding = connection.requests.filter((served) => !served.reply).length;
        const served: ServedRequest = { request, arrivedAt: performance.now(), outstanding };
        connection.requests.push(served);
        const first = connection.requests.length === 1;
        if (first) this.arriveAtGate();
        answering = answering.then(() => this.answer(socket, connection, served, first));
      }
    });
  }

  private async answer(socket: Socket, connection: ServedConnection, served: ServedRequest, first: boolean): Promise<void> {
    if (first && this.options.holdFirstReplies && !this.gate) await this.wait(this.gateWaiters);
    const delay = typeof this.options.replyDelayMs === 'function' ? this.options.replyDelayMs(served.request) : this.options.replyDelayMs ?? 0;
    if (delay > 0) await this.sleep(delay);
    if (this.dead || socket.destroyed) return;
    const reply = this.apply(served.request, connection);
    socket.write(encode(reply.kind, reply.message));
    served.reply = { ...reply, sentAt: performance.now() };
    this.repliesSent += 1;
    if (this.repliesSent === this.options.dieAfterReplies) this.die();
  }

  /** Updates the records (orders) and builds the reply, as one factory that is its own primary would. */
  private apply(request: CustomerRequest, connection: ServedConnection): Reply {
    const { customerId, orderNumber } = request;
    if (request.requestType === REQUEST.order) {
      this.records.set(customerId, orderNumber);
      this.orders += 1;
      return { kind: 'robotInfo', message: { ...request, engineerId: connection.index, adminId: this.factoryId } };
    }
    if (request.requestType === REQUEST.read) {
      const recorded = this.records.get(customerId);
      return { kind: 'customerRecord', message: recorded === undefined ? { customerId: -1, lastOrder: -1 } : { customerId, lastOrder: recorded } };
    }
    const last = this.orders - 1;
    return { kind: 'status', message: { factoryId: this.factoryId, primaryId: this.orders > 0 ? this.factoryId : -1, lastIndex: last, committedIndex: last } };
  }

  private arriveAtGate(): void {
    const hold = this.options.holdFirstReplies;
    if (!hold || this.gate) return;
    this.gateWaiting += 1;
    if (this.gateWaiting >= hold.connections) return this.openGate(false);
    this.gateTimer ??= setTimeout(() => this.openGate(true), hold.boundMs);
  }

  private openGate(byBound: boolean): void {
    if (this.gate) return;
    clearTimeout(this.gateTimer);
    this.gate = { openedAt: performance.now(), waiting: this.gateWaiting, byBound };
    wakeAll(this.gateWaiters);
  }

  /** As a killed server: the reply just written still reaches its client, then every connection ends and nothing more is accepted. */
  private die(): void {
    this.halt();
    this.server.close();
    for (const socket of this.sockets) socket.end(() => socket.destroy());
    this.diedAt = performance.now();
    this.announceDeath(this.diedAt);
  }

  private halt(): void {
    this.dead = true;
    clearTimeout(this.gateTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    wakeAll(this.gateWaiters);
    wakeAll(this.sleepers);
  }

  private refuse(socket: Socket, connection: ServedConnection, why: string): void {
    connection.refused = why;
    socket.destroy();
  }

  private sleep(ms: number): Promise<void> {
    return this.wait(this.sleepers, ms);
  }

  /** Resolves when woken through `set` (the gate, death, close), or after `ms` when given. */
  private wait(set: Set<() => void>, ms?: number): Promise<void> {
    if (this.dead) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = (): void => {
        set.delete(wake);
        if (timer) this.timers.delete(timer);
        clearTimeout(timer);
        resolve();
      };
      set.add(wake);
      if (ms === undefined) return;
      timer = setTimeout(wake, ms);
      this.timers.add(timer);
    });
  }
}

function wakeAll(set: Set<() => void>): void {
  for (const wake of [...set]) wake();
}

const isServed = (requestType: number): boolean =>
  requestType === REQUEST.order || requestType === REQUEST.read || requestType === REQUEST.status;
