/**
 * The seed's consistency measure: gets that answered a value older than the newest set that had
 * completed, on that key, before the get was sent (values are unique, so "older" is known).
 * Per key, with a lookup per get: a history of 10,000 operations is counted in milliseconds.
 */
import { byKey, type KvOperation } from './linearizability/kvHistory.ts';

export function countStaleReads(history: readonly KvOperation[]): number {
  let stale = 0;
  for (const operations of byKey(history).values()) stale += staleReadsOfKey(operations);
  return stale;
}

function staleReadsOfKey(operations: readonly KvOperation[]): number {
  const answeredSets = operations
    .filter((op) => op.kind === 'set' && op.completedUs !== undefined && op.result !== undefined)
    .sort((a, b) => (a.completedUs as number) - (b.completedUs as number));
  // Per value, the latest completion of a set that wrote it (Infinity: one never answered, which may take effect any time).
  const lastWritten = new Map<string, number>();
  for (const op of operations) {
    if (op.kind === 'set' && op.value !== undefined) lastWritten.set(op.value, Math.max(lastWritten.get(op.value) ?? -Infinity, op.completedUs ?? Infinity));
  }
  let stale = 0;
  for (const get of operations) {
    if (get.kind !== 'get' || get.result === undefined) continue;
    const newest = lastCompletedBefore(answeredSets, get.invokedUs);
    if (!newest) continue;
    // The newest completed set, or any set that overlapped it or came later, is a fresh answer.
    const written = get.result === null ? -Infinity : (lastWritten.get(get.result) ?? -Infinity);
    if (written < newest.invokedUs) stale += 1;
  }
  return stale;
}

/** The last of `sets` (sorted by completion) that completed before `us`, by binary search. */
function lastCompletedBefore(sets: readonly KvOperation[], us: number): KvOperation | undefined {
  let low = 0;
  let high = sets.length; // sets[0 .. low) completed before us; sets[high ..) did not
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sets[middle]?.completedUs as number) < us) low = middle + 1;
    else high = middle;
  }
  return sets[low - 1];
}
