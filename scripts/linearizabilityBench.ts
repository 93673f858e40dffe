/**
 * Speed of lab 4's linearizability checker on generated histories (linearizable by construction),
 * and on the same histories with one planted stale read: the time to decide, by history size.
 * Usage: npm run bench:linearizability
 */
import { performance } from 'node:perf_hooks';
import { checkLinearizable } from '../grader/src/labs/lab4-kv/linearizability/checkLinearizable.ts';
import { generateHistory, type HistoryPlan } from '../grader/src/labs/lab4-kv/linearizability/generateHistory.ts';
import type { KvOperation } from '../grader/src/labs/lab4-kv/linearizability/kvHistory.ts';

const PLANS: HistoryPlan[] = [
  { operations: 1_000, clients: 3, keys: 10, clientsPerKey: 3, seed: 1 },
  { operations: 10_000, clients: 3, keys: 10, clientsPerKey: 3, seed: 1 },
  { operations: 10_000, clients: 8, keys: 100, clientsPerKey: 4, seed: 2 },
  { operations: 10_000, clients: 8, keys: 20, clientsPerKey: 8, seed: 3 },
  { operations: 50_000, clients: 16, keys: 200, clientsPerKey: 4, seed: 4 },
];

/** A get after everything else on the busiest key, answering the value that key held before its last set: stale. */
function withStaleRead(history: KvOperation[]): KvOperation[] {
  const lastSet = [...history].filter((op) => op.kind === 'set').sort((a, b) => (b.completedUs ?? 0) - (a.completedUs ?? 0))[0] as KvOperation;
  const end = Math.max(...history.map((op) => op.completedUs ?? 0));
  const stale: KvOperation = { id: history.length, client: 'planted', key: lastSet.key, kind: 'get', invokedUs: end + 10, completedUs: end + 20, result: lastSet.result ?? null };
  return [...history, stale];
}

function timed(history: KvOperation[]): { ms: number; verdict: string } {
  const started = performance.now();
  const verdict = checkLinearizable(history, { timeMs: 60_000, maxStates: 5_000_000 });
  const detail = verdict.kind === 'violation' ? ` (key ${verdict.key}, core of ${verdict.core.length} of its ${verdict.keyOperations} operations)` : '';
  return { ms: performance.now() - started, verdict: `${verdict.kind}${detail}` };
}

console.log('operations  clients  keys  clients/key   decide ms  verdict');
for (const plan of PLANS) {
  const history = generateHistory(plan);
  for (const [label, input] of [['', history], [' + stale read', withStaleRead(history)]] as const) {
    const { ms, verdict } = timed(input);
    console.log(`${String(input.length).padStart(10)}  ${String(plan.clients).padStart(7)}  ${String(plan.keys).padStart(4)}  ${String(plan.clientsPerKey).padStart(11)}  ${ms.toFixed(0).padStart(10)}  ${verdict}${label}`);
  }
}
