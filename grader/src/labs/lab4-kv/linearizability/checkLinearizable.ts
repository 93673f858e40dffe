/**
 * Is a history of the key-value service linearizable? Keys are independent registers, so each key
 * is searched alone (wingGong.ts), which keeps the search small when the workload spreads over
 * many keys. A search past its time or memory bound answers UNKNOWN: never a pass.
 *
 * A violation is explained by its core: the fewest operations on that key that cannot be ordered
 * even if every other operation on it had got no answer (so that it may have taken effect at any
 * moment after it was sent, or never). Relaxing an operation so only adds orders, so the core is
 * a sound proof: it cannot be ordered in the real history either.
 */
import { performance } from 'node:perf_hooks';
import { byKey, type KvOperation } from './kvHistory.ts';
import { searchKey, type SearchLimits } from './wingGong.ts';

export interface CheckBounds {
  timeMs: number;            // for the whole history, the explanation included
  maxStates: number;         // memo entries per key search
}

export const DEFAULT_BOUNDS: CheckBounds = { timeMs: 10_000, maxStates: 2_000_000 };

export type LinearizabilityVerdict =
  | { kind: 'linearizable'; keys: number; operations: number }
  | { kind: 'violation'; key: string; core: KvOperation[]; keyOperations: number }
  | { kind: 'unknown'; key: string; reason: string };

export function checkLinearizable(history: readonly KvOperation[], bounds: CheckBounds = DEFAULT_BOUNDS): LinearizabilityVerdict {
  const limits: SearchLimits = { deadline: performance.now() + bounds.timeMs, maxStates: bounds.maxStates };
  const keys = byKey(history);
  for (const [key, ops] of keys) {
    const outcome = searchKey(ops, limits);
    if (outcome === 'unknown') return { kind: 'unknown', key, reason: unknownReason(limits, bounds) };
    if (outcome === 'violation') return { kind: 'violation', key, core: violationCore(ops, limits), keyOperations: ops.length };
  }
  return { kind: 'linearizable', keys: keys.size, operations: history.length };
}

/**
 * Relaxes the operations in ever smaller groups (halves, quarters, ... single ones, as delta
 * debugging does), keeping each relaxation after which the key still cannot be ordered: a few
 * searches when the core is small, whatever the number of operations on the key.
 */
function violationCore(ops: readonly KvOperation[], limits: SearchLimits): KvOperation[] {
  const current = [...ops];
  const relaxed = new Set<number>(); // indices into ops
  for (let size = Math.ceil(ops.length / 2); ; size = Math.ceil(size / 2)) {
    for (let start = 0; start < ops.length; start += size) {
      const group = range(start, Math.min(start + size, ops.length)).filter((index) => !relaxed.has(index));
      if (group.length === 0) continue;
      for (const index of group) current[index] = relax(ops[index] as KvOperation);
      // A search past its bound keeps the group: the core only grows, and stays sound.
      if (searchKey(current, limits) === 'violation') for (const index of group) relaxed.add(index);
      else for (const index of group) current[index] = ops[index] as KvOperation;
    }
    if (size === 1) break;
  }
  return ops.filter((op, index) => !relaxed.has(index) && op.result !== undefined);
}

/** The operation as if no answer had come: it may take effect at any time after it was sent, or never. */
const relax = (op: KvOperation): KvOperation => ({ ...op, completedUs: undefined, result: undefined });

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, offset) => from + offset);

function unknownReason(limits: SearchLimits, bounds: CheckBounds): string {
  return performance.now() > limits.deadline
    ? `the search did not decide within ${bounds.timeMs / 1000} s`
    : `the search explored more than ${bounds.maxStates} states`;
}
