/**
 * Lab 4's benchmark (`rsmlab bench lab4`), the seed's secondary measures: scalability (operations
 * per second with 1, 2, 3 and 4 nodes under the same load) and efficiency (messages and bytes
 * between nodes per operation). Nodes run as in the checks, every link through a proxy, which
 * also counts the traffic; the same closed-loop clients ask every node in turn.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { CheckContext, RUN_MARKER } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { CheckFailure } from '../../../check/checkFailure.ts';
import { createRng } from '../../../harness/rng.ts';
import type { Submission } from '../../../harness/submission.ts';
import { submissionError } from '../../../errors.ts';
import { KvCluster } from '../kvCluster.ts';
import { awaitReady } from '../kvProbe.ts';
import { startWorkload, type WorkloadClient } from '../workload.ts';
import { textTable } from '../../lab2-factory/bench/textTable.ts';

export interface Lab4BenchOptions {
  source: string;                  // what the user named, for the report
  submission: Submission;
  logDir: string;
  seconds: number;                 // measured window per cluster size
  signal: AbortSignal;
  onProgress?: (line: string) => void;
}

export interface ScaleRow {
  nodes: number;
  answered: number;                // operations answered in the window
  unanswered: number;              // sent in the window and never answered with a 200 (a 500, a timeout)
  opsPerS: number;
  medianMs: number;                // latency of the answered ones
  messagesPerOp: number;           // between nodes, in the window
  bytesPerOp: number;
}

export interface Lab4BenchResult {
  lab: 'lab4-kv';
  source: string;
  startedAt: string;
  machine: { cpus: number; cpuModel: string; loadAverage: number[]; node: string };
  clients: number;
  rows: ScaleRow[];
}

const CLIENTS = 8;                 // the same load on every cluster size
const WARM_UP_MS = 1000;

export async function runLab4Bench(options: Lab4BenchOptions): Promise<Lab4BenchResult> {
  const startedAt = new Date().toISOString();
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', loadAverage: loadavg(), node: process.version };
  const rows: ScaleRow[] = [];
  for (const nodes of [1, 2, 3, 4]) {
    options.signal.throwIfAborted();
    rows.push(await measureScale(options, nodes));
    const row = rows.at(-1) as ScaleRow;
    options.onProgress?.(`${nodes} node${nodes === 1 ? '' : 's'}: ${Math.round(row.opsPerS)} operations/s, ${row.messagesPerOp.toFixed(1)} messages between nodes per operation`);
  }
  return { lab: 'lab4-kv', source: options.source, startedAt, machine, clients: CLIENTS, rows };
}

async function measureScale(options: Lab4BenchOptions, nodes: number): Promise<ScaleRow> {
  // A run marker given to rsmlab itself (tests look for leftovers with it) marks the nodes too.
  const marker = process.env[RUN_MARKER] ?? randomUUID();
  const context = new CheckContext(1, createRng(1).fork(`bench:${nodes}`), options.submission, join(options.logDir, `nodes-${nodes}`), marker);
  const stop = (): void => void context.cleanup();
  options.signal.addEventListener('abort', stop, { once: true });
  try {
    const cluster = await KvCluster.create(context, nodes);
    await cluster.startAll();
    const findings = new Findings();
    if (!(await awaitReady(cluster.clientPort(0), 'node 0', findings))) findings.throwIfAny();
    const clients: WorkloadClient[] = [...Array(CLIENTS).keys()].map((index) => ({
      name: `b${index}`,
      keys: [0, 1, 2, 3].map((key) => `bench${index}.k${key}`),
      ports: () => cluster.ids.map((_, offset) => cluster.clientPort((index + offset) % nodes)),
    }));
    const workload = startWorkload({ clients, setFraction: 0.5, timeoutMs: 4000, pauseMs: 0, rng: createRng(nodes) });
    await delay(WARM_UP_MS, undefined, { signal: options.signal });
    const from = performance.now();
    const fromUs = (performance.timeOrigin + from) * 1000;
    const trafficBefore = cluster.traffic();
    await delay(options.seconds * 1000, undefined, { signal: options.signal });
    const untilUs = (performance.timeOrigin + performance.now()) * 1000;
    const trafficAfter = cluster.traffic();
    await workload.stop();
    const inWindow = workload.history.filter((op) => op.invokedUs >= fromUs && op.invokedUs < untilUs);
    const answered = inWindow.filter((op) => op.result !== undefined && op.completedUs !== undefined && op.completedUs <= untilUs);
    const latencies = answered.map((op) => ((op.completedUs as number) - op.invokedUs) / 1000).sort((a, b) => a - b);
    const per = (total: number): number => (answered.length === 0 ? 0 : total / answered.length);
    return {
      nodes,
      answered: answered.length,
      unanswered: inWindow.filter((op) => op.result === undefined).length,
      opsPerS: answered.length / options.seconds,
      medianMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
      messagesPerOp: per(trafficAfter.messages - trafficBefore.messages),
      bytesPerOp: per(trafficAfter.bytes - trafficBefore.bytes),
    };
  } catch (error) {
    options.signal.throwIfAborted();
    if (error instanceof CheckFailure) throw submissionError(`the ${nodes}-node cluster did not run: ${error.message}`);
    throw error;
  } finally {
    options.signal.removeEventListener('abort', stop);
    await context.cleanup();
  }
}

export function formatLab4Bench(result: Lab4BenchResult): string {
  const { machine } = result;
  const rows = result.rows.map((row) => [
    String(row.nodes),
    String(row.answered),
    String(row.unanswered),
    String(Math.round(row.opsPerS)),
    row.medianMs.toFixed(1),
    row.messagesPerOp.toFixed(1),
    String(Math.round(row.bytesPerOp)),
  ]);
  const one = result.rows[0]?.opsPerS ?? 0;
  const four = result.rows.at(-1)?.opsPerS ?? 0;
  return [
    `lab4 benchmark of ${result.source}`,
    `  ${machine.cpus} CPUs (${machine.cpuModel}), load average ${machine.loadAverage.map((value) => value.toFixed(2)).join(' ')} before the run; Node ${machine.node}`,
    '',
    `Scalability and efficiency: ${result.clients} closed-loop clients (half sets, half gets), each asking the nodes in turn; every link through a proxy`,
    textTable(['nodes', 'answered', 'unanswered', 'ops/s', 'median ms', 'msgs/op', 'bytes/op'], rows),
    `  four nodes give ${one === 0 ? '-' : (four / one).toFixed(2)}× the operations per second of one; messages and bytes are between nodes only`,
  ].join('\n');
}
