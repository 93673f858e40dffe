/**
 * How lab 1's traffic appears in a check's timeline: every message is one text line (a request
 * `FROM TO AMOUNT ...` or a reply `BALANCE_FROM BALANCE_TO`), and a replica's link `→a` is used by
 * the coordinator when one runs, else by the given client, else by the grader's own probes.
 */
import { shorten, type ConnectionFramer, type Direction, type FramedMessage, type LinkEnds, type TimelineWire } from '../../record/messageFraming.ts';

/** Cuts newline-terminated lines; a last line without a newline comes out at close. */
export function lineFramer(): ConnectionFramer {
  const partial: Record<Direction, Buffer> = { request: Buffer.alloc(0), reply: Buffer.alloc(0) };
  const asMessage = (line: Buffer): FramedMessage => ({ bytes: line.length, summary: shorten(line.toString('utf8')) || '(empty line)' });
  return {
    push(direction, bytes) {
      let rest = partial[direction].length > 0 ? Buffer.concat([partial[direction], bytes]) : bytes;
      const messages: FramedMessage[] = [];
      for (let end = rest.indexOf(10); end >= 0; end = rest.indexOf(10)) {
        messages.push(asMessage(rest.subarray(0, end + 1)));
        rest = rest.subarray(end + 1);
      }
      partial[direction] = Buffer.from(rest);
      return messages;
    },
    flush(direction) {
      const rest = partial[direction];
      partial[direction] = Buffer.alloc(0);
      return rest.length > 0 ? [asMessage(rest)] : [];
    },
  };
}

export function bankLinkEnds(link: string, live: readonly string[]): LinkEnds {
  const to = link.split('→').at(-1) || 'grader';
  const from = ['coord', 'clnt'].find((name) => live.includes(name)) ?? 'grader';
  return { from, to };
}

export const bankTimelineWire: TimelineWire = { framer: lineFramer, linkEnds: bankLinkEnds };
