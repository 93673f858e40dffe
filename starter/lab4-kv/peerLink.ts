// lab4-kv peer messages: one HTTP POST per message, on a connection of its own. Given code: do not edit; the grader uses its own copy.
//
// A message is `POST /peer/KIND` with a JSON object body `{"from": ID, ...}` on the port of the
// client interface; the answer is 200 with a JSON object `{"from": ID, ...}`, or 4xx/5xx with
// `{"from": ID, "error": "..."}`. Every message has a connection of its own (the grader's link
// proxies count one exchange per message) and a time limit. The `from` of answers tells a node
// which node ID answers at which of its peers (servers.txt lines): addresses say nothing.
import http from 'node:http';
import type { Address } from './serversFile.ts';

export const PEER_TIMEOUT_MS = 400; // default time limit of a message: no answer by then, it failed
const MAX_BODY = 16 * 1024 * 1024; // a longer body is a broken peer

export type Body = Record<string, unknown>; // a message's or answer's JSON object
export type PeerHandler = (body: Body) => object | Promise<object>; // answers a message; throws to answer an error

/** A message that failed: no answer in time, the peer unreachable, or an error answer. */
export class PeerError extends Error {
  override name = 'PeerError';

  constructor(
    message: string,
    readonly undelivered = false, // true only when the message surely never reached the peer (its connection was refused)
  ) {
    super(message);
  }
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class PeerLink {
  private readonly ids: (string | undefined)[]; // peer index -> node ID its answers carry; undefined until one came
  private readonly handlers = new Map<string, PeerHandler>(); // message kind -> its handler here

  constructor(
    readonly me: string, // this node's ID, the `from` of its messages and answers
    private readonly addresses: readonly Address[], // peer index -> where to reach it
  ) {
    this.ids = addresses.map(() => undefined);
    this.handlers.set('hello', () => ({})); // any node answers it: its answer's `from` says who is at that address
  }

  /** How many peers (servers.txt lines after the first). */
  get count(): number {
    return this.addresses.length;
  }

  /** 0..count-1. */
  indices(): number[] {
    return [...this.addresses.keys()];
  }

  /** The peer index where node `id` last answered; undefined while no answer from it came. */
  indexOf(id: string): number | undefined {
    const index = this.ids.indexOf(id);
    return index < 0 ? undefined : index;
  }

  /**
   * The peer index of node `id`: from an earlier answer, or else found by sending `hello` to every
   * peer whose ID is still unknown, all at once. Resolves as soon as `id` answers; undefined when
   * none of them answered as `id` within `timeoutMs` (a stopped or cut-off node never answers).
   */
  locate(id: string, timeoutMs = PEER_TIMEOUT_MS): Promise<number | undefined> {
    const known = this.indexOf(id);
    const unknown = this.indices().filter((index) => this.ids[index] === undefined);
    if (known !== undefined || unknown.length === 0) return Promise.resolve(known);
    return new Promise((resolve) => {
      let pending = unknown.length;
      for (const index of unknown) {
        void this.send(index, 'hello', {}, timeoutMs)
          .catch(() => undefined)
          .then(() => {
            pending -= 1;
            if (this.ids[index] === id || pending === 0) resolve(this.indexOf(id));
          });
      }
    });
  }

  /** Answers messages of `kind` with `handler`. */
  handle(kind: string, handler: PeerHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Sends message `kind` to peer `index`; resolves with its answer, rejects with PeerError. */
  send(index: number, kind: string, body: object, timeoutMs = PEER_TIMEOUT_MS): Promise<Body> {
    const address = this.addresses[index];
    if (address === undefined) return Promise.reject(new PeerError(`there is no peer ${index}`));
    const payload = JSON.stringify({ ...body, from: this.me });
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (outcome: Body | PeerError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        if (outcome instanceof PeerError) reject(outcome);
        else resolve(outcome);
      };
      const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) };
      const request = http.request({ host: address.host, port: address.port, method: 'POST', path: `/peer/${kind}`, agent: false, headers }, (response) => {
        readBody(response, (text) => finish(this.answer(index, kind, response.statusCode ?? 0, text)), (reason) => finish(new PeerError(`peer ${index}, ${kind}: ${reason}`)));
      });
      const timer = setTimeout(() => finish(new PeerError(`peer ${index} did not answer ${kind} within ${timeoutMs} ms`)), timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) => finish(new PeerError(`peer ${index}, ${kind}: ${error.message}`, error.code === 'ECONNREFUSED')));
      request.end(payload);
    });
  }

  /** What an answer of peer `index` means: its body, or a PeerError. Learns the node ID behind `index`. */
  private answer(index: number, kind: string, status: number, text: string): Body | PeerError {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return new PeerError(`peer ${index}, ${kind}: HTTP ${status} with a body that is not JSON`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return new PeerError(`peer ${index}, ${kind}: the answer is not a JSON object`);
    const answer = body as Body;
    if (typeof answer.from === 'string') this.ids[index] = answer.from;
    if (status !== 200) return new PeerError(`peer ${index}, ${kind}: ${typeof answer.error === 'string' ? answer.error : `HTTP ${status}`}`);
    return answer;
  }

  /** The answer to a `POST /peer/KIND` whose body is `text`: a status and a JSON body. */
  async serve(kind: string, text: string): Promise<{ status: number; body: string }> {
    const handler = this.handlers.get(kind);
    if (handler === undefined) return { status: 400, body: JSON.stringify({ from: this.me, error: `no peer message is called ${JSON.stringify(kind)}` }) };
    try {
      const body = JSON.parse(text) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`a ${kind} message must be a JSON object`);
      return { status: 200, body: JSON.stringify({ ...(await handler(body as Body)), from: this.me }) };
    } catch (error) {
      return { status: 500, body: JSON.stringify({ from: this.me, error: reasonOf(error) }) };
    }
  }
}

/** Collects a message's body as text; `onError` when it breaks or exceeds MAX_BODY. */
export function readBody(stream: http.IncomingMessage, onEnd: (text: string) => void, onError: (reason: string) => void): void {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > MAX_BODY) {
      onError(`the body is longer than ${MAX_BODY} bytes`);
      stream.destroy();
    }
  });
  stream.on('end', () => onEnd(text));
  stream.on('error', (error) => onError(error.message));
}
