// lab2-factory messages: the protocol's messages and their encoding. Given code: do not edit; the grader uses its own copy.
//
// A message is a fixed list of 32-bit signed big-endian integers, with no tag and no length:
// the receiver knows from the state of the connection which message comes next.

/** The identification that opens every connection says which role the server plays on it. */
export const Role = {
  CUSTOMER: 1, // a customer: CustomerRequests follow
  PRIMARY_ADMIN: 2, // the primary's admin: ReplicationRequests follow
} as const;

/** request_type of a CustomerRequest (3, the scan, exists only on the client's command line). */
export const RequestType = {
  ORDER: 1, // build a robot and record the order: answered with a RobotInfo
  READ: 2, // read one customer's record: answered with a CustomerRecord
  SCAN: 3, // client only: a series of reads; never sent
  STATUS: 4, // the server's replication state: answered with a Status
} as const;

/** opcode of a MapOp. */
export const Opcode = {
  SET_LAST_ORDER: 1, // records[arg1] = arg2: customer arg1's latest order is arg2
} as const;

export interface Identification {
  role: number; // one of Role
}

export interface CustomerRequest {
  customerId: number; // who asks
  orderNumber: number; // the order's number; -1 in a read or status request
  requestType: number; // one of RequestType
}

export interface RobotInfo {
  customerId: number; // repeated from the order
  orderNumber: number; // repeated from the order
  requestType: number; // repeated from the order
  engineerId: number; // the engineer that served the connection, >= 0
  adminId: number; // the factory ID of the server whose admin recorded the order
}

export interface CustomerRecord {
  customerId: number; // the customer, or -1 when it has no record
  lastOrder: number; // its latest committed order, or -1 when it has no record
}

export interface Status {
  factoryId: number; // the server's own ID
  primaryId: number; // the factory it believes is the primary, -1 when none
  lastIndex: number; // index of the newest entry of its log, -1 when empty
  committedIndex: number; // index of the newest entry committed and applied, -1 when none
}

/** One entry of the state-machine log: an operation on the customer records. */
export interface MapOp {
  opcode: number; // one of Opcode
  arg1: number; // customer_id
  arg2: number; // order_number
}

export interface ReplicationRequest {
  factoryId: number; // the primary's ID
  committedIndex: number; // the primary's committed index
  lastIndex: number; // the index at which the backup must store the MapOp below
  opcode: number; // the MapOp ...
  arg1: number;
  arg2: number;
}

export interface ReplicationReply {
  factoryId: number; // the backup's ID
  lastIndex: number; // the backup's last index once it stored the entry
}

/** How one kind of message travels: its fields in wire order and its size in bytes. */
export interface Codec<T> {
  name: string; // as in the handout, for messages
  fields: readonly (keyof T & string)[]; // in the order they travel
  size: number; // 4 bytes per field
  encode(message: T): Buffer;
  decode(bytes: Buffer): T;
}

type Numbers<T> = { [K in keyof T]: number };

function codec<T extends Numbers<T>>(name: string, fields: readonly (keyof T & string)[]): Codec<T> {
  const size = 4 * fields.length;
  return {
    name,
    fields,
    size,
    encode(message: T): Buffer {
      const bytes = Buffer.alloc(size);
      fields.forEach((field, i) => {
        const value = message[field];
        if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
          throw new RangeError(`${name}.${field} must be a 32-bit signed integer, not ${value}`);
        }
        bytes.writeInt32BE(value, 4 * i);
      });
      return bytes;
    },
    decode(bytes: Buffer): T {
      if (bytes.length !== size) throw new RangeError(`${name} takes ${size} bytes, not ${bytes.length}`);
      const message: Record<string, number> = {};
      fields.forEach((field, i) => (message[field] = bytes.readInt32BE(4 * i)));
      return message as T;
    },
  };
}

export const IDENTIFICATION = codec<Identification>('Identification', ['role']);
export const CUSTOMER_REQUEST = codec<CustomerRequest>('CustomerRequest', ['customerId', 'orderNumber', 'requestType']);
export const ROBOT_INFO = codec<RobotInfo>('RobotInfo', ['customerId', 'orderNumber', 'requestType', 'engineerId', 'adminId']);
export const CUSTOMER_RECORD = codec<CustomerRecord>('CustomerRecord', ['customerId', 'lastOrder']);
export const STATUS = codec<Status>('Status', ['factoryId', 'primaryId', 'lastIndex', 'committedIndex']);
export const REPLICATION_REQUEST = codec<ReplicationRequest>('ReplicationRequest', [
  'factoryId',
  'committedIndex',
  'lastIndex',
  'opcode',
  'arg1',
  'arg2',
]);
export const REPLICATION_REPLY = codec<ReplicationReply>('ReplicationReply', ['factoryId', 'lastIndex']);

/** The record a customer without one reads: `-1 -1`. */
export const NO_RECORD: Readonly<CustomerRecord> = { customerId: -1, lastOrder: -1 };
