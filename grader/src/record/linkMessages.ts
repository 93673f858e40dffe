/**
 * Turns the events of a check's link proxies into timeline messages: each connection's two byte
 * streams are cut into messages by the lab's framer, and each message gets the time its first
 * byte reached the proxy (sent) and the time its last byte was delivered (received).
 */
import type { LinkEvent } from '../harness/linkProxy.ts';
import type { TimelineMessage } from './recordTypes.ts';
import { chunkFramer, endsFromName, type ConnectionFramer, type Direction, type LinkEnds, type TimelineWire } from './messageFraming.ts';

interface StreamState {
  pending: number;               // bytes pushed that no message holds yet
  startedAt: number;             // when the first pending byte reached the proxy
  lastDelivered: number;         // when the newest chunk was delivered
}

interface Connection {
  link: string;
  ends: LinkEnds;
  framer: ConnectionFramer;
  streams: Record<Direction, StreamState>;
}

export class LinkMessageLog {
  private readonly connections = new Map<string, Connection>(); // by `${link}#${exchange}`
  private readonly messages: Omit<TimelineMessage, 'id'>[] = [];
  readonly links = new Map<string, LinkEnds>();                  // the ends each link was last seen with

  constructor(
    private readonly wire: TimelineWire | undefined,
    private readonly origin: number,                             // performance.now() at the check's start
    private readonly live: () => readonly string[],              // names of the running processes
  ) {}

  observe(event: LinkEvent): void {
    const connection = this.connection(event.link, event.exchange);
    if (event.kind === 'data') this.onData(connection, event.direction, event.bytes, event.receivedAt, event.t);
    else if (event.kind === 'close' || event.kind === 'reset' || event.kind === 'refused') this.onClose(event.link, event.exchange, connection);
  }

  /** Every message so far, numbered in order of sending; unfinished ones are flushed first. */
  all(): TimelineMessage[] {
    for (const [key, connection] of this.connections) this.onCloseKey(key, connection);
    const sorted = [...this.messages].sort((a, b) => a.sentMs - b.sentMs || a.receivedMs - b.receivedMs);
    return sorted.map((message, index) => ({ id: index + 1, ...message }));
  }

  /** The ends of `link` as last seen, or as they would be for a connection now. */
  endsOf(link: string): LinkEnds {
    const ends = this.links.get(link) ?? this.wire?.linkEnds?.(link, this.live()) ?? endsFromName(link);
    this.links.set(link, ends);
    return ends;
  }

  private connection(link: string, exchange: number): Connection {
    const key = `${link}#${exchange}`;
    const known = this.connections.get(key);
    if (known) return known;
    const ends = this.wire?.linkEnds?.(link, this.live()) ?? endsFromName(link);
    this.links.set(link, ends);
    const stream = (): StreamState => ({ pending: 0, startedAt: 0, lastDelivered: 0 });
    const created = { link, ends, framer: this.wire?.framer(link) ?? chunkFramer(), streams: { request: stream(), reply: stream() } };
    this.connections.set(key, created);
    return created;
  }

  private onData(connection: Connection, direction: Direction, bytes: Buffer, receivedAt: number, deliveredAt: number): void {
    const stream = connection.streams[direction];
    const carriedStart = stream.pending > 0 ? stream.startedAt : receivedAt;
    const framed = connection.framer.push(direction, bytes);
    framed.forEach((message, index) => this.add(connection, direction, message.bytes, message.summary, index === 0 ? carriedStart : receivedAt, deliveredAt));
    stream.pending += bytes.length - framed.reduce((sum, message) => sum + message.bytes, 0);
    if (stream.pending <= 0) stream.pending = 0;
    stream.startedAt = framed.length > 0 ? receivedAt : carriedStart;
    stream.lastDelivered = deliveredAt;
  }

  /** Flushes what the connection's streams still hold and forgets it. */
  private onClose(link: string, exchange: number, connection: Connection): void {
    this.onCloseKey(`${link}#${exchange}`, connection);
  }

  private onCloseKey(key: string, connection: Connection): void {
    for (const direction of ['request', 'reply'] as const) {
      const stream = connection.streams[direction];
      if (stream.pending === 0) continue;
      for (const message of connection.framer.flush(direction)) this.add(connection, direction, message.bytes, message.summary, stream.startedAt, stream.lastDelivered);
      stream.pending = 0;
    }
    this.connections.delete(key);
  }

  private add(connection: Connection, direction: Direction, bytes: number, summary: string, sent: number, delivered: number): void {
    const { from, to } = direction === 'request' ? connection.ends : { from: connection.ends.to, to: connection.ends.from };
    const sentMs = round(sent - this.origin);
    this.messages.push({ link: connection.link, from, to, sentMs, receivedMs: Math.max(sentMs, round(delivered - this.origin)), bytes, summary });
  }
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
