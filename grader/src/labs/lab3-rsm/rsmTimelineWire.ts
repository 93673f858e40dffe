/**
 * How lab 3's traffic appears in a check's timeline: JSON lines, a request `{id, method, args}`
 * from the side that connected and replies carrying the request's id (handout, "Messages").
 * Replies are named after the request they answer. Link `i→j` joins replica i to replica j, and
 * `testerK→j` tester K to replica j.
 *
 * Heartbeat pings (every 100 ms on every replica link) stay in: the recorder keeps every message a
 * framer returns. In a check they are a few percent of the messages (the testers' traffic is far
 * denser), summarized as `ping` and `ping ok`.
 */
import type { ConnectionFramer, Direction, FramedMessage, LinkEnds, TimelineWire } from '../../record/messageFraming.ts';
import { LineSplitter, parseReply, parseRequest, summarizeReply, summarizeRequest, type RpcRequest } from './rsmWire.ts';

export function rsmFramer(): ConnectionFramer {
  const splitters: Record<Direction, LineSplitter> = { request: new LineSplitter(), reply: new LineSplitter() };
  const asked = new Map<number, RpcRequest>(); // request id -> the request, until answered
  const frame = (direction: Direction, line: string): FramedMessage => {
    const bytes = Buffer.byteLength(line) + 1;
    if (direction === 'request') {
      const request = parseRequest(line);
      if (!request) return { bytes, summary: `${bytes} bytes (not a request of the protocol)` };
      if (request.id !== null) asked.set(request.id, request);
      return { bytes, summary: summarizeRequest(request) };
    }
    const reply = parseReply(line);
    if (!reply) return { bytes, summary: `${bytes} bytes (not a reply of the protocol)` };
    const request = reply.id === null ? undefined : asked.get(reply.id);
    if (reply.id !== null) asked.delete(reply.id);
    return { bytes, summary: summarizeReply(reply, request) };
  };
  return {
    push: (direction, bytes) => splitters[direction].push(bytes).map((line) => frame(direction, line)),
    flush(direction) {
      const rest = splitters[direction].flush();
      return rest.length > 0 ? [{ bytes: Buffer.byteLength(rest), summary: `${Buffer.byteLength(rest)} bytes (an incomplete line)` }] : [];
    },
  };
}

/** `0→2` joins replica0 and replica2; `tester1→0` joins tester1 and replica0. */
export function rsmLinkEnds(link: string, live: readonly string[]): LinkEnds {
  const lane = (end: string): string => {
    const name = /^\d+$/.test(end) ? `replica${end}` : end;
    return [...live].reverse().find((candidate) => candidate === name || candidate.startsWith(`${name}-`)) ?? name;
  };
  const [from = '', to = ''] = link.split('→');
  return { from: lane(from), to: lane(to) };
}

export const rsmTimelineWire: TimelineWire = { framer: rsmFramer, linkEnds: rsmLinkEnds };
