/**
 * The grader's reference customer: one connection to a factory server, identified as a customer,
 * one request at a time, every wait bounded. The checks drive student servers with it, and the
 * benchmark measures them with it.
 */
import net, { type Socket } from 'node:net';
import { CheckFailure } from '../../check/checkFailure.ts';
import {
  REQUEST, ROLE, byteSize, decode, encode,
  type CustomerRecord, type MessageKind, type RobotInfo, type Status,
} from './factoryWire.ts';

/** The server closed or reset the connection, or could not be reached: a failure of the check unless caught. */
export class ConnectionEnded extends CheckFailure {}
/** The server kept the connection open but did not answer within the bound. */
export class NoReply extends CheckFailure {}

const DEFAULT_REPLY_MS = 5000;

interface Pending {
  size: number;
  resolve: (bytes: Buffer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class FactoryConnection {
  private received: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  private ended: Error | undefined;          // set once the connection is gone

  private constructor(
    private readonly socket: Socket,
    readonly label: string,                  // e.g. 'factory 1 (port 40123)', for messages
    private readonly replyMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => this.end(new ConnectionEnded(`${label}: ${error.message}`)));
    socket.on('close', () => this.end(new ConnectionEnded(`${label} closed the connection`)));
  }

  /** Connects and identifies as a customer. */
  static open(port: number, label = `port ${port}`, replyMs = DEFAULT_REPLY_MS): Promise<FactoryConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host: '127.0.0.1', port });
      const fail = (error: Error): void => reject(new ConnectionEnded(`${label}: ${error.message}`));
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        socket.write(encode('role', { role: ROLE.customer }));
        resolve(new FactoryConnection(socket, label, replyMs));
      });
    });
  }

  async order(customerId: number, orderNumber: number): Promise<RobotInfo> {
    return this.call('robotInfo', { customerId, orderNumber, requestType: REQUEST.order });
  }

  async read(customerId: number): Promise<CustomerRecord> {
    return this.call('customerRecord', { customerId, orderNumber: -1, requestType: REQUEST.read });
  }

  async status(): Promise<Status> {
    return this.call('status', { customerId: -1, orderNumber: -1, requestType: REQUEST.status });
  }

  isOpen(): boolean {
    return this.ended === undefined;
  }

  close(): void {
    this.socket.destroy();
    this.end(new ConnectionEnded(`${this.label}: closed by the grader`));
  }

  private async call<T>(replyKind: MessageKind, request: object): Promise<T> {
    if (this.ended) throw this.ended;
    if (this.pending) throw new Error(`${this.label}: one request at a time`);
    const reply = new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A late reply would be taken for the next one: the connection is no longer usable.
        this.socket.destroy();
        this.end(new NoReply(`${this.label} did not reply within ${this.replyMs} ms`));
      }, this.replyMs);
      this.pending = { size: byteSize(replyKind), resolve, reject, timer };
    });
    this.socket.write(encode('customerRequest', request));
    this.deliver();
    return decode<T>(replyKind, await reply);
  }

  private onData(chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]);
    this.deliver();
  }

  private deliver(): void {
    const pending = this.pending;
    if (!pending || this.received.length < pending.size) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    const bytes = this.received.subarray(0, pending.size);
    this.received = this.received.subarray(pending.size);
    pending.resolve(bytes);
  }

  private end(error: Error): void {
    this.ended ??= error;
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.reject(this.ended);
  }
}
