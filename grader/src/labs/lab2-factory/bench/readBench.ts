/**
 * Read performance (seed, section 4): 128 customers first place 4 orders each through server 0;
 * then, on 1 and on 2 servers, 1 and then 2 groups of 128 customers read their own records at
 * the same time for the window, group g reading from server g mod (number of servers). The seed's
 * set-ups are one group per server; the other two separate "more readers" from "more servers".
 */
import { FactoryConnection } from '../factoryClient.ts';
import { placeOrders } from '../factoryWorkload.ts';
import { submissionError } from '../../../errors.ts';
import { BenchCluster } from './benchCluster.ts';
import { clusterSpec, type BenchContext } from './benchContext.ts';
import { runClosedLoop, type LoadWorker } from './closedLoop.ts';
import { probeCluster } from './clusterProbe.ts';
import type { CpuUse } from './cpuSampler.ts';
import type { LatencySummary } from './latencyStats.ts';

export const READ_CUSTOMERS = 128;       // customers per group, and customers that fill the records
export const FILL_ORDERS = 4;            // orders each of them places first

export interface ReadRow {
  servers: number;
  groups: number;                        // groups of READ_CUSTOMERS concurrent customers
  customersPerGroup: number;
  latency: LatencySummary;               // per read, µs
  throughputPerS: number;                // reads per second, all groups summed
  cpu: CpuUse;
}

export async function measureReads(context: BenchContext, serverCounts = [1, 2], groupCounts = [1, 2]): Promise<ReadRow[]> {
  const rows: ReadRow[] = [];
  for (const servers of serverCounts) {
    const name = `read-${servers}s`;
    const cluster = await BenchCluster.start(clusterSpec(context, name, servers));
    try {
      await probeCluster(cluster, `read, ${servers} server${servers > 1 ? 's' : ''}`);
      await fillRecords(context, cluster);
      for (const groups of groupCounts) rows.push(await measureRead(context, cluster, servers, groups));
    } finally {
      await cluster.stop();
    }
  }
  return rows;
}

async function fillRecords(context: BenchContext, cluster: BenchCluster): Promise<void> {
  context.onProgress(`read: ${READ_CUSTOMERS} customers place ${FILL_ORDERS} orders each through server 0`);
  const customers = Array.from({ length: READ_CUSTOMERS }, (_, id) => id);
  const placed = await placeOrders({ port: cluster.ports[0] as number, label: 'server 0', customers, ordersEach: FILL_ORDERS });
  const failed = placed.find((order) => order.error !== undefined);
  if (failed) throw submissionError(`read benchmark: filling the records failed at order ${failed.orderNumber} of customer ${failed.customerId}: ${failed.error}`);
}

async function measureRead(context: BenchContext, cluster: BenchCluster, servers: number, groups: number): Promise<ReadRow> {
  const label = `read, ${servers} server${servers > 1 ? 's' : ''}, ${groups} group${groups > 1 ? 's' : ''} of ${READ_CUSTOMERS} customers`;
  context.onProgress(`${label} (${context.seconds} s)`);
  const open = async (index: number): Promise<LoadWorker> => {
    const server = Math.floor(index / READ_CUSTOMERS) % servers;
    const port = cluster.ports[server] as number;
    const customerId = index % READ_CUSTOMERS;
    const connection = await FactoryConnection.open(port, `server ${server} (port ${port})`);
    return {
      request: async () => {
        const record = await connection.read(customerId);
        if (record.customerId !== customerId) {
          throw new Error(`server ${server} answered a read of customer ${customerId}'s record with ${record.customerId} ${record.lastOrder} (after ${FILL_ORDERS} orders of each customer)`);
        }
      },
      close: () => connection.close(),
    };
  };
  const result = await runClosedLoop({
    label,
    workers: READ_CUSTOMERS * groups,
    open,
    seconds: context.seconds,
    warmUpMs: context.warmUpMs,
    serverPids: cluster.pids,
    signal: context.signal,
  });
  return { servers, groups, customersPerGroup: READ_CUSTOMERS, latency: result.latency, throughputPerS: result.throughputPerS, cpu: result.cpu };
}
