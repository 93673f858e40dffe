/**
 * The floor under every figure: a bare TCP round trip on loopback with lab 2's framing, measured
 * by the same closed loop and the same client code as the servers. A customer exchange is a
 * 12-byte CustomerRequest answered by a 20-byte RobotInfo; a replication exchange is a 24-byte
 * ReplicationRequest answered by an 8-byte ReplicationReply. The echo server runs on its own thread
 * (framedEcho.ts). With `withProxy`, one more run crosses a zero-policy LinkProxy: the cost of
 * `--links proxy` per replication round trip.
 */
import { LinkProxy } from '../../../harness/linkProxy.ts';
import { createRng } from '../../../harness/rng.ts';
import { FactoryConnection } from '../factoryClient.ts';
import { ROLE, byteSize } from '../factoryWire.ts';
import { runClosedLoop, type LoadWorker } from './closedLoop.ts';
import { FramedConnection, startEchoServer } from './framedEcho.ts';
import type { LatencySummary } from './latencyStats.ts';

export type Exchange = 'customer' | 'replication';

export interface FloorRun {
  exchange: Exchange;
  customers: number;               // concurrent connections, each sequential
  viaLinkProxy: boolean;           // through one zero-policy LinkProxy hop (what the cluster's links cost)
}

export interface FloorRow extends FloorRun {
  requestBytes: number;
  replyBytes: number;
  latency: LatencySummary;
  throughputPerS: number;
}

export interface FloorOptions {
  seconds: number;
  warmUpMs: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

export const floorRuns = (withProxy: boolean): FloorRun[] => [
  { exchange: 'customer', customers: 1, viaLinkProxy: false },
  { exchange: 'customer', customers: 8, viaLinkProxy: false },
  { exchange: 'customer', customers: 128, viaLinkProxy: false },
  { exchange: 'replication', customers: 1, viaLinkProxy: false },
  { exchange: 'replication', customers: 8, viaLinkProxy: false },
  ...(withProxy ? [{ exchange: 'replication' as const, customers: 1, viaLinkProxy: true }] : []),
];

const SIZES: Record<Exchange, { requestBytes: number; replyBytes: number }> = {
  customer: { requestBytes: byteSize('customerRequest'), replyBytes: byteSize('robotInfo') },
  replication: { requestBytes: byteSize('replicationRequest'), replyBytes: byteSize('replicationReply') },
};

export async function measureFloor(runs: readonly FloorRun[], options: FloorOptions): Promise<FloorRow[]> {
  const rows: FloorRow[] = [];
  for (const run of runs) {
    options.onProgress?.(`floor: ${describeFloorRun(run)}`);
    rows.push(await measureOne(run, options));
  }
  return rows;
}

export const describeFloorRun = (run: FloorRun): string =>
  `${run.exchange} ${SIZES[run.exchange].requestBytes} B → ${SIZES[run.exchange].replyBytes} B, ${run.customers} at a time${run.viaLinkProxy ? ', via a link proxy' : ''}`;

async function measureOne(run: FloorRun, options: FloorOptions): Promise<FloorRow> {
  const sizes = SIZES[run.exchange];
  const echo = await startEchoServer(sizes.requestBytes, sizes.replyBytes);
  const proxy = run.viaLinkProxy
    ? await LinkProxy.start({ name: 'floor', target: { host: '127.0.0.1', port: echo.port }, rng: createRng(0) })
    : undefined;
  const port = proxy?.port ?? echo.port;
  try {
    const result = await runClosedLoop({
      label: `floor (${describeFloorRun(run)})`,
      workers: run.customers,
      open: (index) => (run.exchange === 'customer' ? customerWorker(port, index) : replicationWorker(port, sizes)),
      seconds: options.seconds,
      warmUpMs: options.warmUpMs,
      signal: options.signal,
    });
    return { ...run, ...sizes, latency: result.latency, throughputPerS: result.throughputPerS };
  } finally {
    await proxy?.close();
    await echo.close();
  }
}

async function customerWorker(port: number, index: number): Promise<LoadWorker> {
  const connection = await FactoryConnection.open(port, 'the loopback echo server');
  let orderNumber = 0;
  return { request: async () => void (await connection.order(index, orderNumber++)), close: () => connection.close() };
}

async function replicationWorker(port: number, sizes: { requestBytes: number; replyBytes: number }): Promise<LoadWorker> {
  const connection = await FramedConnection.open(port, ROLE.admin, sizes.requestBytes, sizes.replyBytes);
  return { request: () => connection.exchange(), close: () => connection.close() };
}
