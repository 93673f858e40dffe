/**
 * One connection's passage through a link of the link proxy (`linkProxy.ts`, which decides whose
 * turn it is): the client socket, the upstream socket opened when the turn comes, and the timed
 * pipes between them that apply the link's delay, jitter and partition.
 */
import net, { type Socket } from 'node:net';
import type { Exchange, LinkEvent, LinkPolicy, LinkProxyOptions } from './linkProxy.ts';
import type { Rng } from './rng.ts';

type Transfer = { kind: 'data'; bytes: Buffer } | { kind: 'end' } | { kind: 'reset' }; // what a pipe carries: bytes, a FIN, a RST

/** What a connection may ask of the proxy it belongs to. */
export interface LinkContext {
  readonly name: string;
  policy(): LinkPolicy;
  target(): LinkProxyOptions['target'];
  rngFor(label: string): Rng;
  emit(event: LinkEvent): void;
  turnOver(connection: ConnectionGate): void; // its turn upstream is over, or it left the queue
  closed(connection: ConnectionGate): void;   // both sides are closed
}

/**
 * One client connection and, once its turn comes, its upstream twin. Bytes flow through two
 * pipes (client → target, target → client); a FIN or a reset travels in its pipe behind the
 * bytes that preceded it, so the far side sees them in the order they were sent.
 */
export class ConnectionGate {
  readonly record: Exchange;              // what exchanges() shows
  private readonly requestBytes = new ByteLog(); // everything the client sent
  private readonly replyBytes = new ByteLog(); // everything the target sent
  private readonly toTarget: ChunkPipe<Transfer>; // client → target
  private readonly toClient: ChunkPipe<Transfer>; // target → client
  private upstream: Socket | undefined;   // to the target, opened when the turn comes
  private upstreamConnected = false;      // the upstream connect succeeded
  private upstreamClosed = false;         // the upstream socket emitted 'close'
  private downstreamClosed = false;       // the client socket emitted 'close'
  private targetFinished = false;         // the target ended its side (FIN), or its socket closed
  private turnIsOver = false;             // the link was told its turn is over

  constructor(
    id: number,
    private readonly downstream: Socket,
    private readonly link: LinkContext,
  ) {
    this.record = { id, request: Buffer.alloc(0), reply: Buffer.alloc(0), acceptedAt: performance.now(), outcome: 'open' };
    const settings = (): LinkPolicy => link.policy();
    const passing = (): boolean => link.policy().mode === 'pass';
    this.toTarget = new ChunkPipe(settings, link.rngFor(`${id}:request`), () => passing() && this.upstreamConnected, (entry) =>
      this.deliverToTarget(entry),
    );
    this.toClient = new ChunkPipe(settings, link.rngFor(`${id}:reply`), passing, (entry) => this.deliverToClient(entry));
    this.watchClient();
  }

  /** Its turn: open the upstream connection; the bytes buffered so far follow once it is connected. */
  forward(): void {
    this.record.forwardedAt = performance.now();
    this.emit('forward');
    const { host, port } = this.link.target();
    let upstream: Socket;
    try {
      upstream = net.connect({ host, port, allowHalfOpen: true });
    } catch {
      this.refuse(); // e.g. an invalid port: same as an unreachable target
      return;
    }
    this.upstream = upstream;
    upstream.on('connect', () => {
      upstream.setNoDelay(true);
      this.upstreamConnected = true;
      this.toTarget.flush();
    });
    upstream.on('data', (chunk: Buffer) => this.onReplyBytes(chunk));
    upstream.on('end', () => {
      this.targetFinished = true;
      this.sendToClient({ kind: 'end' });
      this.checkTurnOver(); // the client may be gone already
    });
    upstream.on('error', () => {
      if (this.record.outcome !== 'open') return;
      if (this.upstreamConnected) this.sendToClient({ kind: 'reset' }); // pass the target's reset on, after its bytes
      else this.refuse();
    });
    upstream.on('close', () => this.onUpstreamClose());
  }

