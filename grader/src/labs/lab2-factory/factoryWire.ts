/**
 * The grader's own codec of lab 2's wire protocol (handout, section "Protocol"): fixed sequences of
 * 32-bit signed big-endian integers, no tags. It is written from the handout, not shared with the
 * starter's stubs, so that a mistake in one shows up against the other.
 */

export const ROLE = { customer: 1, admin: 2 } as const;
export const REQUEST = { order: 1, read: 2, status: 4 } as const;
export const OPCODE_UPDATE = 1;

export interface CustomerRequest { customerId: number; orderNumber: number; requestType: number }
export interface RobotInfo { customerId: number; orderNumber: number; requestType: number; engineerId: number; adminId: number }
export interface CustomerRecord { customerId: number; lastOrder: number }
export interface Status { factoryId: number; primaryId: number; lastIndex: number; committedIndex: number }
export interface ReplicationRequest { factoryId: number; committedIndex: number; lastIndex: number; opcode: number; arg1: number; arg2: number }
export interface ReplicationReply { factoryId: number; lastIndex: number }

/** Field names in wire order, one list per message: the single description of each layout. */
export const LAYOUT = {
  role: ['role'],
  customerRequest: ['customerId', 'orderNumber', 'requestType'],
  robotInfo: ['customerId', 'orderNumber', 'requestType', 'engineerId', 'adminId'],
  customerRecord: ['customerId', 'lastOrder'],
  status: ['factoryId', 'primaryId', 'lastIndex', 'committedIndex'],
  replicationRequest: ['factoryId', 'committedIndex', 'lastIndex', 'opcode', 'arg1', 'arg2'],
  replicationReply: ['factoryId', 'lastIndex'],
} as const;

export type MessageKind = keyof typeof LAYOUT;

export const byteSize = (kind: MessageKind): number => LAYOUT[kind].length * 4;

export function encode<T extends object>(kind: MessageKind, message: T): Buffer {
  const fields = LAYOUT[kind];
  const buffer = Buffer.alloc(fields.length * 4);
  const values = message as Record<string, unknown>;
  fields.forEach((field, index) => buffer.writeInt32BE(Number(values[field]), index * 4));
  return buffer;
}

export function decode<T>(kind: MessageKind, bytes: Buffer, offset = 0): T {
  const message: Record<string, number> = {};
  LAYOUT[kind].forEach((field, index) => {
    message[field] = bytes.readInt32BE(offset + index * 4);
  });
  return message as T;
}

/** A customer's record update, as the primary logs it. */
export interface MapOp { customerId: number; orderNumber: number }

export const opOf = (request: ReplicationRequest): MapOp => ({ customerId: request.arg1, orderNumber: request.arg2 });
export const describeOp = (op: MapOp): string => `customer ${op.customerId} ← order ${op.orderNumber}`;

/**
 * Decodes the two directions of one primary-admin connection as bytes arrive: the identification
 * then ReplicationRequests one way, ReplicationReplies the other. Bytes that are not a whole message
 * wait for the rest.
 */
export class AdminStreamDecoder {
  private requestBytes: Buffer = Buffer.alloc(0);
  private replyBytes: Buffer = Buffer.alloc(0);
  role: number | undefined;               // the identification, once received

  /** Feeds request-direction bytes; returns the ReplicationRequests they completed. */
  pushRequest(bytes: Buffer): ReplicationRequest[] {
    this.requestBytes = Buffer.concat([this.requestBytes, bytes]);
    if (this.role === undefined) {
      if (this.requestBytes.length < 4) return [];
      this.role = this.requestBytes.readInt32BE(0);
      this.requestBytes = this.requestBytes.subarray(4);
    }
    const taken = takeWhole<ReplicationRequest>('replicationRequest', this.requestBytes);
    this.requestBytes = taken.rest;
    return this.role === ROLE.admin ? taken.messages : [];
  }

  /** Feeds reply-direction bytes; returns the ReplicationReplies they completed. */
  pushReply(bytes: Buffer): ReplicationReply[] {
    this.replyBytes = Buffer.concat([this.replyBytes, bytes]);
    const taken = takeWhole<ReplicationReply>('replicationReply', this.replyBytes);
    this.replyBytes = taken.rest;
    return taken.messages;
  }
}

function takeWhole<T>(kind: MessageKind, bytes: Buffer): { messages: T[]; rest: Buffer } {
  const size = byteSize(kind);
  const messages: T[] = [];
  let offset = 0;
  while (bytes.length - offset >= size) {
    messages.push(decode<T>(kind, bytes, offset));
    offset += size;
  }
  return { messages, rest: bytes.subarray(offset) };
}
