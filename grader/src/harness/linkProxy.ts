/**
 * A TCP proxy on one link the grader controls (e.g. coordinator → replica A). The program under
 * test connects to the proxy's port and the proxy connects to the real target. The proxy makes
 * network hostility deterministic and observable (delay, seeded jitter, one-at-a-time forwarding
 * in an adversarial order, dropped connections, partition, reset) and records every byte that crossed, per connection.
 * It is a plain byte stream: lab 1's one-exchange-per-connection and the later labs' long-lived
 * framed connections both pass through unchanged.
 */
import net, { type Server, type Socket } from 'node:net';
import { ConnectionGate, type LinkContext } from './connectionGate.ts';
import type { Rng } from './rng.ts';

export interface LinkPolicy {
  delayMs: number;                        // base delay added to every chunk, both directions
  jitterMs: number;                       // extra delay per chunk, uniform in [0, jitterMs), seeded; order per direction is kept
  serialize: boolean;                     // one connection upstream at a time: the next starts once the target ended the previous one and its reply reached the client
  order: 'fifo' | 'lifo' | 'random';      // with serialize: which waiting connection goes next
  holdMs: number;                         // with serialize, on an idle link: how long a lone connection waits for a second one to reorder it with (ignored without serialize)
  mode: 'pass' | 'blackhole' | 'reset';   // forward; hold every byte (and new upstream connections) until 'pass'; reset everything at once
  dropRate: number;                       // chance in [0, 1] that a new connection is dropped (reset at once), seeded: TCP's form of a lost message
}

export interface Exchange {               // one proxied connection
  id: number;                             // 1, 2, ... in order of acceptance
  request: Buffer;                        // all bytes the client sent (refreshed by each exchanges() call)
  reply: Buffer;                          // all bytes the target sent back (refreshed by each exchanges() call)
  acceptedAt: number;                     // performance.now() when the proxy accepted the client
  forwardedAt?: number;                   // when its turn came and the proxy opened it upstream
  firstReplyAt?: number;                  // when the first reply byte arrived from the target
  closedAt?: number;                      // when both sides were closed
  outcome: 'open' | 'closed' | 'refused' | 'reset'; // refused: the target could not be reached; reset: see resetBy
  resetBy?: 'proxy' | 'client' | 'target'; // added: who reset it (proxy = mode 'reset' or close(); the proxy passes a client's or target's reset on to the other side)
}

/**
 * What happened on the link, in order. `data` is emitted when the bytes are delivered to the
 * other side, so a chunk held by a delay or a partition appears when it actually crossed.
 */
export type LinkEvent =
  | { t: number; link: string; kind: 'accept' | 'forward' | 'close' | 'refused' | 'reset'; exchange: number }
  | {
      t: number;
      link: string;
      kind: 'data';
      exchange: number;
      direction: 'request' | 'reply';
      bytes: Buffer;
      receivedAt: number;                 // added: when the proxy received these bytes (t is when it delivered them)
      delayMs: number;                    // added: the delay the policy scheduled for them (delay + jitter, or more to stay in order); waiting for a turn or a partition comes on top
    };

/** A change of a link's policy (blackhole = partition, back to pass = heal, reset = fault), for recordings. */
export interface PolicyChange {
  t: number;                              // performance.now() when it took effect
  link: string;
  before: LinkPolicy;
  after: LinkPolicy;
}

export interface LinkProxyOptions {
  name: string;                           // label used in events, e.g. 'coord→a'
  target: { host: string; port: number };
  rng: Rng;                               // from ./rng.ts; the proxy only forks it
  policy?: Partial<LinkPolicy>;
  onEvent?: (event: LinkEvent) => void;
  onPolicyChange?: (change: PolicyChange) => void; // called on each setPolicy that changed something
  listenHost?: string;                    // default '127.0.0.1'
}

type Target = { host: string; port: number };

const DEFAULT_POLICY: LinkPolicy = { delayMs: 0, jitterMs: 0, serialize: false, order: 'fifo', holdMs: 0, mode: 'pass', dropRate: 0 };
const ORDERS: readonly LinkPolicy['order'][] = ['fifo', 'lifo', 'random'];
const MODES: readonly LinkPolicy['mode'][] = ['pass', 'blackhole', 'reset'];
const CLOSE_BOUND_MS = 2000;              // destroyed sockets report 'close' within a tick; this only bounds close()

