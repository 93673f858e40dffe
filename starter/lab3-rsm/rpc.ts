// lab3-rsm RPC: JSON lines over TCP, many calls outstanding on one connection. Given code: do not edit; the grader uses its own copy.
//
// A request is `{"id": N, "method": "...", "args": {...}}` on one line; its reply carries the same id:
// `{"id": N, "ok": true, "result": ...}` or `{"id": N, "ok": false, "error": "CODE", "message": "..."}`,
// and an error reply may add a `result` with details (NOT_MASTER's `master`, OUT_OF_ORDER's `last`).
// Replies come back in the order the handlers finish, not the order of the requests.
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type Args = Record<string, unknown>; // a request's `args` object
export type Handler = (args: Args) => unknown; // returns the result, or a promise of it; throws RemoteError to answer an error

const MAX_LINE = 16 * 1024 * 1024; // a longer line is a broken peer: the connection is closed

/** What every failed call rejects with; `code` is stable, `message` is for people. */
export class RpcError extends Error {
  constructor(
    readonly code: string, // e.g. TIMEOUT, UNREACHABLE, NOT_MASTER
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No reply came within the call's time limit (the request may or may not have been executed). */
export class Timeout extends RpcError {
  constructor(message: string) {
    super('TIMEOUT', message);
  }
}

/** The peer could not be reached, or the connection broke before the reply came. */
export class Unreachable extends RpcError {
  constructor(message: string) {
    super('UNREACHABLE', message);
  }
}

/** The peer answered with an error reply; a handler throws one to send it. */
export class RemoteError extends RpcError {
  constructor(
    code: string,
    message: string,
    readonly result?: unknown, // the reply's optional details, e.g. { master: 0 }
  ) {
    super(code, message);
  }
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Calls `onLine` with each `\n`-terminated line of the socket, without the newline. */
function readLines(socket: Socket, onLine: (line: string) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line.trim() !== '') onLine(line);
    }
    if (buffered.length > MAX_LINE) socket.destroy();
  });
}

/** Answers requests with the handlers registered for their methods. */
export class RpcServer {
  private readonly handlers = new Map<string, Handler>(); // method name -> handler
  private readonly sockets = new Set<Socket>(); // open connections, closed by close()
  private server: Server | undefined; // set by listen()

  handle(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** Listens on `port` (0: chosen by the OS) and resolves with the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = createServer((socket) => this.serve(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    return (server.address() as AddressInfo).port;
  }

  close(): void {
    this.server?.close();
    for (const socket of this.sockets) socket.destroy();
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined); // a peer that resets is the peer's problem; 'close' follows
    readLines(socket, (line) => void this.answer(line).then((reply) => socket.writable && socket.write(`${JSON.stringify(reply)}\n`)));
  }

  /** The reply to one request line. */
  private async answer(line: string): Promise<object> {
    let request: { id?: unknown; method?: unknown; args?: unknown };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      return { id: null, ok: false, error: 'BAD_REQUEST', message: 'a request must be one JSON object on one line' };
    }
    const id = typeof request?.id === 'number' ? request.id : null;
    const handler = typeof request?.method === 'string' ? this.handlers.get(request.method) : undefined;
    if (id === null || typeof request.args !== 'object' || request.args === null) {
      return { id, ok: false, error: 'BAD_REQUEST', message: 'a request needs a numeric "id", a "method" and an "args" object' };
    }
    if (handler === undefined) return { id, ok: false, error: 'NO_SUCH_METHOD', message: `no method ${JSON.stringify(request.method)}` };
    try {
      return { id, ok: true, result: (await handler(request.args as Args)) ?? null };
    } catch (error) {
      if (error instanceof RemoteError) return { id, ok: false, error: error.code, message: error.message, result: error.result };
      return { id, ok: false, error: 'INTERNAL', message: reasonOf(error) };
    }
  }
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: RpcError) => void;
  timer: NodeJS.Timeout; // rejects the call with Timeout
}

/** Calls on one peer over one connection, opened on the first call and again after it breaks. */
export class RpcClient {
  private socket: Socket | undefined; // the open (or opening) connection
  private nextId = 1; // id of the next request
  private readonly pending = new Map<number, Pending>(); // calls waiting for their reply, by request id

  constructor(
    readonly host: string,
    readonly port: number,
    readonly name = `${host}:${port}`, // who the peer is, for messages
  ) {}

  /**
   * Sends one request and resolves with its result. Rejects with RemoteError when the peer answers
   * an error, Timeout when no reply comes within `timeoutMs`, Unreachable when there is no connection.
   */
  call(method: string, args: Args, timeoutMs = 1000): Promise<unknown> {
    const id = this.nextId++;
    const line = `${JSON.stringify({ id, method, args })}\n`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Timeout(`${this.name} did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.connection().write(line);
    });
  }

  /** Closes the connection; calls still waiting reject with Unreachable. */
  close(): void {
    this.socket?.destroy();
  }

  private connection(): Socket {
    if (this.socket !== undefined) return this.socket;
    const socket = createConnection({ host: this.host, port: this.port });
    this.socket = socket;
    socket.setNoDelay(true);
    let failure = 'the connection closed';
    socket.on('error', (error) => (failure = error.message));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      this.failAll(new Unreachable(`${this.name}: ${failure}`));
    });
    readLines(socket, (line) => this.settle(line));
    return socket;
  }

  private settle(line: string): void {
    let reply: { id?: unknown; ok?: unknown; result?: unknown; error?: unknown; message?: unknown };
    try {
      reply = JSON.parse(line) as typeof reply;
    } catch {
      return; // not a reply: nobody waits for it
    }
    const call = typeof reply?.id === 'number' ? this.pending.get(reply.id) : undefined;
    if (call === undefined) return; // too late: the call has timed out
    this.pending.delete(reply.id as number);
    clearTimeout(call.timer);
    if (reply.ok === true) call.resolve(reply.result);
    else call.reject(new RemoteError(String(reply.error ?? 'ERROR'), String(reply.message ?? ''), reply.result));
  }

  private failAll(error: RpcError): void {
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    this.pending.clear();
  }
}
