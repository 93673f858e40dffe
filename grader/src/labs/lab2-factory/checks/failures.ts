/**
 * Part C: four factories and two crashes, each at a precise protocol event. While customers order
 * from factory 0, backup 3 is killed as an entry reaches it: the primary must skip it and answer
 * every order. In a second burst the primary itself is killed as entry k reaches factory 1, so factory 1 holds
 * entry k and factory 2 does not: the backups must notice (primary_id −1), the customers of the
 * dead primary end, and orders sent to factory 1 make it the primary, with factory 2 brought up to
 * date. No answered order may be lost.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { FactoryCluster } from '../factoryCluster.ts';
import { ReplicationTap } from '../replicationTap.ts';
import { answered, placeOrders, type PlacedOrder } from '../factoryWorkload.ts';
import { auditNoneLost, auditReplies, auditSettled, auditStatus, bookOf, replayLog } from '../factoryAudit.ts';
import { firedOrEnded, killPrimaryMidRound, killWhen } from '../protocolTriggers.ts';
import { awaitNoPrimary } from '../failureDetection.ts';

const FIRST_CUSTOMERS = [0, 1, 2, 3];     // order from factory 0 while backup 3 dies
const SECOND_CUSTOMERS = [4, 5, 6];       // order from factory 0 until it dies
const LAST_CUSTOMERS = [10, 11, 12];      // order from factory 1, the new primary
const ORDERS_EACH = 8;
const BACKUP_DIES = { from: 0, to: 3, index: 8 };     // backup 3 dies as entry 8 reaches it
const PRIMARY_DIES = { from: 0, to: 1, index: 40 };   // the primary dies as entry 40 reaches factory 1

async function run(context: CheckContext): Promise<void> {
  const cluster = await FactoryCluster.start(context, 4);
  const tap = new ReplicationTap(context);
  const findings = new Findings();
  const backupKill = killWhen(context, cluster, tap, BACKUP_DIES, 3);
  const first = await placeOrders({ port: cluster.port(0), label: 'factory 0', customers: FIRST_CUSTOMERS, ordersEach: ORDERS_EACH });
  if (!backupKill.hasFired()) findings.add('no-kill', 'Expected factory 0 to replicate to factory 3 so that it could be killed mid-run:', `entry ${BACKUP_DIES.index} never reached factory 3`);
  auditReplies(first, 0, findings); // a failed backup never stops commits
  await auditSettled(cluster, tap, { primary: 0, backups: [1, 2], lastIndex: first.length - 1, book: bookOf(first), customerIds: FIRST_CUSTOMERS }, findings,
    `after ${first.length} orders, backup 3 dead`);
  findings.throwIfAny();

  const primaryKill = killPrimaryMidRound(context, cluster, tap, PRIMARY_DIES);
  const burst = placeOrders({ port: cluster.port(0), label: 'factory 0', customers: SECOND_CUSTOMERS, ordersEach: ORDERS_EACH });
  const killed = await firedOrEnded(primaryKill, burst);
  const second = await burst;
  if (!killed) {
    explainNoPrimaryKill(second, findings);
    findings.throwIfAny();
    return;
  }
  await awaitNoPrimary(cluster, [1, 2], findings);
  // Factory 1 stored entry 40, factory 2 did not; the new primary commits it (handout, "Replication", step 1).
  await auditStatus(cluster.port(1), 'factory 1', { primaryId: -1, lastIndex: PRIMARY_DIES.index, committedIndex: PRIMARY_DIES.index - 1 }, findings, 'after the primary died');
  await auditStatus(cluster.port(2), 'factory 2', { primaryId: -1, lastIndex: PRIMARY_DIES.index - 1, committedIndex: PRIMARY_DIES.index - 2 }, findings, 'after the primary died');
  // What factory 1 holds is known exactly from the wire; every answered order must be in it.
  const inherited = replayLog(tap.logSent(0, 1, PRIMARY_DIES.index), findings);
  auditNoneLost([...first, ...second], inherited, findings);
  findings.throwIfAny();

  const last = await placeOrders({ port: cluster.port(1), label: 'factory 1', customers: LAST_CUSTOMERS, ordersEach: ORDERS_EACH });
  auditReplies(last, 1, findings);
  const book = new Map([...inherited, ...bookOf(last)]);
  await auditSettled(cluster, tap, {
    primary: 1, backups: [2], lastIndex: PRIMARY_DIES.index + last.length, book, customerIds: [...FIRST_CUSTOMERS, ...SECOND_CUSTOMERS, ...LAST_CUSTOMERS],
  }, findings, `after ${last.length} orders to factory 1, the new primary (every order answered by factory 0 must be there, and entry ${PRIMARY_DIES.index}, which factory 1 held when factory 0 died)`);
  context.note(`${answered(first).length + answered(second).length} orders answered by factory 0 before it died, then ${last.length} by factory 1.`);
  findings.throwIfAny();
}

/** The primary never reached entry 40: say why, from what the customers saw. */
function explainNoPrimaryKill(second: readonly PlacedOrder[], findings: Findings): void {
  const failed = second.filter((order) => !order.info).map((order) => `customer ${order.customerId}'s order ${order.orderNumber}: ${order.error ?? 'no reply'}`);
  findings.add('stalled', `Expected factory 0 to keep replicating orders to factory 1 until entry ${PRIMARY_DIES.index}, its backup 3 being dead:`,
    `${answered(second).length} more orders were answered; ${failed.slice(0, 2).join('; ') || `entry ${PRIMARY_DIES.index} never reached factory 1`}`);
}

export const failures: CheckDef = {
  id: 'lab2.C.failures',
  part: 'C',
  title: 'Kill a backup, then the primary mid-round: commits go on, backups notice, a backup takes over, no answered order lost',
  points: 3,
  tags: [],
  faults: ['kill'],
  timeoutMs: 90_000,
  run,
};