export class LinkProxy {
  readonly name: string;
  readonly port: number;
  private current: LinkPolicy;            // the policy in force
  private target: Target;                 // where a connection is opened when its turn comes
  private readonly records: Exchange[] = []; // every connection so far, records[id - 1]
  private readonly open = new Map<number, ConnectionGate>(); // accepted and not closed yet, by id
  private readonly turns: TurnQueue<ConnectionGate>; // whose turn it is to go upstream
  private readonly idleWaiters = new Set<() => void>(); // whenIdle() calls still waiting
  private readonly link: LinkContext;     // what a connection may ask of its link
  private readonly drops: Rng;            // decides which connections dropRate drops
  private stopping = false;               // close() was called
  private closed: Promise<void> | undefined; // the first close()'s promise

  static async start(options: LinkProxyOptions): Promise<LinkProxy> {
    const policy = mergePolicy(DEFAULT_POLICY, options.policy ?? {}); // a bad policy throws before anything listens
    const server = net.createServer({ allowHalfOpen: true }); // so a client's FIN does not end our reply direction
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, options.listenHost ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`link ${options.name}: no TCP port to listen on`);
    return new LinkProxy(server, address.port, policy, options);
  }

  private constructor(
    private readonly server: Server,
    port: number,
    policy: LinkPolicy,
    private readonly options: LinkProxyOptions,
  ) {
    this.name = options.name;
    this.port = port;
    this.current = policy;
    this.target = { ...options.target };
    this.drops = options.rng.fork(`${this.name}:drops`);
    this.link = {
      name: this.name,
      policy: () => this.current,
      target: () => this.target,
      rngFor: (label) => options.rng.fork(`${this.name}#${label}`),
      emit: (event) => this.emit(event),
      turnOver: (connection) => this.turns.finish(connection),
      closed: (connection) => this.forget(connection),
    };
    const mayStartTurns = (): boolean => !this.stopping && this.current.mode === 'pass';
    this.turns = new TurnQueue(() => this.current, mayStartTurns, options.rng.fork(`${this.name}:order`), (c) => c.forward());
    server.on('connection', (socket: Socket) => this.accept(socket));
    server.on('error', () => {}); // accept errors (e.g. out of file descriptors): the server keeps listening
  }

  policy(): LinkPolicy {
    return { ...this.current };
  }

  /** Takes effect for data and connections from now on: 'pass' after 'blackhole' delivers what was held. */
  setPolicy(change: Partial<LinkPolicy>): void {
    const before = this.current;
    this.current = mergePolicy(this.current, change);
    if (!samePolicy(before, this.current)) this.tellPolicy(before);
    if (this.current.mode === 'reset') for (const connection of [...this.open.values()]) connection.reset();
    for (const connection of this.open.values()) connection.flush();
    this.turns.pump();
  }

  /** Connections whose turn comes from now on (including those waiting) go to the new target. */
  retarget(target: Target): void {
    this.target = { host: target.host, port: target.port };
  }

  exchanges(): readonly Exchange[] {
    for (const connection of this.open.values()) connection.refreshBytes();
    return [...this.records];
  }

  inFlight(): number {
    return this.open.size;
  }

  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.open.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (idle: boolean): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(onIdle);
        resolve(idle);
      };
      const onIdle = (): void => settle(true);
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.idleWaiters.add(onIdle);
    });
  }

  /** Resets every open connection and stops listening. Idempotent. */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.turns.clear();
    for (const connection of [...this.open.values()]) connection.reset();
    await stopped;
    await this.whenIdle(CLOSE_BOUND_MS);
  }

  private accept(socket: Socket): void {
    const connection = new ConnectionGate(this.records.length + 1, socket, this.link);
    this.records.push(connection.record);
    this.open.set(connection.record.id, connection);
    this.emit({ t: performance.now(), link: this.name, kind: 'accept', exchange: connection.record.id });
    const dropped = this.current.dropRate > 0 && this.drops.next() < this.current.dropRate;
    if (this.stopping || this.current.mode === 'reset' || dropped) connection.reset();
    else this.turns.arrive(connection);
  }

  private forget(connection: ConnectionGate): void {
    connection.refreshBytes();
    this.open.delete(connection.record.id);
    if (this.open.size > 0) return;
    for (const onIdle of [...this.idleWaiters]) onIdle();
  }

  /** A listener that throws is a grader bug, but it must not break the link or crash the grader. */
  private tellPolicy(before: LinkPolicy): void {
    try {
      this.options.onPolicyChange?.({ t: performance.now(), link: this.name, before, after: { ...this.current } });
    } catch (error) {
      process.emitWarning(`link ${this.name}: onPolicyChange listener threw: ${String(error)}`);
    }
  }

  private emit(event: LinkEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch (error) {
      process.emitWarning(`link ${this.name}: onEvent listener threw: ${String(error)}`);
    }
  }
}