  /** Resets both sides now (policy 'reset', or the proxy closing). */
  reset(): void {
    this.endAs('reset', 'proxy');
    this.toTarget.discard();
    this.toClient.discard();
    resetSocket(this.downstream);
    if (this.upstream) resetSocket(this.upstream);
    this.checkTurnOver();
  }

  /** The policy changed: deliver what it now lets through. */
  flush(): void {
    this.toTarget.flush();
    this.toClient.flush();
  }

  /** Copies the bytes seen so far into the record (joined lazily, see ByteLog). */
  refreshBytes(): void {
    this.record.request = this.requestBytes.contents();
    this.record.reply = this.replyBytes.contents();
  }

  private watchClient(): void {
    const socket = this.downstream;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.requestBytes.append(chunk);
      this.sendToTarget({ kind: 'data', bytes: chunk });
    });
    socket.on('end', () => this.sendToTarget({ kind: 'end' }));
    socket.on('error', () => {}); // 'close' follows with hadError set
    socket.on('close', (hadError: boolean) => this.onClientClose(hadError));
  }

  private onClientClose(hadError: boolean): void {
    this.downstreamClosed = true;
    this.toClient.discard();
    if (this.record.outcome === 'open') {
      if (!this.upstream) this.endAs('reset', 'client'); // gone before its turn: it leaves the queue
      else if (hadError) this.sendToTarget({ kind: 'reset' });
    }
    this.checkTurnOver();
    this.checkClosed();
  }

  private onUpstreamClose(): void {
    this.upstreamClosed = true;
    this.targetFinished = true;
    this.toTarget.discard();
    this.checkTurnOver();
    this.checkClosed();
  }

  private onReplyBytes(chunk: Buffer): void {
    this.record.firstReplyAt ??= performance.now();
    this.replyBytes.append(chunk);
    this.sendToClient({ kind: 'data', bytes: chunk });
  }

  /** The target could not be reached: reset the client at once so it sees an error, not a hang. */
  private refuse(): void {
    this.endAs('refused');
    this.toTarget.discard();
    this.toClient.discard();
    resetSocket(this.downstream);
    this.checkTurnOver();
  }

  private sendToTarget(transfer: Transfer): void {
    if (!this.upstreamClosed) this.toTarget.push(transfer);
  }

  private sendToClient(transfer: Transfer): void {
    if (!this.downstreamClosed) this.toClient.push(transfer);
  }

  private deliverToTarget({ item, receivedAt, delayMs }: Scheduled<Transfer>): void {
    const socket = this.upstream;
    if (!socket || socket.destroyed) return;
    if (item.kind === 'data') {
      socket.write(item.bytes);
      this.emitData('request', item.bytes, receivedAt, delayMs);
    } else if (item.kind === 'end') {
      socket.end();
    } else {
      this.endAs('reset', 'client');
      resetSocket(socket);
    }
  }

  private deliverToClient({ item, receivedAt, delayMs }: Scheduled<Transfer>): void {
    const socket = this.downstream;
    if (socket.destroyed) return;
    if (item.kind === 'data') {
      socket.write(item.bytes);
      this.emitData('reply', item.bytes, receivedAt, delayMs);
    } else if (item.kind === 'end') {
      socket.end();
    } else {
      this.endAs('reset', 'target');
      resetSocket(socket);
    }
    this.checkTurnOver();
  }

  /**
   * The turn is over once the target has finished (FIN or close) and everything it sent has been
   * handed to the client, or the client is gone. Waiting for the client's own close would let a
   * client that never closes stall the link.
   */
  private checkTurnOver(): void {
    if (this.turnIsOver) return;
    const over = this.upstream
      ? this.targetFinished && (this.toClient.isEmpty || this.downstreamClosed)
      : this.record.outcome !== 'open'; // never forwarded: it left the queue
    if (!over) return;
    this.turnIsOver = true;
    this.link.turnOver(this);
  }

  private checkClosed(): void {
    if (this.record.closedAt !== undefined || !this.downstreamClosed) return;
    if (this.upstream && !this.upstreamClosed) return;
    this.record.closedAt = performance.now();
    if (this.record.outcome === 'open') {
      this.record.outcome = 'closed';
      this.emit('close');
    }
    this.link.closed(this);
  }

  /** Records an abnormal end, once, and reports it. */
  private endAs(outcome: 'refused' | 'reset', by?: Exchange['resetBy']): void {
    if (this.record.outcome !== 'open') return;
    this.record.outcome = outcome;
    if (by) this.record.resetBy = by;
    this.emit(outcome);
  }

  private emit(kind: 'forward' | 'close' | 'refused' | 'reset'): void {
    this.link.emit({ t: performance.now(), link: this.link.name, kind, exchange: this.record.id });
  }

  private emitData(direction: 'request' | 'reply', bytes: Buffer, receivedAt: number, delayMs: number): void {
    const t = performance.now();
    this.link.emit({ t, link: this.link.name, kind: 'data', exchange: this.record.id, direction, bytes, receivedAt, delayMs });
  }
}

