/**
 * One run of lab 2's benchmark: the loopback floor, then writes, then reads, every figure also
 * set against the floor, and the issue's target. Returns everything as one object (bench.json);
 * it prints nothing itself but progress lines through `onProgress`.
 */
import { cpus, loadavg } from 'node:os';
import type { RoleCommand } from '../../../harness/submission.ts';
import type { Wiring } from './benchCluster.ts';
import { BenchCluster } from './benchCluster.ts';
import { clusterSpec, warmUpFor, type BenchContext } from './benchContext.ts';
import { probeCluster } from './clusterProbe.ts';
import { floorRuns, measureFloor, type FloorRow } from './loopbackFloor.ts';
import { measureReads, type ReadRow } from './readBench.ts';
import { measureWrites, type WriteRow } from './writeBench.ts';

export interface Lab2BenchOptions {
  source: string;                  // what the user named, for the report
  server: RoleCommand;
  dir: string;                     // where the server runs
  logDir: string;
  seconds: number;
  wiring: Wiring;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/** A figure set against the loopback floor with the same number of concurrent connections. */
export interface VsFloor {
  floorCustomers: number;          // which floor row: the customer exchange with this many connections
  latency: number;                 // mean latency / the floor's mean latency
  throughput: number;              // throughput / the floor's throughput
}

export interface Lab2BenchResult {
  lab: 'lab2-factory';
  source: string;
  startedAt: string;               // ISO time
  seconds: number;                 // measured window per configuration
  warmUpMs: number;
  wiring: Wiring;
  machine: { cpus: number; cpuModel: string; loadAverage: number[]; node: string; platform: string }; // loadAverage: 1, 5, 15 min, before the run
  floor: FloorRow[];
  write: (WriteRow & { vsFloor: VsFloor })[];
  read: (ReadRow & { vsFloor: VsFloor })[];
  target: Target;
  warnings: string[];
}

/** "3-server write latency within 2× of three sequential loopback round trips". */
export interface Target {
  ratio: number;                   // writeLatencyUs / roundTripsUs
  goal: number;                    // 2
  met: boolean;
  writeLatencyUs: number;          // mean order latency, 3 servers, 1 customer
  customerRttUs: number;           // floor: customer exchange, 1 connection
  replicationRttUs: number;        // floor: replication exchange, 1 connection
  roundTripsUs: number;            // customerRttUs + 2 × replicationRttUs: the three round trips of one order
}

export const TARGET_GOAL = 2;

export async function runLab2Bench(options: Lab2BenchOptions): Promise<Lab2BenchResult> {
  const startedAt = new Date().toISOString();
  const loadAverage = loadavg();
  const context: BenchContext = {
    server: options.server,
    dir: options.dir,
    logDir: options.logDir,
    wiring: options.wiring,
    seconds: options.seconds,
    warmUpMs: warmUpFor(options.seconds),
    signal: options.signal,
    onProgress: options.onProgress ?? (() => undefined),
    warnings: [],
  };
  await preflight(context);
  const floor = await measureFloor(floorRuns(options.wiring === 'proxy'), context);
  const write = await measureWrites(context);
  const read = await measureReads(context);
  const vs = (row: { latency: { meanUs: number }; throughputPerS: number }, customers: number): VsFloor => versusFloor(floor, row, customers);
  return {
    lab: 'lab2-factory',
    source: options.source,
    startedAt,
    seconds: options.seconds,
    warmUpMs: context.warmUpMs,
    wiring: options.wiring,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', loadAverage, node: process.version, platform: `${process.platform} ${process.arch}` },
    floor,
    write: write.map((row) => ({ ...row, vsFloor: vs(row, row.customers) })),
    read: read.map((row) => ({ ...row, vsFloor: vs(row, row.customersPerGroup) })),
    target: computeTarget(floor, write),
    warnings: context.warnings,
  };
}

/** Refuses at once, before a minute of measurements, when one server cannot take an order and a read. */
async function preflight(context: BenchContext): Promise<void> {
  context.onProgress('checking that a server takes an order and answers a read');
  const cluster = await BenchCluster.start(clusterSpec(context, 'preflight', 1));
  try {
    await probeCluster(cluster, 'before measuring');
  } finally {
    await cluster.stop();
  }
}

export function floorRow(floor: readonly FloorRow[], exchange: FloorRow['exchange'], customers: number): FloorRow {
  const row = floor.find((candidate) => candidate.exchange === exchange && candidate.customers === customers && !candidate.viaLinkProxy);
  if (!row) throw new Error(`no floor measurement for ${exchange} × ${customers}`);
  return row;
}

export function versusFloor(floor: readonly FloorRow[], row: { latency: { meanUs: number }; throughputPerS: number }, customers: number): VsFloor {
  const base = floorRow(floor, 'customer', customers);
  return { floorCustomers: customers, latency: ratio(row.latency.meanUs, base.latency.meanUs), throughput: ratio(row.throughputPerS, base.throughputPerS) };
}

export function computeTarget(floor: readonly FloorRow[], write: readonly WriteRow[]): Target {
  const order = write.find((row) => row.servers === 3 && row.customers === 1);
  if (!order) throw new Error('no write measurement for 3 servers and 1 customer');
  const customerRttUs = floorRow(floor, 'customer', 1).latency.meanUs;
  const replicationRttUs = floorRow(floor, 'replication', 1).latency.meanUs;
  const roundTripsUs = customerRttUs + 2 * replicationRttUs;
  const value = ratio(order.latency.meanUs, roundTripsUs);
  return { ratio: value, goal: TARGET_GOAL, met: value <= TARGET_GOAL, writeLatencyUs: order.latency.meanUs, customerRttUs, replicationRttUs, roundTripsUs };
}

const ratio = (value: number, base: number): number => (base > 0 ? value / base : 0);
