import { describe, expect, it } from 'vitest';
import { allElements, parseXml } from '../../../../test/wellFormedXml.ts';
import { readThroughputChart, writeLatencyChart, writeThroughputChart } from './benchCharts.ts';
import { floorCsv, formatBenchTable, readCsv, writeCsv } from './benchReport.ts';
import { computeTarget, versusFloor, type Lab2BenchResult } from './lab2Bench.ts';
import type { FloorRow } from './loopbackFloor.ts';
import type { WriteRow } from './writeBench.ts';
import type { ReadRow } from './readBench.ts';

const latency = (meanUs: number) => ({ count: 1000, meanUs, p50Us: meanUs, p99Us: 3 * meanUs, maxUs: 10 * meanUs });
const cpu = { benchPct: 50, serverPct: [40, null] };
const floorOf = (exchange: FloorRow['exchange'], customers: number, meanUs: number, throughputPerS: number): FloorRow =>
  ({ exchange, customers, viaLinkProxy: false, requestBytes: exchange === 'customer' ? 12 : 24, replyBytes: exchange === 'customer' ? 20 : 8, latency: latency(meanUs), throughputPerS });

const floor = [floorOf('customer', 1, 30, 30000), floorOf('customer', 8, 250, 32000), floorOf('customer', 128, 4000, 32000), floorOf('replication', 1, 35, 28000)];
const write: WriteRow[] = [1, 2, 3].flatMap((servers) => [8, 1].map((customers) => ({ servers, customers, latency: latency(customers === 1 ? 100 * servers : 400 * servers), throughputPerS: 10000 / servers, cpu })));
const read: ReadRow[] = [1, 2].flatMap((servers) => [1, 2].map((groups) => ({ servers, groups, customersPerGroup: 128, latency: latency(3000), throughputPerS: 40000 * groups, cpu })));

describe('the target and the floor ratios', () => {
  it('sets the 3-server, 1-customer order against one customer and two replication round trips', () => {
    const target = computeTarget(floor, write);
    expect(target.roundTripsUs).toBe(30 + 2 * 35);
    expect(target.writeLatencyUs).toBe(300);
    expect(target.ratio).toBeCloseTo(3);
    expect(target.met).toBe(false);
  });

  it('compares a row with the customer floor of as many connections', () => {
    expect(versusFloor(floor, { latency: { meanUs: 500 }, throughputPerS: 16000 }, 8)).toEqual({ floorCustomers: 8, latency: 2, throughput: 0.5 });
    expect(() => versusFloor(floor, { latency: { meanUs: 1 }, throughputPerS: 1 }, 3)).toThrow(/no floor measurement/);
  });
});

describe('the benchmark report', () => {
  const result: Lab2BenchResult = {
    lab: 'lab2-factory',
    source: 'solutions/lab2-factory',
    startedAt: '2026-11-21T00:00:00.000Z',
    seconds: 10,
    warmUpMs: 1000,
    wiring: 'direct',
    machine: { cpus: 2, cpuModel: 'test CPU', loadAverage: [0.5, 0.4, 0.3], node: 'v20', platform: 'linux x64' },
    floor,
    write: write.map((row) => ({ ...row, vsFloor: versusFloor(floor, row, row.customers) })),
    read: read.map((row) => ({ ...row, vsFloor: versusFloor(floor, row, 128) })),
    target: computeTarget(floor, write),
    warnings: ['write, 3 servers, 8 customers: server 2 reports last_index 5'],
  };

  it('prints a table row per configuration, the target line and the warnings', () => {
    const table = formatBenchTable(result);
    expect(table).toMatch(/^target: 3-server write latency \/ \(3 × loopback RTT\) = 3\.00 \(target ≤ 2\)$/m);
    expect(table).toMatch(/^\s+3\s+1\s+300\.0\s+×10\.00\s+900\.0\s+3333\s+×0\.11\s+50 \|\s+40\s+\?$/m);
    expect(table).toMatch(/^warning: write, 3 servers/m);
  });

  it('writes CSVs with a header and one row per configuration, every row as wide as the header', () => {
    for (const [text, rows] of [[writeCsv(result), 6], [readCsv(result), 4], [floorCsv(result.floor), 4]] as const) {
      const lines = text.trimEnd().split('\n').map((line) => line.split(','));
      expect(lines).toHaveLength(rows + 1);
      expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    }
    expect(writeCsv(result).split('\n')[1]).toBe('1,8,1000,400.0,400.0,1200.0,10000.0,1.600,0.313,50.0,40.0 ');
  });

  it('draws one bar per write configuration and per read configuration', () => {
    const bars = (svg: string): number => allElements(parseXml(svg)).filter((element) => element.attributes.class === 'bar').length;
    expect(bars(writeLatencyChart(result))).toBe(6);
    expect(bars(writeThroughputChart(result))).toBe(6);
    expect(bars(readThroughputChart(result))).toBe(4);
  });
});