/** Bytes appended chunk by chunk; joined only when read, so a long stream costs linear time. */
class ByteLog {
  private chunks: Buffer[] = [];          // appended since the last join, the first one possibly a join

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  contents(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] as Buffer;
  }
}

/** RST rather than FIN, so the peer sees ECONNRESET at once, as a broken link shows it. */
function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) {
    socket.destroy(); // resetAndDestroy() would wait for the connect to finish
    return;
  }
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

interface DelaySettings {
  delayMs: number;                        // added to every item
  jitterMs: number;                       // extra, uniform in [0, jitterMs)
}

interface Scheduled<I> {
  item: I;
  receivedAt: number;                     // performance.now() when the item arrived
  delayMs: number;                        // due time minus arrival: delay + jitter, or more to stay behind the previous item
  dueAt: number;                          // earliest delivery time
}

/**
 * Delivers the items of one direction of one connection in arrival order, each no earlier than
 * its due time: max(due time of the previous item, arrival + delay + jitter). While
 * `canDeliver()` is false (partition, or the far side not connected yet) items wait; call
 * `flush()` when it may have become true.
 */
class ChunkPipe<I> {
  private readonly queue: Scheduled<I>[] = []; // arrived, not delivered yet, in arrival order
  private lastDueAt = 0;                  // due time of the newest item: no later item is due earlier
  private timer: NodeJS.Timeout | undefined; // armed for the head item's due time

  constructor(
    private readonly settings: () => DelaySettings,
    private readonly rng: Rng,              // this pipe's own stream, so other traffic cannot shift its jitter
    private readonly canDeliver: () => boolean,
    private readonly deliver: (entry: Scheduled<I>) => void,
  ) {}

  get isEmpty(): boolean {
    return this.queue.length === 0;
  }

  push(item: I): void {
    const now = performance.now();
    const { delayMs, jitterMs } = this.settings();
    // Always draw, so that the k-th item gets the same jitter whatever the jitter setting was before.
    const jitter = this.rng.next() * jitterMs;
    // Computed as a delay, not as (due time - now), so the reported value is exactly delay + jitter.
    const delay = Math.max(delayMs + jitter, this.lastDueAt - now);
    const dueAt = now + delay;
    this.lastDueAt = dueAt;
    this.queue.push({ item, receivedAt: now, delayMs: delay, dueAt });
    this.flush();
  }

  /** Delivers every item that is due, and arms a timer for the next one. */
  flush(): void {
    this.stopTimer();
    for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
      if (!this.canDeliver()) return;
      const wait = head.dueAt - performance.now();
      if (wait > 0) {
        this.stopTimer(); // a delivery may have flushed (and armed) re-entrantly
        this.timer = setTimeout(() => this.flush(), Math.ceil(wait));
        return;
      }
      this.queue.shift();
      this.deliver(head);
    }
  }

  /** Drops every item not delivered yet (the far side is gone). */
  discard(): void {
    this.stopTimer();
    this.queue.length = 0;
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
