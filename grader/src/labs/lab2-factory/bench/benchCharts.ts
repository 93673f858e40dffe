/** The benchmark's three charts, as SVG text: write latency, write throughput, read throughput. */
import { barChart } from './svgChart.ts';
import type { Lab2BenchResult } from './lab2Bench.ts';

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Each write series holds one bar per server count, in the order the counts first appear. */
function writeSeries(result: Lab2BenchResult, value: (row: Lab2BenchResult['write'][number]) => number) {
  const servers = [...new Set(result.write.map((row) => row.servers))];
  const customers = [...new Set(result.write.map((row) => row.customers))];
  return {
    categories: servers.map((count) => plural(count, 'server')),
    series: customers.map((count) => ({
      name: plural(count, 'customer'),
      values: servers.map((serverCount) => {
        const row = result.write.find((candidate) => candidate.servers === serverCount && candidate.customers === count);
        return row ? value(row) : 0;
      }),
    })),
  };
}

export function writeLatencyChart(result: Lab2BenchResult): string {
  const { target } = result;
  return barChart({
    title: 'Lab 2: mean order latency (orders through server 0)',
    xLabel: 'servers in the cluster',
    yLabel: 'mean latency per order (µs)',
    ...writeSeries(result, (row) => row.latency.meanUs),
    references: [
      { label: '3 loopback round trips', value: target.roundTripsUs },
      { label: `target: ${target.goal} × 3 round trips`, value: target.goal * target.roundTripsUs },
    ],
  });
}

export function writeThroughputChart(result: Lab2BenchResult): string {
  return barChart({
    title: 'Lab 2: order throughput (orders through server 0)',
    xLabel: 'servers in the cluster',
    yLabel: 'orders per second',
    ...writeSeries(result, (row) => row.throughputPerS),
  });
}

export function readThroughputChart(result: Lab2BenchResult): string {
  const servers = [...new Set(result.read.map((row) => row.servers))];
  const groups = [...new Set(result.read.map((row) => row.groups))];
  return barChart({
    title: 'Lab 2: read throughput (customers read their own records)',
    xLabel: 'servers in the cluster (group g reads from server g mod servers)',
    yLabel: 'reads per second, all groups',
    categories: servers.map((count) => plural(count, 'server')),
    series: groups.map((count) => ({
      name: `${plural(count, 'group')} of ${result.read[0]?.customersPerGroup ?? 0} customers`,
      values: servers.map((serverCount) => result.read.find((row) => row.servers === serverCount && row.groups === count)?.throughputPerS ?? 0),
    })),
  });
}
