/**
 * Write performance (handout section 4 of the seed): 1, 2 and 3 servers on a fresh cluster each;
 * concurrent customers, each on its own connection placing orders one after another through
 * server 0. Eight customers as the seed asks, and one customer for the unloaded latency that the
 * target compares with loopback round trips.
 */
import { FactoryConnection } from '../factoryClient.ts';
import { BenchCluster } from './benchCluster.ts';
import { clusterSpec, type BenchContext } from './benchContext.ts';
import { runClosedLoop, type LoadWorker } from './closedLoop.ts';
import { probeCluster, replicationShortfalls } from './clusterProbe.ts';
import type { CpuUse } from './cpuSampler.ts';
import type { LatencySummary } from './latencyStats.ts';

export interface WriteConfig {
  servers: number;
  customers: number;
}

export interface WriteRow extends WriteConfig {
  latency: LatencySummary;         // per order, µs, inside the window
  throughputPerS: number;          // orders completed per second inside the window
  cpu: CpuUse;
}

export const WRITE_CONFIGS: readonly WriteConfig[] = [1, 2, 3].flatMap((servers) => [8, 1].map((customers) => ({ servers, customers })));

export async function measureWrites(context: BenchContext, configs = WRITE_CONFIGS): Promise<WriteRow[]> {
  const rows: WriteRow[] = [];
  for (const config of configs) rows.push(await measureWrite(context, config));
  return rows;
}

async function measureWrite(context: BenchContext, config: WriteConfig): Promise<WriteRow> {
  const name = `write-${config.servers}s-${config.customers}c`;
  const label = `write, ${config.servers} server${config.servers > 1 ? 's' : ''}, ${config.customers} customer${config.customers > 1 ? 's' : ''}`;
  context.onProgress(`${label} (${context.seconds} s)`);
  const cluster = await BenchCluster.start(clusterSpec(context, name, config.servers));
  try {
    await probeCluster(cluster, label);
    let answered = 1; // the probe's order
    const port = cluster.ports[0] as number;
    const open = async (customerId: number): Promise<LoadWorker> => {
      const connection = await FactoryConnection.open(port, `server 0 (port ${port})`);
      let orderNumber = 0;
      return {
        request: async () => {
          const info = await connection.order(customerId, orderNumber);
          if (info.customerId !== customerId || info.orderNumber !== orderNumber) {
            throw new Error(`server 0 answered order ${orderNumber} of customer ${customerId} with a RobotInfo for customer ${info.customerId}, order ${info.orderNumber}`);
          }
          orderNumber++;
          answered++;
        },
        close: () => connection.close(),
      };
    };
    const result = await runClosedLoop({
      label,
      workers: config.customers,
      open,
      seconds: context.seconds,
      warmUpMs: context.warmUpMs,
      serverPids: cluster.pids,
      signal: context.signal,
    });
    for (const problem of await replicationShortfalls(cluster, answered)) context.warnings.push(`${label}: ${problem}`);
    return { ...config, latency: result.latency, throughputPerS: result.throughputPerS, cpu: result.cpu };
  } finally {
    await cluster.stop();
  }
}
