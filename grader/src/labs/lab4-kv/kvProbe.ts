/**
 * The grader's own single requests, one at a time, each with the answer the protocol demands:
 * `KEY=OLD` / `KEY=NIL` after a 200, a 4xx for a request that breaks the limits. Differences
 * become findings that quote the request and what came back.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Findings } from '../../check/findings.ts';
import { httpGet, type HttpOutcome } from './kvCall.ts';
import { formatBody, targetOf, type KvRequest } from './kvProtocol.ts';

const PROBE_TIMEOUT_MS = 5000;
const READY_BOUND_MS = 20_000;   // for a fresh cluster to answer its first request (an election or two)

export const describeRequest = (request: KvRequest): string => `GET ${targetOf(request)}`;

export function describeAnswer(outcome: HttpOutcome): string {
  if (outcome.kind === 'failed') return outcome.reason;
  return `HTTP ${outcome.status} ${JSON.stringify(outcome.body.trim().slice(0, 200))}`;
}

/** Sends `request` to `port`; a finding unless the answer is a 200 whose body is `KEY=` + `old` (null: NIL). */
export async function expectOld(port: number, node: string, request: KvRequest, old: string | null, findings: Findings, section: string): Promise<boolean> {
  const outcome = await httpGet(port, targetOf(request), PROBE_TIMEOUT_MS);
  const wanted = formatBody(request.key, old);
  if (outcome.kind === 'answer' && outcome.status === 200 && outcome.body.replace(/\r?\n$/, '') === wanted) return true;
  findings.add(`answer:${section}`, `Expected the answer "HTTP 200 ${wanted}" (handout, "${section}"):`, `${describeRequest(request)} to ${node} got ${describeAnswer(outcome)}`);
  return false;
}

/** Sends a request that breaks a limit; a finding unless the answer is a 4xx. */
export async function expectRefused(port: number, node: string, target: string, why: string, findings: Findings): Promise<void> {
  const outcome = await httpGet(port, target, PROBE_TIMEOUT_MS);
  if (outcome.kind === 'answer' && outcome.status >= 400 && outcome.status < 500) return;
  findings.add('limits', 'Expected a 4xx answer, and nothing stored, for a request that breaks the protocol\'s limits (handout, "Protocol"):', `GET ${target.slice(0, 60)}${target.length > 60 ? '…' : ''} (${why}) to ${node} got ${describeAnswer(outcome)}`);
}

/** Waits until `port` answers a set with a 200: the cluster has settled. False (and a finding) past the bound, or at once on "not implemented". */
export async function awaitReady(port: number, node: string, findings: Findings): Promise<boolean> {
  const deadline = performance.now() + READY_BOUND_MS;
  let last: HttpOutcome = { kind: 'failed', reason: 'nothing was sent' };
  while (performance.now() < deadline) {
    // A set, not a get: only a node that can commit answers it (a get may come from a node's own copy).
    last = await httpGet(port, targetOf({ kind: 'set', key: 'ready', value: 'yes' }), PROBE_TIMEOUT_MS);
    if (last.kind === 'answer' && last.status === 200) return true;
    if (last.kind === 'answer' && /not implemented/i.test(last.body)) break; // it never will
    await delay(100);
  }
  findings.add('not-ready', `Expected the nodes to answer a set within ${READY_BOUND_MS / 1000} s of starting (handout, "Protocol"):`, `GET /ready=yes to ${node} got, last, ${describeAnswer(last)}`);
  return false;
}
