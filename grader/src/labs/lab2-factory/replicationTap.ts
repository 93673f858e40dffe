/**
 * Watches every link of a factory cluster and decodes the replication traffic that crossed it:
 * each ReplicationRequest delivered to a backup and each ReplicationReply delivered back, with the
 * time it crossed. Checks judge from these what each backup was sent, and trigger faults on them.
 */
import type { CheckContext } from '../../check/checkContext.ts';
import type { LinkEvent } from '../../harness/linkProxy.ts';
import { AdminStreamDecoder, opOf, type MapOp, type ReplicationReply, type ReplicationRequest } from './factoryWire.ts';

export interface Delivered<T> {
  link: string;        // e.g. '0→2'
  from: number;        // the factory that opened the connection (the primary)
  to: number;          // the factory it reached (a backup)
  exchange: number;    // the proxied connection it crossed on
  t: number;           // performance.now() when it was delivered
  message: T;
}

type RequestListener = (delivered: Delivered<ReplicationRequest>) => void;

export class ReplicationTap {
  readonly requests: Delivered<ReplicationRequest>[] = [];
  readonly replies: Delivered<ReplicationReply>[] = [];
  private readonly decoders = new Map<string, AdminStreamDecoder>();
  private readonly listeners = new Set<RequestListener>();

  constructor(context: CheckContext) {
    context.onLinkEvent((event) => this.observe(event));
  }

  /** Calls `listener` for every request delivered from now on; returns the function that stops it. */
  onRequest(listener: RequestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  requestsTo(to: number, since = 0): Delivered<ReplicationRequest>[] {
    return this.requests.filter((delivered) => delivered.to === to && delivered.t >= since);
  }

  /** The MapOp of the newest delivery of entry `index` from `from` to any backup. */
  entryFrom(from: number, index: number): MapOp | undefined {
    const delivered = this.requests.filter((request) => request.from === from && request.message.lastIndex === index).at(-1);
    return delivered && opOf(delivered.message);
  }

  /** The entries 0 … upTo as `from` last sent them to `to` (undefined where one never arrived). */
  logSent(from: number, to: number, upTo: number): (MapOp | undefined)[] {
    const log: (MapOp | undefined)[] = Array.from({ length: upTo + 1 }, () => undefined);
    for (const delivered of this.requests) {
      const index = delivered.message.lastIndex;
      if (delivered.from === from && delivered.to === to && index >= 0 && index <= upTo) log[index] = opOf(delivered.message);
    }
    return log;
  }

  private observe(event: LinkEvent): void {
    if (event.kind !== 'data') return;
    const ends = /^(\d+)→(\d+)$/.exec(event.link);
    if (!ends) return;
    const key = `${event.link}#${event.exchange}`;
    const decoder = this.decoders.get(key) ?? new AdminStreamDecoder();
    this.decoders.set(key, decoder);
    const where = { link: event.link, from: Number(ends[1]), to: Number(ends[2]), exchange: event.exchange, t: event.t };
    if (event.direction === 'reply') {
      for (const message of decoder.pushReply(event.bytes)) this.replies.push({ ...where, message });
      return;
    }
    for (const message of decoder.pushRequest(event.bytes)) {
      const delivered = { ...where, message };
      this.requests.push(delivered);
      for (const listener of [...this.listeners]) listener(delivered);
    }
  }
}
