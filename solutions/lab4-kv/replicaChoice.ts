// lab4-kv client's choice of node (handout part C): which node answers the request.
import http from 'node:http';
import type { Address } from './serversFile.ts';

export const TRY_TIMEOUT_MS = 3500; // a node answers within about 3 s; one that has not by then is skipped
export const OVERALL_MS = 10_000; // ask() gives up when no node has answered 200 for this long
export const PAUSE_MS = 100; // between two rounds over the hosts

export type Outcome = { kind: 'answer'; status: number; body: string } | { kind: 'failed'; reason: string };

/** A request the node refused (a 4xx): final, another node would refuse it too. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `GET target` at `address` on a fresh connection; settles within `timeoutMs`, never rejects. */
export function getOnce(address: Address, target: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    };
    const request = http.get({ host: address.host, port: address.port, path: target, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => finish({ kind: 'answer', status: response.statusCode ?? 0, body: body.replace(/\r?\n$/, '') }));
      response.on('error', (error) => finish({ kind: 'failed', reason: error.message }));
    });
    const timer = setTimeout(() => finish({ kind: 'failed', reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    request.on('error', (error) => finish({ kind: 'failed', reason: error.message }));
  });
}

/** What `address` did, for a message: `HOST:PORT answered HTTP 500 ...` or `HOST:PORT: reason`. */
export function describeOutcome(address: Address, outcome: Outcome): string {
  const where = `${address.host}:${address.port}`;
  return outcome.kind === 'answer' ? `${where} answered HTTP ${outcome.status} ${outcome.body.slice(0, 200)}` : `${where}: ${outcome.reason}`;
}

/*
 * Part C. ask(hosts, target) sends `GET target` to the nodes until one answers 200, and resolves
 * with that answer's body. It asks one node at a time (getOnce, at most TRY_TIMEOUT_MS each), in
 * the order of `hosts`; a refused connection, a timeout or a 5xx moves it to the next host, and
 * after the last back to the first, after PAUSE_MS. A 4xx is final: it rejects with RefusedError
 * whose message is the answer's body. When no node has answered 200 within OVERALL_MS it rejects
 * with an Error that says what the last host did (describeOutcome). A set retried on another node
 * may take effect twice; that is allowed.
 */
// TODO(lab4, part C): try the nodes in turn until one answers, within the overall bound.
export async function ask(hosts: readonly Address[], target: string): Promise<string> {
  const deadline = Date.now() + OVERALL_MS;
  let last = 'there was no host to ask';
  while (hosts.length > 0 && Date.now() < deadline) {
    for (const host of hosts) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const outcome = await getOnce(host, target, Math.min(TRY_TIMEOUT_MS, remaining));
      if (outcome.kind === 'answer' && outcome.status === 200) return outcome.body;
      if (outcome.kind === 'answer' && outcome.status >= 400 && outcome.status < 500) throw new RefusedError(outcome.body || `HTTP ${outcome.status}`);
      last = describeOutcome(host, outcome);
    }
    await sleep(PAUSE_MS);
  }
  throw new Error(`no node answered within ${OVERALL_MS / 1000} s; last, ${last}`);
}
// END TODO(lab4, part C)
