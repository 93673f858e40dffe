/**
 * Part A: one factory alone (`server 0 0 0`). Concurrent customers order; each reads its own
 * record right after every order (on a second connection) and must see that order, because a
 * server applies an order before it ships the robot. At the end the log holds every order and is
 * all committed, and the records hold each customer's last order.
 */
import { performance } from 'node:perf_hooks';
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { FactoryCluster } from '../factoryCluster.ts';
import { FactoryConnection } from '../factoryClient.ts';
import { auditRecords, auditReplies, auditStatus, bookOf } from '../factoryAudit.ts';
import type { PlacedOrder } from '../factoryWorkload.ts';

const CUSTOMERS = [0, 1, 2, 3];
const ORDERS_EACH = 8;

async function run(context: CheckContext): Promise<void> {
  const cluster = await FactoryCluster.start(context, 1);
  const port = cluster.port(0);
  const findings = new Findings();
  await auditStatus(port, 'factory 0', { primaryId: -1, lastIndex: -1, committedIndex: -1 }, findings, 'before any order');
  const orders = (await Promise.all(CUSTOMERS.map((customerId) => orderAndReadBack(port, customerId, findings)))).flat();
  context.note(`${CUSTOMERS.length} customers placed ${ORDERS_EACH} orders each, at the same time, on \`server 0 0 0\`.`);

  auditReplies(orders, 0, findings);
  const last = orders.length - 1;
  await auditStatus(port, 'factory 0', { primaryId: 0, lastIndex: last, committedIndex: last }, findings, `after ${orders.length} orders`);
  await auditRecords(port, 'factory 0', bookOf(orders), CUSTOMERS, findings, 'each customer\'s last order');
  findings.throwIfAny();
}

/** One customer: each order, then a read of its own record, which must show that order. */
async function orderAndReadBack(port: number, customerId: number, findings: Findings): Promise<PlacedOrder[]> {
  const orders = await FactoryConnection.open(port, 'factory 0');
  const reads = await FactoryConnection.open(port, 'factory 0');
  const placed: PlacedOrder[] = [];
  try {
    for (let orderNumber = 0; orderNumber < ORDERS_EACH; orderNumber++) {
      const order: PlacedOrder = { customerId, orderNumber, sentAt: performance.now() };
      placed.push(order);
      order.info = await orders.order(customerId, orderNumber);
      order.repliedAt = performance.now();
      const record = await reads.read(customerId);
      if (record.customerId !== customerId || record.lastOrder !== orderNumber) {
        findings.add('read-after-order', 'Expected a read right after an order was answered to return that order (the record is updated before the robot ships):',
          `customer ${customerId} read customer_id ${record.customerId}, last_order ${record.lastOrder} after order ${orderNumber} was answered`);
      }
    }
  } catch (error) {
    const last = placed.at(-1);
    if (last && !last.info) last.error = (error as Error).message; // reported with the replies
    else findings.add('read-failed', 'Expected factory 0 to answer every read:', `customer ${customerId}: ${(error as Error).message}`);
  } finally {
    orders.close();
    reads.close();
  }
  return placed;
}

export const logAndRecords: CheckDef = {
  id: 'lab2.A.log-and-records',
  part: 'A',
  title: 'One factory: orders logged, committed and applied; reads see each customer\'s last order',
  points: 3,
  tags: [],
  faults: [],
  timeoutMs: 60_000,
  run,
};
