/**
 * Lab 3's benchmark (`rsmlab bench lab3`): how long a master failover takes, and what replication
 * costs in lock throughput. Failover: `runs` times, kill the master and time the first lock the
 * next master grants (median and max). Throughput: the same lock load on one unreplicated replica
 * and on three, in the same run.
 */
import { cpus, loadavg } from 'node:os';
import { measureFailover, type FailoverRun } from './failoverBench.ts';
import { measureThroughput, type ThroughputRow } from './throughputBench.ts';
import type { LockBenchSpec } from './lockBenchCluster.ts';
import { textTable } from '../../lab2-factory/bench/textTable.ts';

export interface Lab3BenchOptions extends LockBenchSpec {
  source: string;                  // what the user named, for the report
  runs: number;                    // failover measurements
  seconds: number;                 // measured window of each throughput configuration
  onProgress?: (line: string) => void;
}

export interface Lab3BenchResult {
  lab: 'lab3-rsm';
  source: string;
  startedAt: string;               // ISO time
  machine: { cpus: number; cpuModel: string; loadAverage: number[]; node: string }; // loadAverage before the run
  failover: { runs: FailoverRun[]; medianMs: number; maxMs: number };
  throughput: { rows: ThroughputRow[]; replicatedVsOne: number }; // ops/s with three replicas ÷ with one
}

const WARM_UP_MS = 1000;

export async function runLab3Bench(options: Lab3BenchOptions): Promise<Lab3BenchResult> {
  const startedAt = new Date().toISOString();
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', loadAverage: loadavg(), node: process.version };
  const progress = options.onProgress ?? (() => undefined);
  const runs: FailoverRun[] = [];
  for (let run = 1; run <= options.runs; run++) {
    runs.push(await measureFailover(options, run));
    progress(`failover ${run}/${options.runs}: first grant by the new master ${ms(runs.at(-1)!.grantMs)} after the kill`);
  }
  const rows: ThroughputRow[] = [];
  for (const replicas of [1, 3]) {
    rows.push(await measureThroughput(options, replicas, options.seconds, WARM_UP_MS));
    progress(`throughput with ${replicas} replica${replicas === 1 ? '' : 's'}: ${Math.round(rows.at(-1)!.opsPerS)} lock operations/s`);
  }
  const grants = runs.map((run) => run.grantMs).sort((a, b) => a - b);
  const [one, three] = rows as [ThroughputRow, ThroughputRow];
  return {
    lab: 'lab3-rsm',
    source: options.source,
    startedAt,
    machine,
    failover: { runs, medianMs: median(grants), maxMs: grants.at(-1) as number },
    throughput: { rows, replicatedVsOne: three.opsPerS / one.opsPerS },
  };
}

export function formatLab3Bench(result: Lab3BenchResult): string {
  const { machine, failover, throughput } = result;
  const rows = throughput.rows.map((row) => [
    row.replicas === 1 ? '1 (unreplicated)' : String(row.replicas),
    String(row.clients),
    row.seconds.toFixed(1),
    String(row.grants),
    String(Math.round(row.opsPerS)),
  ]);
  return [
    `lab3 benchmark of ${result.source}`,
    `  ${machine.cpus} CPUs (${machine.cpuModel}), load average ${machine.loadAverage.map((value) => value.toFixed(2)).join(' ')} before the run; Node ${machine.node}`,
    '',
    `Failover: the master (replica 0) is killed while two testers run; time to the first lock replica 1, the new master, grants`,
    `  ${failover.runs.length} runs: median ${ms(failover.medianMs)}, max ${ms(failover.maxMs)}  (each: ${failover.runs.map((run) => ms(run.grantMs)).join(', ')})`,
    `  the given heartbeat counts a replica down after 1.5 s of silence, so about 1.5 s is the floor`,
    '',
    'Lock throughput: 3 testers of 4 lockers, locks held 0 ms; an operation is a granted acquire or a release',
    textTable(['replicas', 'lockers', 'seconds', 'grants', 'ops/s'], rows),
    `  three replicas give ${throughput.replicatedVsOne.toFixed(2)}× the operations per second of one`,
  ].join('\n');
}

const ms = (value: number): string => `${Math.round(value)} ms`;

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
