/**
 * Part B: three factories, no failures. Customers order from factory 0 while the grader watches
 * every replication message. Once, mid-round, it holds a backup's reply: the primary must not yet
 * have applied that entry or answered its order, and the backup must not have applied it either.
 * Then the orders move to factory 1, which becomes the primary. After each burst, statuses and
 * records must be exactly what the protocol prescribes, on every factory.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { FactoryCluster } from '../factoryCluster.ts';
import { ReplicationTap } from '../replicationTap.ts';
import { placeOrders } from '../factoryWorkload.ts';
import { auditReplies, auditSettled, bookOf } from '../factoryAudit.ts';
import { firedOrEnded, holdReplyOf, release } from '../protocolTriggers.ts';
import { auditMidRound } from '../midRound.ts';

const FIRST_CUSTOMERS = [0, 1, 2, 3];
const SECOND_CUSTOMERS = [10, 11, 12];
const ORDERS_EACH = 6;
const HELD = { from: 0, to: 1, index: 9 };   // entry 9's trip to factory 1 is held mid-round

async function run(context: CheckContext): Promise<void> {
  const cluster = await FactoryCluster.start(context, 3);
  const tap = new ReplicationTap(context);
  const findings = new Findings();

  const hold = holdReplyOf(cluster, tap, HELD);
  const answered = new Set<string>();
  const burst = placeOrders({
    port: cluster.port(0), label: 'factory 0', customers: FIRST_CUSTOMERS, ordersEach: ORDERS_EACH,
    onReply: (order) => answered.add(`${order.customerId}:${order.orderNumber}`),
  });
  const op = await firedOrEnded(hold, burst);
  if (!op) {
    auditReplies(await burst, 0, findings);
    findings.add('not-replicated', 'Expected factory 0, once it receives orders, to replicate each entry to factory 1 through the peer address on its command line:', `entry ${HELD.index} never reached factory 1`);
    findings.throwIfAny();
    return;
  }
  await auditMidRound(cluster, { held: HELD, op, answered: (entry) => answered.has(`${entry.customerId}:${entry.orderNumber}`) }, findings);
  release(cluster, HELD);
  const first = await burst;
  auditReplies(first, 0, findings);
  const firstLast = first.length - 1;
  await auditSettled(cluster, tap, { primary: 0, backups: [1, 2], lastIndex: firstLast, book: bookOf(first), customerIds: FIRST_CUSTOMERS }, findings, `after ${first.length} orders to factory 0`);
  findings.throwIfAny();

  const second = await placeOrders({ port: cluster.port(1), label: 'factory 1', customers: SECOND_CUSTOMERS, ordersEach: ORDERS_EACH });
  auditReplies(second, 1, findings);
  const all = [...first, ...second];
  await auditSettled(cluster, tap, { primary: 1, backups: [0, 2], lastIndex: all.length - 1, book: bookOf(all), customerIds: [...FIRST_CUSTOMERS, ...SECOND_CUSTOMERS] }, findings,
    `after ${second.length} more orders to factory 1, which made it the primary`);
  context.note(`${first.length} orders to factory 0, then ${second.length} to factory 1; entry ${HELD.index}'s reply from factory 1 was held mid-round.`);
  findings.throwIfAny();
}

export const replication: CheckDef = {
  id: 'lab2.B.replication',
  part: 'B',
  title: 'Three factories, no failure: replicate before commit, backups one entry behind, switch the primary',
  points: 3,
  tags: [],
  faults: ['delay'],
  timeoutMs: 90_000,
  run,
};
