// lab2-factory stubs: the protocol's connections, the wire hidden behind calls. Given code: do not edit; the grader uses its own copy.
//
// Every call that waits for the peer rejects with ConnectionLost when the connection closes, is
// reset or fails (and connect() when the peer cannot be reached). Sending on a lost connection
// does not throw: the message goes nowhere, and the next call that waits rejects. A field that is
// not a 32-bit integer throws a RangeError, connection or not.
import type { Socket } from 'node:net';
import { FrameReader, connectTo } from './frameReader.ts';
import {
  CUSTOMER_RECORD,
  CUSTOMER_REQUEST,
  IDENTIFICATION,
  REPLICATION_REPLY,
  REPLICATION_REQUEST,
  ROBOT_INFO,
  RequestType,
  Role,
  STATUS,
  type Codec,
  type CustomerRecord,
  type CustomerRequest,
  type ReplicationReply,
  type ReplicationRequest,
  type RobotInfo,
  type Status,
} from './messages.ts';

export { ConnectionLost } from './frameReader.ts';

/** One open connection: typed messages out, typed messages in. */
class Channel {
  private readonly reader: FrameReader; // whole messages in, and whether the connection is still up

  constructor(
    private readonly socket: Socket,
    readonly peer: string, // who is at the other end, for messages
  ) {
    this.reader = new FrameReader(socket, peer);
  }

  get isOpen(): boolean {
    return this.reader.isOpen;
  }

  send<T>(codec: Codec<T>, message: T): void {
    const bytes = codec.encode(message); // before the check: a bad message throws even on a lost connection
    if (this.reader.isOpen) this.socket.write(bytes);
  }

  async receive<T>(codec: Codec<T>): Promise<T> {
    return codec.decode(await this.reader.read(codec.size));
  }

  /** Sends a request and resolves with the reply. */
  async call<Q, R>(requestCodec: Codec<Q>, request: Q, replyCodec: Codec<R>): Promise<R> {
    this.send(requestCodec, request);
    return this.receive(replyCodec);
  }

  close(): void {
    this.reader.close();
  }
}

/** `HOST:PORT` unless the caller gives a better name, such as `factory 1 at HOST:PORT`. */
const nameOf = (host: string, port: number, name?: string): string => name ?? `${host}:${port}`;

/** A customer's connection to a server (the client's side of role 1). */
export class ClientStub {
  private constructor(private readonly channel: Channel) {}

  /** Connects and identifies as a customer. Rejects with ConnectionLost when it cannot connect. */
  static async connect(host: string, port: number, name?: string): Promise<ClientStub> {
    const peer = nameOf(host, port, name);
    const channel = new Channel(await connectTo(host, port, peer), peer);
    channel.send(IDENTIFICATION, { role: Role.CUSTOMER });
    return new ClientStub(channel);
  }

  get peer(): string {
    return this.channel.peer;
  }

  /** Whether the connection is still up. */
  get isOpen(): boolean {
    return this.channel.isOpen;
  }

  /** Sends an order (request_type must be ORDER) and resolves with the robot once it is built. */
  order(request: CustomerRequest): Promise<RobotInfo> {
    expectType(request, RequestType.ORDER, 'order');
    return this.channel.call(CUSTOMER_REQUEST, request, ROBOT_INFO);
  }

  /** Sends a read (request_type must be READ) and resolves with the record, `-1 -1` when none. */
  readRecord(request: CustomerRequest): Promise<CustomerRecord> {
    expectType(request, RequestType.READ, 'readRecord');
    return this.channel.call(CUSTOMER_REQUEST, request, CUSTOMER_RECORD);
  }

  /** Asks for the server's replication state. */
  status(): Promise<Status> {
    const request = { customerId: -1, orderNumber: -1, requestType: RequestType.STATUS };
    return this.channel.call(CUSTOMER_REQUEST, request, STATUS);
  }

  close(): void {
    this.channel.close();
  }
}

function expectType(request: CustomerRequest, type: number, call: string): void {
  if (request.requestType !== type) {
    throw new Error(`ClientStub.${call}() sends request_type ${type}, not ${request.requestType}`);
  }
}

/** The primary admin's connection to one backup (the primary's side of role 2). */
export class AdminStub {
  private constructor(private readonly channel: Channel) {}

  /** Connects and identifies as the primary's admin. Rejects with ConnectionLost when it cannot connect. */
  static async connect(host: string, port: number, name?: string): Promise<AdminStub> {
    const peer = nameOf(host, port, name);
    const channel = new Channel(await connectTo(host, port, peer), peer);
    channel.send(IDENTIFICATION, { role: Role.PRIMARY_ADMIN });
    return new AdminStub(channel);
  }

  get peer(): string {
    return this.channel.peer;
  }

  /** Whether the connection is still up: false once the backup closed it or died. */
  get isOpen(): boolean {
    return this.channel.isOpen;
  }

  /** Sends one replication request and resolves with the backup's reply. */
  replicate(request: ReplicationRequest): Promise<ReplicationReply> {
    return this.channel.call(REPLICATION_REQUEST, request, REPLICATION_REPLY);
  }

  close(): void {
    this.channel.close();
  }
}

/**
 * The server's side of one accepted connection, whichever role the peer identifies as. The
 * receive calls resolve with what the peer sent, whatever its values: checking them is the caller's.
 */
export class ServerStub {
  private readonly channel: Channel;

  constructor(socket: Socket) {
    socket.setNoDelay(true);
    const host = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, ''); // an IPv4 peer of an IPv6 socket
    this.channel = new Channel(socket, `${host}:${socket.remotePort ?? '?'}`);
  }

  get peer(): string {
    return this.channel.peer;
  }

  /** The identification: Role.CUSTOMER, Role.PRIMARY_ADMIN, or any other number the peer sent. */
  async receiveRole(): Promise<number> {
    return (await this.channel.receive(IDENTIFICATION)).role;
  }

  receiveRequest(): Promise<CustomerRequest> {
    return this.channel.receive(CUSTOMER_REQUEST);
  }

  shipRobot(info: RobotInfo): void {
    this.channel.send(ROBOT_INFO, info);
  }

  returnRecord(record: CustomerRecord): void {
    this.channel.send(CUSTOMER_RECORD, record);
  }

  returnStatus(status: Status): void {
    this.channel.send(STATUS, status);
  }

  receiveReplication(): Promise<ReplicationRequest> {
    return this.channel.receive(REPLICATION_REQUEST);
  }

  replyReplication(reply: ReplicationReply): void {
    this.channel.send(REPLICATION_REPLY, reply);
  }

  close(): void {
    this.channel.close();
  }
}
