// lab2-factory frames: whole messages from a TCP socket, and outgoing connections. Given code: do not edit; the grader uses its own copy.
import { createConnection, type Socket } from 'node:net';

const CONNECT_TIMEOUT_MS = 5000; // a peer that does not accept a connection within this is unreachable
const MAX_BUFFERED = 64 * 1024; // bytes read ahead of what is asked before the socket is paused

/**
 * The connection to `peer` closed, was reset or failed, or could not be opened. For a server this
 * is a normal event (a peer died), not an error: the handout's failure rules say what to do.
 */
export class ConnectionLost extends Error {
  readonly code = 'CONNECTION_LOST';

  constructor(
    readonly peer: string, // who was at the other end, e.g. `factory 1 at 127.0.0.1:5001`
    readonly reason: string, // what happened, e.g. `read ECONNRESET`
    message = `lost the connection to ${peer} (${reason})`,
  ) {
    super(message);
    this.name = 'ConnectionLost';
  }
}

interface PendingRead {
  size: number; // bytes asked for
  resolve(bytes: Buffer): void; // settles read() with exactly `size` bytes
  reject(error: ConnectionLost): void; // settles read() once they can never come
}

/**
 * Reads exactly the number of bytes asked for from a socket, however TCP splits or joins them.
 * It listens to the socket's 'error' event, so a failing socket never crashes the program; once
 * the connection is over, every read that the bytes already received cannot satisfy rejects with
 * ConnectionLost. One read at a time.
 */
export class FrameReader {
  private chunks: Buffer[] = []; // bytes received and not read yet, oldest first
  private buffered = 0; // their total length
  private pending: PendingRead | undefined; // the read waiting for bytes, if any
  private lostWith: ConnectionLost | undefined; // set once the connection is over

  constructor(
    private readonly socket: Socket,
    readonly peer: string, // for messages
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => this.lose('closed by the peer'));
    socket.on('error', (error: Error) => this.lose(error.message));
    socket.on('close', () => this.lose('closed'));
  }

  /** Whether the connection is still up (bytes may still be buffered after it is not). */
  get isOpen(): boolean {
    return this.lostWith === undefined;
  }

  /** Resolves with the next `size` bytes; rejects with ConnectionLost if they can never come. */
  read(size: number): Promise<Buffer> {
    if (this.pending) return Promise.reject(new Error('FrameReader: a read is already waiting'));
    return new Promise((resolve, reject) => {
      this.pending = { size, resolve, reject };
      this.serve();
    });
  }

  /** Ends the connection from this side; reads waiting or to come reject with ConnectionLost. */
  close(): void {
    this.lose('closed by this side');
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered > MAX_BUFFERED) this.socket.pause(); // a peer far ahead of the protocol waits
    this.serve();
  }

  private lose(reason: string): void {
    this.lostWith ??= new ConnectionLost(this.peer, reason);
    this.serve();
  }

  /** Settles the waiting read when it can be settled. */
  private serve(): void {
    const pending = this.pending;
    if (!pending) return;
    if (this.buffered >= pending.size) {
      this.pending = undefined;
      pending.resolve(this.take(pending.size));
    } else if (this.lostWith) {
      this.pending = undefined;
      pending.reject(this.lostWith);
    }
  }

  private take(size: number): Buffer {
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    const rest = all.subarray(size);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    if (this.buffered <= MAX_BUFFERED && this.isOpen) this.socket.resume();
    return Buffer.from(all.subarray(0, size)); // a copy: `all` may be a much larger buffer
  }
}

/**
 * Opens a TCP connection and resolves with the socket once it is connected, with Nagle's delay
 * turned off (small request-reply messages). Rejects with ConnectionLost when the peer refuses,
 * cannot be reached, or does not accept within CONNECT_TIMEOUT_MS; the socket is then destroyed.
 */
export function connectTo(host: string, port: number, peer: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port, noDelay: true });
    const fail = (reason: string): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new ConnectionLost(peer, reason, `cannot connect to ${peer} (${reason})`));
    };
    const timer = setTimeout(() => fail(`no answer within ${CONNECT_TIMEOUT_MS} ms`), CONNECT_TIMEOUT_MS);
    socket.on('error', (error: Error) => fail(error.message)); // once connected, the FrameReader's listener matters
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}
