/**
 * Renders a lab 2 benchmark result: the table printed on stdout, the CSV files, and the output
 * folder with CSVs, SVG charts and bench.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readThroughputChart, writeLatencyChart, writeThroughputChart } from './benchCharts.ts';
import { describeFloorRun, type FloorRow } from './loopbackFloor.ts';
import type { Lab2BenchResult } from './lab2Bench.ts';
import type { CpuUse } from './cpuSampler.ts';
import { textTable } from './textTable.ts';

const us = (value: number): string => value.toFixed(1);
const perS = (value: number): string => Math.round(value).toString();
const times = (value: number): string => `×${value.toFixed(2)}`;
const pct = (value: number | null): string => (value === null ? '?' : Math.round(value).toString());
const cpuCell = (cpu: CpuUse): string => `${pct(cpu.benchPct).padStart(5)} | ${cpu.serverPct.map((value) => pct(value).padStart(3)).join(' ')}`;

export function formatBenchTable(result: Lab2BenchResult): string {
  const wiring = result.wiring === 'direct' ? 'servers connected directly' : 'servers connected through link proxies';
  const { machine, target } = result;
  const load = machine.loadAverage.map((value) => value.toFixed(2)).join(' ');
  const floor = textTable(
    ['exchange', 'connections', 'mean µs', 'p99 µs', 'per s'],
    result.floor.map((row) => [describeFloorRun(row).replace(/, \d+ at a time/, ''), String(row.customers), us(row.latency.meanUs), us(row.latency.p99Us), perS(row.throughputPerS)]),
  );
  const write = textTable(
    ['servers', 'customers', 'mean µs', 'vs floor', 'p99 µs', 'orders/s', 'vs floor', 'CPU % bench | servers'],
    result.write.map((row) => [String(row.servers), String(row.customers), us(row.latency.meanUs), times(row.vsFloor.latency), us(row.latency.p99Us), perS(row.throughputPerS), times(row.vsFloor.throughput), cpuCell(row.cpu)]),
    [7],
  );
  const read = textTable(
    ['servers', 'groups', 'mean µs', 'vs floor', 'p99 µs', 'reads/s', 'vs floor', 'CPU % bench | servers'],
    result.read.map((row) => [String(row.servers), String(row.groups), us(row.latency.meanUs), times(row.vsFloor.latency), us(row.latency.p99Us), perS(row.throughputPerS), times(row.vsFloor.throughput), cpuCell(row.cpu)]),
    [7],
  );
  return [
    `lab2 benchmark of ${result.source}`,
    `  ${result.seconds} s per configuration after a ${result.warmUpMs} ms warm-up; ${wiring}`,
    `  ${machine.cpus} CPUs (${machine.cpuModel}), load average ${load} before the run; Node ${machine.node}`,
    '',
    'Loopback floor: an echo server on its own thread, same framing, same client code',
    floor,
    '',
    'Write: customers place orders one after another through server 0, a fresh cluster per row',
    '  ("vs floor": against the customer floor with as many connections; CPU: % of one core, this process | each server)',
    write,
    '',
    `Read: groups of ${result.read[0]?.customersPerGroup ?? 0} customers read their own records, group g from server g mod servers, after 128 × 4 orders`,
    `  ("vs floor": against the customer floor with ${result.read[0]?.customersPerGroup ?? 0} connections; reads/s: all groups summed)`,
    read,
    '',
    `target: 3-server write latency / (3 × loopback RTT) = ${target.ratio.toFixed(2)} (target ≤ ${target.goal})`,
    `  one customer alone: an order on 3 servers takes ${us(target.writeLatencyUs)} µs; its three round trips on bare loopback take ${us(target.customerRttUs)} µs (customer) + 2 × ${us(target.replicationRttUs)} µs (replication) = ${us(target.roundTripsUs)} µs`,
    ...result.warnings.map((warning) => `warning: ${warning}`),
  ].join('\n');
}

const csv = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  `${[header, ...rows].map((row) => row.join(',')).join('\n')}\n`;

const cpuColumns = (cpu: CpuUse): (string | number)[] => [cpu.benchPct.toFixed(1), cpu.serverPct.map((value) => (value === null ? '' : value.toFixed(1))).join(' ')];

export function writeCsv(result: Lab2BenchResult): string {
  return csv(
    ['servers', 'customers', 'orders', 'mean_latency_us', 'p50_latency_us', 'p99_latency_us', 'throughput_per_s', 'latency_vs_floor', 'throughput_vs_floor', 'bench_cpu_pct', 'server_cpu_pct'],
    result.write.map((row) => [row.servers, row.customers, row.latency.count, us(row.latency.meanUs), us(row.latency.p50Us), us(row.latency.p99Us), row.throughputPerS.toFixed(1), row.vsFloor.latency.toFixed(3), row.vsFloor.throughput.toFixed(3), ...cpuColumns(row.cpu)]),
  );
}

export function readCsv(result: Lab2BenchResult): string {
  return csv(
    ['servers', 'groups', 'customers_per_group', 'reads', 'mean_latency_us', 'p50_latency_us', 'p99_latency_us', 'throughput_per_s', 'latency_vs_floor', 'throughput_vs_floor', 'bench_cpu_pct', 'server_cpu_pct'],
    result.read.map((row) => [row.servers, row.groups, row.customersPerGroup, row.latency.count, us(row.latency.meanUs), us(row.latency.p50Us), us(row.latency.p99Us), row.throughputPerS.toFixed(1), row.vsFloor.latency.toFixed(3), row.vsFloor.throughput.toFixed(3), ...cpuColumns(row.cpu)]),
  );
}

export function floorCsv(rows: readonly FloorRow[]): string {
  return csv(
    ['exchange', 'request_bytes', 'reply_bytes', 'connections', 'via_link_proxy', 'exchanges', 'mean_latency_us', 'p50_latency_us', 'p99_latency_us', 'throughput_per_s'],
    rows.map((row) => [row.exchange, row.requestBytes, row.replyBytes, row.customers, row.viaLinkProxy ? 1 : 0, row.latency.count, us(row.latency.meanUs), us(row.latency.p50Us), us(row.latency.p99Us), row.throughputPerS.toFixed(1)]),
  );
}

/** Writes every output file into `outDir` (created if needed); returns the paths written. */
export async function writeBenchFiles(result: Lab2BenchResult, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const files: Record<string, string> = {
    'write.csv': writeCsv(result),
    'read.csv': readCsv(result),
    'floor.csv': floorCsv(result.floor),
    'write-latency.svg': writeLatencyChart(result),
    'write-throughput.svg': writeThroughputChart(result),
    'read-throughput.svg': readThroughputChart(result),
    'bench.json': `${JSON.stringify(result, null, 2)}\n`,
  };
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(outDir, name), text);
    written.push(join(outDir, name));
  }
  return written;
}
