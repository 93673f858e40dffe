/**
 * Sanity of a benchmark cluster: before the load, one order and one read through server 0 must
 * work (else the benchmark refuses: figures of a broken server mean nothing); after a write load,
 * every server's status must show that each order was logged on every factory (else a warning).
 */
import { submissionError } from '../../../errors.ts';
import { FactoryConnection } from '../factoryClient.ts';
import type { BenchCluster } from './benchCluster.ts';

export const PROBE_CUSTOMER = 1_000_000; // no load uses this customer id

const ADVICE = 'the benchmark needs servers that work (see `rsmlab check lab2`)';

export async function probeCluster(cluster: BenchCluster, name: string): Promise<void> {
  const port = cluster.ports[0] as number;
  let connection: FactoryConnection | undefined;
  try {
    connection = await FactoryConnection.open(port, `server 0 (port ${port})`);
    const info = await connection.order(PROBE_CUSTOMER, 0);
    if (info.customerId !== PROBE_CUSTOMER || info.orderNumber !== 0 || info.adminId !== 0) {
      throw new Error(`it answered the order (customer ${PROBE_CUSTOMER}, order 0) with RobotInfo ${JSON.stringify(info)}`);
    }
    const record = await connection.read(PROBE_CUSTOMER);
    if (record.customerId !== PROBE_CUSTOMER || record.lastOrder !== 0) {
      throw new Error(`after order 0 of customer ${PROBE_CUSTOMER}, a read of its record gave ${record.customerId} ${record.lastOrder}`);
    }
  } catch (error) {
    throw submissionError(`${name}: an order and a read through server 0 failed: ${(error as Error).message}; ${ADVICE}.${cluster.outputTail(0)}`);
  } finally {
    connection?.close();
  }
}

/**
 * After `orders` orders through server 0 (the probe's included) and all their replies, the primary
 * must have last and committed index `orders` − 1, and each backup last index `orders` − 1.
 * Returns what differs, one line per server; empty when all is as expected.
 */
export async function replicationShortfalls(cluster: BenchCluster, orders: number): Promise<string[]> {
  const expected = orders - 1;
  const problems: string[] = [];
  for (const [id, port] of cluster.ports.entries()) {
    let connection: FactoryConnection | undefined;
    try {
      connection = await FactoryConnection.open(port, `server ${id} (port ${port})`);
      const status = await connection.status();
      const committedOk = id !== 0 || status.committedIndex === expected;
      if (status.lastIndex !== expected || !committedOk) {
        problems.push(`server ${id} reports last_index ${status.lastIndex}, committed_index ${status.committedIndex} after ${orders} orders (expected last_index ${expected}${id === 0 ? ` and committed_index ${expected}` : ''})`);
      }
    } catch (error) {
      problems.push(`server ${id} did not answer a status request: ${(error as Error).message}`);
    } finally {
      connection?.close();
    }
  }
  return problems;
}
