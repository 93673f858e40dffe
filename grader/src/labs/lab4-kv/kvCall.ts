/**
 * One request of the grader's own to a lab 4 node over real HTTP, recorded as an operation of the
 * history: sent at, answered at, the old value. Anything but a 200 with a well-formed body (a
 * 4xx/5xx, a timeout, a refused or broken connection) leaves the operation without an answer:
 * open to the end of the history, since the node may still carry it out.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { KvOperation } from './linearizability/kvHistory.ts';
import { parseBody, targetOf, type KvRequest } from './kvProtocol.ts';

const MAX_BODY = 64 * 1024;

export type HttpOutcome = { kind: 'answer'; status: number; body: string } | { kind: 'failed'; reason: string };

/** Microseconds since the Unix epoch, the history's clock. */
export const epochMicros = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** Sends `GET target` to 127.0.0.1:`port` on a fresh connection; settles within `timeoutMs`. */
export function httpGet(port: number, target: string, timeoutMs: number): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      request.destroy();
      resolve(outcome);
    };
    const request = http.get({ host: '127.0.0.1', port, path: target, agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY) finish({ kind: 'failed', reason: `the answer was longer than ${MAX_BODY} bytes` });
      });
      response.on('end', () => finish({ kind: 'answer', status: response.statusCode ?? 0, body }));
      response.on('error', (error) => finish({ kind: 'failed', reason: error.message }));
    });
    request.on('timeout', () => finish({ kind: 'failed', reason: `no answer within ${timeoutMs} ms` }));
    request.on('error', (error) => finish({ kind: 'failed', reason: error.message }));
  });
}

/** Sends `request` as `client` and returns it as an operation of the history, with the outcome for messages. */
export async function recordCall(id: number, client: string, port: number, request: KvRequest, timeoutMs: number): Promise<{ op: KvOperation; outcome: HttpOutcome }> {
  const invokedUs = epochMicros();
  const outcome = await httpGet(port, targetOf(request), timeoutMs);
  const completedUs = epochMicros();
  const op: KvOperation = { id, client, key: request.key, kind: request.kind, invokedUs, ...(request.kind === 'set' ? { value: request.value } : {}) };
  if (outcome.kind === 'answer' && outcome.status === 200) {
    const parsed = parseBody(outcome.body, request.key);
    if ('old' in parsed) return { op: { ...op, completedUs, result: parsed.old }, outcome };
  }
  return { op, outcome };
}
