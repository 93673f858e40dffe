/**
 * Watches every link of a lab 3 cluster and decodes what crossed it: each `replicate` a master
 * delivered to a replica (with the reply, when it came back), and each `invoke` a tester delivered
 * to a replica (with its reply). Checks judge from these, and trigger faults on them.
 */
import type { CheckContext } from '../../check/checkContext.ts';
import type { LinkEvent } from '../../harness/linkProxy.ts';
import { STALL_MS } from '../../harness/stallCanary.ts';
import { LineSplitter, parseReply, parseRequest, type RpcReply, type RpcRequest } from './rsmWire.ts';

export interface Answer {
  reply: RpcReply;
  receivedAt: number;        // performance.now() when the proxy got it from the replica
  t: number;                 // when it was delivered to the caller
}

export interface Replicated {
  link: string;              // e.g. '0→2'
  from: number;              // the master that sent it
  to: number;                // the replica it reached
  seq: number;
  client: string;
  clientSeq: number;
  op: unknown;
  t: number;                 // performance.now() when it was delivered to the replica
  answer?: Answer;           // the replica's reply, once delivered back
}

export interface Invoked {
  link: string;              // e.g. 'tester2→0'
  tester: string;            // 'tester2'
  replica: number;
  client: string;
  clientSeq: number;
  op: unknown;
  t: number;                 // when it was delivered to the replica
  answer?: Answer;
}

export interface Joined {
  replica: number;           // the replica that joined
  master: number;            // the one that admitted it
  seq: number;               // the seq its state started from
  at: number;                // when the proxy got the master's answer
}

export type TapEvent = { kind: 'replicate'; message: Replicated } | { kind: 'replicate-answer'; message: Replicated };

interface Stream {
  request: LineSplitter;
  reply: LineSplitter;
  waiting: Map<number, Replicated | Invoked | 'join' | null>; // request id -> what it was (null: a method the tap does not keep)
}

const isInt = (value: unknown): value is number => Number.isSafeInteger(value);

// The given heartbeat pings every peer every 100 ms and counts a peer down after 1.5 s of silence.
// A live replica that sent nothing for STALL_MS (the canary's bound, a second) was not running (the
// machine stalled, or its handler blocked): the heartbeats may have named a second master, so a
// failure then is not sure.

export class RsmTap {
  readonly replicates: Replicated[] = [];
  readonly invokes: Invoked[] = [];
  readonly joins: Joined[] = [];
  private readonly streams = new Map<string, Stream>(); // by `${link}#${exchange}`
  private readonly listeners = new Set<(event: TapEvent) => void>();
  private readonly lastSent = new Map<number, number>(); // replica ID -> when the proxies last got bytes from it, once watching
  private watching = false;

  constructor(private readonly context: CheckContext) {
    context.onLinkEvent((event) => this.observe(event));
  }

  /** From now on (the replicas are up), reports to the context a replica silent on every link for a second or more. */
  watchForStalls(): void {
    this.watching = true;
  }

  /** Calls `listener` on every replicate delivered, and on every reply to one; returns the function that stops it. */
  on(listener: (event: TapEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The newest seq any master has delivered to any replica so far (0 before any). */
  newestSeq(): number {
    return this.replicates.reduce((newest, message) => Math.max(newest, message.seq), 0);
  }

  private observe(event: LinkEvent): void {
    if (event.kind !== 'data') return;
    const ends = /^(tester\d+|\d+)→(\d+)$/.exec(event.link);
    if (!ends) return;
    const key = `${event.link}#${event.exchange}`;
    const stream = this.streams.get(key) ?? { request: new LineSplitter(), reply: new LineSplitter(), waiting: new Map() };
    this.streams.set(key, stream);
    const [, from = '', to = ''] = ends;
    if (event.direction === 'request' && this.watching && /^\d+$/.test(from)) this.sentBy(Number(from), event.receivedAt);
    if (event.direction === 'request') {
      for (const line of stream.request.push(event.bytes)) {
        const request = parseRequest(line);
        if (request) this.onRequest(stream, request, event.link, from, Number(to), event.t);
      }
      return;
    }
    for (const line of stream.reply.push(event.bytes)) {
      const reply = parseReply(line);
      if (!reply || reply.id === null) continue;
      const asked = stream.waiting.get(reply.id);
      stream.waiting.delete(reply.id);
      if (!asked) continue;
      if (asked === 'join') {
        const seq = (reply.result as { seq?: unknown } | null)?.seq;
        if (reply.ok && isInt(seq)) this.joins.push({ replica: Number(from), master: Number(to), seq, at: event.receivedAt });
        continue;
      }
      asked.answer = { reply, receivedAt: event.receivedAt, t: event.t };
      if ('seq' in asked) this.emit({ kind: 'replicate-answer', message: asked });
    }
  }

  private sentBy(replica: number, at: number): void {
    const last = this.lastSent.get(replica);
    if (last !== undefined && at - last >= STALL_MS) {
      this.context.reportStall(at - last, `replica ${replica} sent nothing on any link for ${((at - last) / 1000).toFixed(1)} s, though its heartbeat pings every peer every 100 ms`);
    }
    this.lastSent.set(replica, Math.max(last ?? at, at));
  }

  private onRequest(stream: Stream, request: RpcRequest, link: string, from: string, to: number, t: number): void {
    const { args } = request;
    let kept: Replicated | Invoked | 'join' | null = request.method === 'join' ? 'join' : null;
    if (request.method === 'replicate' && /^\d+$/.test(from) && isInt(args.seq) && isInt(args.clientSeq)) {
      const message: Replicated = { link, from: Number(from), to, seq: args.seq, client: String(args.client), clientSeq: args.clientSeq, op: args.op, t };
      this.replicates.push(message);
      kept = message;
      this.emit({ kind: 'replicate', message });
    } else if (request.method === 'invoke' && from.startsWith('tester') && isInt(args.clientSeq)) {
      const message: Invoked = { link, tester: from, replica: to, client: String(args.client), clientSeq: args.clientSeq, op: args.op, t };
      this.invokes.push(message);
      kept = message;
    }
    if (request.id !== null) stream.waiting.set(request.id, kept);
  }

  private emit(event: TapEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
