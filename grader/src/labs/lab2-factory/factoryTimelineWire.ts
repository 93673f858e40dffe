/**
 * How lab 2's traffic appears in a check's timeline: each connection carries an identification,
 * then fixed-size big-endian messages whose kind follows from the role and, for a customer's
 * replies, from the request they answer (handout, section "Protocol"). Link `i→j` joins factory i
 * to factory j, or to its restarted process when that is the one running.
 */
import type { ConnectionFramer, Direction, FramedMessage, LinkEnds, TimelineWire } from '../../record/messageFraming.ts';
import { REQUEST, ROLE, byteSize, decode, type CustomerRecord, type CustomerRequest, type MessageKind, type ReplicationReply, type ReplicationRequest, type RobotInfo, type Status } from './factoryWire.ts';

const REPLY_KIND: Readonly<Record<number, MessageKind>> = { [REQUEST.order]: 'robotInfo', [REQUEST.read]: 'customerRecord', [REQUEST.status]: 'status' };

/** The one-line summary of a decoded message. */
export function summarize(kind: MessageKind, bytes: Buffer): string {
  switch (kind) {
    case 'replicationRequest': {
      const m = decode<ReplicationRequest>(kind, bytes);
      return `replicate #${m.lastIndex} (factory ${m.factoryId}, committed ${m.committedIndex})`;
    }
    case 'replicationReply': {
      const m = decode<ReplicationReply>(kind, bytes);
      return `ack #${m.lastIndex} (factory ${m.factoryId})`;
    }
    case 'customerRequest': {
      const m = decode<CustomerRequest>(kind, bytes);
      const what = m.requestType === REQUEST.order ? `order ${m.orderNumber}` : m.requestType === REQUEST.read ? 'read' : m.requestType === REQUEST.status ? 'status' : `type ${m.requestType}`;
      return `${what} (customer ${m.customerId})`;
    }
    case 'robotInfo': {
      const m = decode<RobotInfo>(kind, bytes);
      return `robot: customer ${m.customerId} order ${m.orderNumber} (admin ${m.adminId})`;
    }
    case 'customerRecord': {
      const m = decode<CustomerRecord>(kind, bytes);
      return `record: customer ${m.customerId} last order ${m.lastOrder}`;
    }
    case 'status': {
      const m = decode<Status>(kind, bytes);
      return `status of ${m.factoryId}: primary ${m.primaryId}, last ${m.lastIndex}, committed ${m.committedIndex}`;
    }
    case 'role':
      return identification(bytes.readInt32BE(0));
  }
}

function identification(role: number): string {
  return role === ROLE.admin ? 'hello: primary admin' : role === ROLE.customer ? 'hello: customer' : `hello: role ${role}`;
}

export function factoryFramer(): ConnectionFramer {
  const buffered: Record<Direction, Buffer> = { request: Buffer.alloc(0), reply: Buffer.alloc(0) };
  const awaiting: number[] = [];          // request types of the customer requests not answered yet
  let role: number | undefined;           // the identification, once received
  const next = (direction: Direction): MessageKind | undefined => {
    if (direction === 'request') return role === undefined ? 'role' : role === ROLE.admin ? 'replicationRequest' : role === ROLE.customer ? 'customerRequest' : undefined;
    if (role === ROLE.admin) return 'replicationReply';
    return role === ROLE.customer && awaiting.length > 0 ? REPLY_KIND[awaiting[0] as number] : undefined;
  };
  const take = (direction: Direction, kind: MessageKind, bytes: Buffer): FramedMessage => {
    if (kind === 'role') role = bytes.readInt32BE(0);
    if (kind === 'customerRequest') awaiting.push(bytes.readInt32BE(8));
    if (direction === 'reply' && role === ROLE.customer) awaiting.shift();
    return { bytes: bytes.length, summary: summarize(kind, bytes) };
  };
  return {
    push(direction, bytes) {
      let rest = Buffer.concat([buffered[direction], bytes]);
      const messages: FramedMessage[] = [];
      for (let kind = next(direction); kind !== undefined && rest.length >= byteSize(kind); kind = next(direction)) {
        messages.push(take(direction, kind, rest.subarray(0, byteSize(kind))));
        rest = rest.subarray(byteSize(kind));
      }
      if (rest.length > 0 && next(direction) === undefined) {
        messages.push({ bytes: rest.length, summary: `${rest.length} bytes (not in the protocol here)` });
        rest = Buffer.alloc(0);
      }
      buffered[direction] = Buffer.from(rest);
      return messages;
    },
    flush(direction) {
      const rest = buffered[direction];
      buffered[direction] = Buffer.alloc(0);
      return rest.length > 0 ? [{ bytes: rest.length, summary: `${rest.length} bytes (an incomplete message)` }] : [];
    },
  };
}

export function factoryLinkEnds(link: string, live: readonly string[]): LinkEnds {
  const lane = (id: string): string => [...live].reverse().find((name) => name === `factory${id}` || name.startsWith(`factory${id}-`)) ?? `factory${id}`;
  const [from = '', to = ''] = link.split('→');
  return { from: lane(from), to: lane(to) };
}

export const factoryTimelineWire: TimelineWire = { framer: factoryFramer, linkEnds: factoryLinkEnds };
