import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './latencyStats.ts';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => index + 1); // 1 … 100

  it('takes the smallest sample with p percent at or below it', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 99)).toBe(30);
  });

  it('is 0 without samples and refuses p outside [0, 100]', () => {
    expect(percentile([], 99)).toBe(0);
    expect(() => percentile(hundred, 101)).toThrow(RangeError);
    expect(() => percentile(hundred, Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives count, mean, p50, p99 and max of unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 1000];
    expect(summarize(samples)).toEqual({ count: 6, meanUs: 1015 / 6, p50Us: 3, p99Us: 1000, maxUs: 1000 });
  });

  it('sorts numerically, not as text', () => {
    expect(summarize([9, 10, 100]).p50Us).toBe(10);
  });

  it('is all zeros without samples', () => {
    expect(summarize([])).toEqual({ count: 0, meanUs: 0, p50Us: 0, p99Us: 0, maxUs: 0 });
  });
});
