import { describe, expect, it } from 'vitest';
import { countStaleReads } from './staleReads.ts';
import type { KvOperation } from './linearizability/kvHistory.ts';
import { createRng } from '../../harness/rng.ts';

let nextId = 0;
const set = (value: string, invokedUs: number, completedUs?: number, result: string | null = null, key = 'a'): KvOperation =>
  ({ id: nextId++, client: 'w', key, kind: 'set', value, invokedUs, ...(completedUs === undefined ? {} : { completedUs, result }) });
const get = (result: string | null, invokedUs: number, key = 'a'): KvOperation => ({ id: nextId++, client: 'r', key, kind: 'get', invokedUs, completedUs: invokedUs + 1, result });

/** The definition, word for word and slowly: for each get, the newest set completed before it, then any set as fresh. */
function staleByDefinition(history: readonly KvOperation[]): number {
  const sets = history.filter((op) => op.kind === 'set' && op.completedUs !== undefined && op.result !== undefined);
  return history.filter((op) => op.kind === 'get' && op.result !== undefined).filter((read) => {
    const before = sets.filter((op) => op.key === read.key && (op.completedUs as number) < read.invokedUs);
    const newest = before.reduce<KvOperation | undefined>((latest, op) => (latest && (latest.completedUs as number) > (op.completedUs as number) ? latest : op), undefined);
    return newest !== undefined && !history.some((op) => op.kind === 'set' && op.key === read.key && op.value === read.result && (op.completedUs ?? Infinity) >= newest.invokedUs);
  }).length;
}

describe('stale reads', () => {
  it('counts a get older than the newest set completed before it as stale, and only that', () => {
    expect(countStaleReads([set('1', 0, 10), get(null, 20)])).toBe(1);
    expect(countStaleReads([set('1', 0, 10), get('1', 20)])).toBe(0);
    expect(countStaleReads([set('1', 0, 10), set('2', 12, 18, '1'), get('1', 20)])).toBe(1);
    expect(countStaleReads([set('1', 0, 10), set('2', 15, 30, '1'), get('2', 20)])).toBe(0); // overlapping the get: may be newer
    expect(countStaleReads([set('1', 0, 10), set('2', 15), get('2', 20)])).toBe(0);        // never answered: may have taken effect
    expect(countStaleReads([get(null, 5), set('1', 10, 20)])).toBe(0);                       // nothing completed before the get
    expect(countStaleReads([set('1', 0, 10, null, 'a'), get(null, 20, 'b')])).toBe(0);       // another key
  });

  it('agrees with the definition on random histories of overlapping, unanswered and stale operations', () => {
    const rng = createRng(7);
    let staleSeen = 0;
    for (let round = 0; round < 200; round++) {
      const history: KvOperation[] = [];
      const written: string[] = [];
      for (let index = 0; index < 40; index++) {
        const key = rng.pick(['a', 'b']);
        const invokedUs = rng.int(0, 1000);
        const completedUs = rng.next() < 0.15 ? undefined : invokedUs + rng.int(1, 200);
        if (rng.next() < 0.5) {
          const value = `v${index}`;
          history.push(set(value, invokedUs, completedUs, written.length > 0 ? rng.pick(written) : null, key));
          written.push(value);
        } else {
          history.push(get(written.length > 0 && rng.next() < 0.9 ? rng.pick(written) : null, invokedUs, key));
        }
      }
      const expected = staleByDefinition(history);
      expect(countStaleReads(history), `round ${round}`).toBe(expected);
      staleSeen += expected;
    }
    expect(staleSeen).toBeGreaterThan(100); // the rounds do test stale reads, not only their absence
  });
});
