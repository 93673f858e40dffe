/**
 * A closed-loop load: N workers, each with its own connection, each sending one request, waiting
 * for its reply, then sending the next, for a warm-up and then a measured window. Only requests
 * that complete inside the window count, for latency and for throughput.
 */
import { performance } from 'node:perf_hooks';
import { RsmlabError, submissionError } from '../../../errors.ts';
import { cpuBetween, cpuSnapshot, type CpuSnapshot, type CpuUse } from './cpuSampler.ts';
import { summarize, type LatencySummary } from './latencyStats.ts';

export interface LoadWorker {
  request(): Promise<void>;        // one request and its reply; throws if the reply is missing or wrong
  close(): void;
}

export interface LoadPlan {
  label: string;                   // for messages, e.g. 'write, 3 servers, 8 customers'
  workers: number;
  open(index: number): Promise<LoadWorker>;
  seconds: number;                 // length of the measured window
  warmUpMs: number;                // load before the window, not counted
  serverPids?: readonly (number | undefined)[]; // servers whose CPU time is sampled over the window
  signal?: AbortSignal;            // stops the load; run() then throws an INTERRUPTED error
}

export interface LoadResult {
  latency: LatencySummary;         // of the requests completed inside the window
  completed: number;               // requests completed inside the window
  windowS: number;                 // the window's length, seconds
  throughputPerS: number;          // completed / windowS
  cpu: CpuUse;                     // over the window
}

export async function runClosedLoop(plan: LoadPlan): Promise<LoadResult> {
  throwIfAborted(plan.signal);
  const workers = await openAll(plan);
  const samplesUs: number[] = [];
  const start = performance.now();
  const windowStart = start + plan.warmUpMs;
  const windowEnd = windowStart + plan.seconds * 1000;
  let failure: Error | undefined;              // the first worker error: every worker stops
  const cpuStart = new Promise<CpuSnapshot>((resolve) => setTimeout(() => resolve(cpuSnapshot(plan.serverPids ?? [])), plan.warmUpMs));
  const stopped = (): boolean => failure !== undefined || plan.signal?.aborted === true;
  const loop = async (worker: LoadWorker): Promise<void> => {
    for (let sentAt = performance.now(); sentAt < windowEnd && !stopped(); sentAt = performance.now()) {
      await worker.request();
      const repliedAt = performance.now();
      if (repliedAt >= windowStart && repliedAt <= windowEnd) samplesUs.push((repliedAt - sentAt) * 1000);
    }
  };
  try {
    await Promise.all(workers.map((worker) => loop(worker).catch((error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error));
    })));
  } finally {
    for (const worker of workers) worker.close();
  }
  const cpuEnd = cpuSnapshot(plan.serverPids ?? []);
  throwIfAborted(plan.signal);
  if (failure) throw failure instanceof RsmlabError ? failure : submissionError(`${plan.label}: ${failure.message}`);
  const windowS = plan.seconds;
  return { latency: summarize(samplesUs), completed: samplesUs.length, windowS, throughputPerS: samplesUs.length / windowS, cpu: cpuBetween(await cpuStart, cpuEnd) };
}

async function openAll(plan: LoadPlan): Promise<LoadWorker[]> {
  const opened = await Promise.allSettled(Array.from({ length: plan.workers }, (_, index) => plan.open(index)));
  const workers = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const refused = opened.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (refused) {
    for (const worker of workers) worker.close();
    throwIfAborted(plan.signal);
    throw submissionError(`${plan.label}: could not connect: ${(refused.reason as Error).message}`);
  }
  return workers;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RsmlabError('INTERRUPTED', 'interrupted; every process the benchmark started was stopped.');
}
