// lab4-kv HTTP front: the client interface and the peers' messages, on one port. Given code: do not edit; the grader uses its own copy.
//
// `GET /KEY` and `GET /KEY=VALUE` (kvProtocol.ts) answer 200 `KEY=OLD`, 400 with a one-line reason
// for a request past the limits (nothing is stored), or 500 with a one-line reason when the node
// cannot carry it out now. `POST /peer/KIND` goes to peerLink.ts. Anything else is a 400.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatBody, parseTarget, type KvRequest } from './kvProtocol.ts';
import { readBody, type PeerLink } from './peerLink.ts';
import type { Address } from './serversFile.ts';

export const ANSWER_BOUND_MS = 2900; // every client request is answered by then: a 500 when it is not decided

/** What carries out the client's requests (requestRouter.ts). */
export interface KvService {
  submit(request: KvRequest): Promise<string | null>; // the old value; rejects when it cannot be carried out now
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').slice(0, 500);

/** Listens at `address` (port 0: chosen by the OS) and resolves with the port. */
export function listen(address: Address, service: KvService, peers: PeerLink): Promise<number> {
  const server = http.createServer((request, response) => {
    request.on('error', () => undefined); // a client that goes away: nothing to answer
    void route(request, response, service, peers).catch((error: unknown) => answer(response, 500, reasonOf(error)));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot listen on ${address.host}:${address.port}: ${error.message}`)));
    server.listen(address.port, address.host, () => resolve((server.address() as AddressInfo).port));
  });
}

async function route(request: http.IncomingMessage, response: http.ServerResponse, service: KvService, peers: PeerLink): Promise<void> {
  const target = request.url ?? '';
  if (request.method === 'POST' && target.startsWith('/peer/')) {
    readBody(request, (text) => void peers.serve(target.slice('/peer/'.length), text).then(({ status, body }) => answer(response, status, body, 'application/json')), () => response.destroy());
    return;
  }
  request.resume();
  if (request.method !== 'GET') return answer(response, 400, `the method ${request.method ?? '?'} is not served: use GET /KEY or GET /KEY=VALUE`);
  const parsed = parseTarget(target);
  if ('problem' in parsed) return answer(response, 400, parsed.problem);
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not decided within ${ANSWER_BOUND_MS} ms`)), ANSWER_BOUND_MS);
  });
  try {
    const old = await Promise.race([service.submit(parsed), bound]);
    answer(response, 200, formatBody(parsed.key, old));
  } catch (error) {
    answer(response, 500, reasonOf(error));
  } finally {
    clearTimeout(timer);
  }
}

function answer(response: http.ServerResponse, status: number, body: string, type = 'text/plain'): void {
  if (response.headersSent || response.destroyed) return;
  const text = type === 'text/plain' && status !== 200 ? oneLine(body) : body; // a 200's body is KEY=OLD, whole
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
