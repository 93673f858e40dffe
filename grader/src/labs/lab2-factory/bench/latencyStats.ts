/** Summaries of latency samples: mean and nearest-rank percentiles, in microseconds. */

export interface LatencySummary {
  count: number;    // samples summarised
  meanUs: number;   // 0 when there are no samples
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

/**
 * The nearest-rank percentile of ascending `sorted`: the smallest sample with at least `p` percent
 * of the samples at or below it. 0 for no samples.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be in [0, 100], got ${p}`);
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function summarize(samplesUs: readonly number[]): LatencySummary {
  if (samplesUs.length === 0) return { count: 0, meanUs: 0, p50Us: 0, p99Us: 0, maxUs: 0 };
  const sorted = Float64Array.from(samplesUs).sort();
  let total = 0;
  for (const sample of sorted) total += sample;
  return {
    count: sorted.length,
    meanUs: total / sorted.length,
    p50Us: percentile(sorted, 50),
    p99Us: percentile(sorted, 99),
    maxUs: sorted[sorted.length - 1] as number,
  };
}
