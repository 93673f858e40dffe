/**
 * How a lab tells the recorder where one message ends and the next begins on a proxied connection,
 * and which processes a link joins. A lab without its own framing gets one message per chunk.
 */

export type Direction = 'request' | 'reply';   // request: from the side that connected

/** One message cut out of a byte stream. */
export interface FramedMessage {
  bytes: number;                 // its length on the wire
  summary: string;               // one short line, e.g. 'replicate #9 (factory 2, committed 8)'
}

/** Frames both directions of one proxied connection; it may keep state across them. */
export interface ConnectionFramer {
  push(direction: Direction, bytes: Buffer): FramedMessage[]; // the messages these bytes completed
  flush(direction: Direction): FramedMessage[];               // at close: what is left, if anything
}

/** The processes at the two ends of a link, the connecting one first. */
export interface LinkEnds {
  from: string;
  to: string;
}

export interface TimelineWire {
  framer(link: string): ConnectionFramer;      // a fresh framer per proxied connection
  /** The ends of `link` for a connection accepted while `live` processes ran (in start order). */
  linkEnds?(link: string, live: readonly string[]): LinkEnds;
}

/** Unknown protocol: every chunk the proxy carried is one message. */
export function chunkFramer(): ConnectionFramer {
  return {
    push: (_direction, bytes) => [{ bytes: bytes.length, summary: `${bytes.length} bytes` }],
    flush: () => [],
  };
}

/** 'a→b' joins processes a and b; a missing side is the grader itself. */
export function endsFromName(link: string): LinkEnds {
  const [from = '', to = ''] = link.split('→');
  return { from: from || 'grader', to: to || 'grader' };
}

/** Shortens a summary to about `max` characters, on one line. */
export function shorten(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
