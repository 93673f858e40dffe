import { describe, expect, it } from 'vitest';
import type { KvOperation } from './kvHistory.ts';
import { checkLinearizable } from './checkLinearizable.ts';
import { generateHistory } from './generateHistory.ts';

let nextId = 0;
const set = (client: string, key: string, value: string, invokedUs: number, completedUs: number | undefined, result: string | null | undefined): KvOperation =>
  ({ id: nextId++, client, key, kind: 'set', value, invokedUs, completedUs, result });
const get = (client: string, key: string, invokedUs: number, completedUs: number | undefined, result: string | null | undefined): KvOperation =>
  ({ id: nextId++, client, key, kind: 'get', invokedUs, completedUs, result });
const coreIds = (history: KvOperation[]): number[] => {
  const verdict = checkLinearizable(history);
  expect(verdict.kind).toBe('violation');
  return verdict.kind === 'violation' ? verdict.core.map((op) => op.id).sort((a, b) => a - b) : [];
};

describe('checkLinearizable', () => {
  it('accepts a sequential history, and a read concurrent with a set seeing either value', () => {
    expect(checkLinearizable([set('a', 'x', '1', 0, 10, null), get('a', 'x', 20, 30, '1')]).kind).toBe('linearizable');
    const overlap = [set('a', 'x', '1', 0, 10, null), set('a', 'x', '2', 20, 40, '1'), get('b', 'x', 25, 35, '1'), get('c', 'x', 26, 36, '2')];
    expect(checkLinearizable(overlap).kind).toBe('linearizable');
  });

  it('finds a stale read after a completed set, and explains it by those two operations', () => {
    const write = set('a', 'x', '1', 0, 10, null);
    const stale = get('b', 'x', 20, 30, null);
    const noise = get('c', 'y', 0, 50, null);
    expect(coreIds([write, stale, noise])).toEqual([write.id, stale.id]);
  });

  it('finds two reads that see a new value and then the old one', () => {
    const first = set('a', 'x', '1', 0, 10, null);
    const second = set('a', 'x', '2', 20, 100, '1'); // concurrent with both reads
    const newer = get('b', 'x', 30, 40, '2');
    const older = get('c', 'x', 50, 60, '1');
    // Either write can stay in the core: with one of them free to take effect at any time, the other still forbids the order.
    const core = coreIds([first, second, newer, older]);
    expect(core).toHaveLength(3);
    expect(core).toEqual(expect.arrayContaining([newer.id, older.id]));
  });

  it('lets an operation without an answer take effect late, or never', () => {
    const lost = set('a', 'x', '1', 0, undefined, undefined);
    expect(checkLinearizable([lost, get('b', 'x', 50, 60, null), get('b', 'x', 70, 80, '1')]).kind).toBe('linearizable');
    expect(checkLinearizable([lost, get('b', 'x', 50, 60, null)]).kind).toBe('linearizable');
    expect(checkLinearizable([lost, get('b', 'x', 50, 60, '1'), get('b', 'x', 70, 80, null)]).kind).toBe('violation');
  });

  it('treats an error answer like no answer: the set may still take effect after it', () => {
    const failed = set('a', 'x', '1', 0, 10, undefined); // e.g. HTTP 500 at 10
    expect(checkLinearizable([failed, get('b', 'x', 20, 30, null), get('b', 'x', 40, 50, '1')]).kind).toBe('linearizable');
  });

  it('checks a set\'s answer: the old value it replaced', () => {
    expect(coreIds([set('a', 'x', '1', 0, 10, null), set('b', 'x', '2', 20, 30, null)])).toHaveLength(2);
  });

  it('names the key of the violation when other keys are fine', () => {
    const verdict = checkLinearizable([set('a', 'k1', '1', 0, 10, null), get('a', 'k1', 20, 30, '1'), set('a', 'k2', '1', 0, 10, null), get('b', 'k2', 20, 30, 'nope')]);
    expect(verdict.kind === 'violation' && verdict.key).toBe('k2');
  });

  it('answers UNKNOWN, never linearizable, when the search passes its bound', () => {
    const history = generateHistory({ operations: 400, clients: 8, keys: 1, clientsPerKey: 8, seed: 3 });
    const verdict = checkLinearizable(history, { timeMs: 10_000, maxStates: 10 });
    expect(verdict.kind).toBe('unknown');
  });

  it('accepts generated linearizable histories and finds a planted read of a value never written', () => {
    for (const seed of [1, 2, 3]) {
      const history = generateHistory({ operations: 2000, clients: 6, keys: 40, clientsPerKey: 3, seed });
      expect(checkLinearizable(history).kind).toBe('linearizable');
      const end = Math.max(...history.map((op) => op.completedUs ?? 0));
      const planted = { ...get('z', 'k7', end + 10, end + 20, 'never-written'), id: history.length };
      expect(coreIds([...history, planted])).toEqual([planted.id]);
    }
  });
});
