/**
 * The two ends of the loopback floor: an echo server that answers every fixed-size request with a
 * fixed-size reply after the 4-byte identification, and a client connection that sends one request
 * at a time and waits for the whole reply, bounded like the reference customer. The echo server
 * runs in this process but on its own thread, so that, as with a real server, its event loop is not
 * the client's: a round trip pays the wake-up of another thread, and load on one side does not
 * slow the other.
 */
import net, { type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

export interface EchoServer {
  port: number;
  close(): Promise<void>;
}

/** The echo thread's code: plain JavaScript, evaluated as a script (no TypeScript loader in workers). */
const ECHO_THREAD = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { requestBytes, replyBytes } = workerData;
const reply = Buffer.alloc(replyBytes);
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let pending = -4; // bytes received and not answered yet; starts below 0 by the identification
  socket.on('data', (chunk) => {
    pending += chunk.length;
    while (pending >= requestBytes) { pending -= requestBytes; socket.write(reply); }
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

/** Starts an echo server answering `requestBytes`-byte requests with `replyBytes` bytes, after a 4-byte identification. */
export async function startEchoServer(requestBytes: number, replyBytes: number): Promise<EchoServer> {
  const worker = new Worker(ECHO_THREAD, { eval: true, workerData: { requestBytes, replyBytes } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (message: number) => resolve(message));
    worker.once('error', reject);
  });
  return { port, close: async () => void (await worker.terminate()) };
}

/** One client connection of fixed-size requests and replies, one at a time (like FactoryConnection). */
export class FramedConnection {
  private received: Buffer = Buffer.alloc(0);
  private waiting: { resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;
  private ended: Error | undefined;

  private constructor(private readonly socket: Socket, private readonly request: Buffer, private readonly replyBytes: number) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.deliver();
    });
    socket.on('error', (error) => this.end(error));
    socket.on('close', () => this.end(new Error('the echo server closed the connection')));
  }

  static open(port: number, role: number, requestBytes: number, replyBytes: number): Promise<FramedConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        const identification = Buffer.alloc(4);
        identification.writeInt32BE(role);
        socket.write(identification);
        resolve(new FramedConnection(socket, Buffer.alloc(requestBytes), replyBytes));
      });
    });
  }

  exchange(): Promise<void> {
    if (this.ended) return Promise.reject(this.ended);
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.end(new Error('the echo server did not reply within 5 s')), 5000);
      this.waiting = { resolve, reject, timer };
    });
    this.socket.write(this.request);
    return done;
  }

  close(): void {
    this.socket.destroy();
  }

  private deliver(): void {
    const waiting = this.waiting;
    if (!waiting || this.received.length < this.replyBytes) return;
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    this.received = this.received.subarray(this.replyBytes);
    waiting.resolve();
  }

  private end(error: Error): void {
    this.ended ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(this.ended);
    }
  }
}
