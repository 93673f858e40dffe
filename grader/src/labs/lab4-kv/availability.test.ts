import { describe, expect, it } from 'vitest';
import type { KvOperation } from './linearizability/kvHistory.ts';
import { measureAvailability } from './availability.ts';

const answeredAt = (id: number, completedUs: number): KvOperation => ({ id, client: 'c', key: 'k', kind: 'get', invokedUs: completedUs - 10, completedUs, result: null });
const unanswered = (id: number, invokedUs: number): KvOperation => ({ id, client: 'c', key: 'k', kind: 'get', invokedUs });

describe('measureAvailability', () => {
  it('counts answered operations and measures the longest gap after each fault until the next', () => {
    const history = [answeredAt(1, 1_000), answeredAt(2, 2_000), unanswered(3, 2_500), answeredAt(4, 400_000), answeredAt(5, 410_000), answeredAt(6, 900_000)];
    const result = measureAvailability(history, [{ label: 'kill 0', atUs: 2_100 }, { label: 'heal', atUs: 500_000 }], 1_000_000);
    expect(result.answered).toBe(5);
    expect(result.answeredFraction).toBeCloseTo(5 / 6);
    expect(result.downtimes).toEqual([
      { label: 'kill 0', longestGapMs: 397.9 },  // 2 100 µs → 400 000 µs, no answer in between
      { label: 'heal', longestGapMs: 400 },      // 500 000 → 900 000
    ]);
  });

  it('counts a fault never followed by an answer as down until the end', () => {
    const result = measureAvailability([answeredAt(1, 1_000), unanswered(2, 5_000)], [{ label: 'partition', atUs: 2_000 }], 3_002_000);
    expect(result.downtimes).toEqual([{ label: 'partition', longestGapMs: 3000 }]);
    expect(result.answeredFraction).toBe(0.5);
  });
});