type TurnSettings = Pick<LinkPolicy, 'serialize' | 'order' | 'holdMs'>;

/**
 * Gives each accepted connection its turn to go upstream. Without `serialize` every connection
 * goes at once. With it, one at a time, the next chosen by `order` among those waiting; a lone
 * connection on an idle link is held up to `holdMs` so that a concurrent one can overtake it.
 * That is how the grader reorders requests that a submission sends at the same time.
 */
class TurnQueue<T> {
  private readonly waiting: T[] = [];     // accepted, turn not started yet, oldest first
  private readonly active = new Set<T>(); // turn started and not over
  private holdTimer: NodeJS.Timeout | undefined; // running while a lone connection waits for company
  private pumping = false;                // pump() is on the stack: a nested call would start turns twice

  constructor(
    private readonly settings: () => TurnSettings,
    private readonly isOpen: () => boolean, // false while no turn may start (partition, shutting down)
    private readonly rng: Rng,              // draws the next one under order 'random'
    private readonly startTurn: (item: T) => void,
  ) {}

  /** A connection was accepted: it goes now, or waits for its turn. */
  arrive(item: T): void {
    const { serialize, holdMs } = this.settings();
    const linkWasIdle = this.active.size === 0 && this.waiting.length === 0;
    this.waiting.push(item);
    if (serialize && holdMs > 0 && linkWasIdle) {
      this.holdTimer = setTimeout(() => {
        this.holdTimer = undefined;
        this.pump();
      }, holdMs);
    }
    this.pump();
  }

  /** The item's turn is over, or it left before its turn: let the next one go. */
  finish(item: T): void {
    const index = this.waiting.indexOf(item);
    if (index >= 0) this.waiting.splice(index, 1);
    if (this.waiting.length === 0) this.cancelHold();
    this.active.delete(item);
    this.pump();
  }

  /** Starts every turn the settings allow now. Call it after a change of settings. */
  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length > 0 && this.mayStartOne()) {
        this.cancelHold();
        const next = this.takeNext();
        this.active.add(next);
        this.startTurn(next);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Forgets every item and stops the hold timer (the proxy is closing). */
  clear(): void {
    this.cancelHold();
    this.waiting.length = 0;
    this.active.clear();
  }

  private mayStartOne(): boolean {
    if (!this.isOpen()) return false;
    const { serialize } = this.settings();
    if (!serialize) return true;
    if (this.active.size > 0) return false;
    // A held connection goes when the hold expires or as soon as it has company to be reordered with.
    return this.holdTimer === undefined || this.waiting.length >= 2;
  }

  private takeNext(): T {
    const { order } = this.settings();
    const last = this.waiting.length - 1;
    const index = order === 'fifo' ? 0 : order === 'lifo' ? last : this.rng.int(0, last);
    return this.waiting.splice(index, 1)[0] as T; // the caller checked that waiting is not empty
  }

  private cancelHold(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }
}

function samePolicy(a: LinkPolicy, b: LinkPolicy): boolean {
  return (Object.keys(a) as (keyof LinkPolicy)[]).every((key) => a[key] === b[key]);
}

function mergePolicy(base: LinkPolicy, change: Partial<LinkPolicy>): LinkPolicy {
  const merged: LinkPolicy = {
    delayMs: change.delayMs ?? base.delayMs,
    jitterMs: change.jitterMs ?? base.jitterMs,
    serialize: change.serialize ?? base.serialize,
    order: change.order ?? base.order,
    holdMs: change.holdMs ?? base.holdMs,
    mode: change.mode ?? base.mode,
    dropRate: change.dropRate ?? base.dropRate,
  };
  for (const key of ['delayMs', 'jitterMs', 'holdMs'] as const) {
    const value = merged[key];
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`link policy: ${key} must be a number >= 0, got ${value}`);
  }
  if (!(merged.dropRate >= 0 && merged.dropRate <= 1)) throw new RangeError(`link policy: dropRate must be in [0, 1], got ${merged.dropRate}`);
  if (!ORDERS.includes(merged.order)) throw new RangeError(`link policy: order must be one of ${ORDERS.join(', ')}`);
  if (!MODES.includes(merged.mode)) throw new RangeError(`link policy: mode must be one of ${MODES.join(', ')}`);
  return merged;
}
