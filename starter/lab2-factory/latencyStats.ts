// lab2-factory client summary: latencies, throughput, the summary line. Given code: do not edit; the grader uses its own copy.

/** What a run of customers measured. */
export interface RunMeasures {
  customers: number; // customers that ran
  requests: number; // CUSTOMERS x ORDERS: the requests the run was asked to send
  latenciesUs: readonly number[]; // one per answered request: from sending it to its whole reply, in microseconds
  elapsedUs: number; // from the first connection to the last reply, in microseconds (0 when none)
}

/** The mean of the values, 0 when there is none. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The p-th percentile (0 < p <= 100) by the nearest-rank method, 0 when there is no value. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** `customers=.. requests=.. answered=.. mean_latency_us=.. p99_latency_us=.. throughput_per_s=..` */
export function summaryLine(run: RunMeasures): string {
  const answered = run.latenciesUs.length;
  const throughput = run.elapsedUs > 0 ? answered / (run.elapsedUs / 1e6) : 0;
  return [
    `customers=${run.customers}`,
    `requests=${run.requests}`,
    `answered=${answered}`,
    `mean_latency_us=${mean(run.latenciesUs).toFixed(1)}`,
    `p99_latency_us=${percentile(run.latenciesUs, 99).toFixed(1)}`,
    `throughput_per_s=${throughput.toFixed(1)}`,
  ].join(' ');
}

/** Microseconds since an arbitrary moment, for measuring intervals. */
export function nowUs(): number {
  return performance.now() * 1000;
}
