/**
 * Part C: four factories and two crashes, each at a precise protocol event. While customers order
 * from factory 0, backup 3 is killed as an entry reaches it: the primary must skip it and keep
 * committing. Later the primary itself is killed as entry k reaches factory 1, so factory 1 holds
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
import { firedOrEnded, killWhen } from '../protocolTriggers.ts';
import { awaitNoPrimary } from '../failureDetection.ts';

const FIRST_CUSTOMERS = [0, 1, 2, 3];
const SECOND_CUSTOMERS = [10, 11, 12];
const FIRST_ORDERS_EACH = 12;
const SECOND_ORDERS_EACH = 5;
const BACKUP_DIES = { from: 0, to: 3, index: 8 };     // backup 3 dies as entry 8 reaches it
const PRIMARY_DIES = { from: 0, to: 1, index: 26 };   // the primary dies as entry 26 reaches factory 1

async function run(context: CheckContext): Promise<void> {
  const cluster = await FactoryCluster.start(context, 4);
  const tap = new ReplicationTap(context);
  const findings = new Findings();
  const backupKill = killWhen(context, cluster, tap, BACKUP_DIES, 3);
  const primaryKill = killWhen(context, cluster, tap, PRIMARY_DIES, 0);
  const burst = placeOrders({ port: cluster.port(0), label: 'factory 0', customers: FIRST_CUSTOMERS, ordersEach: FIRST_ORDERS_EACH });
  const killed = await firedOrEnded(primaryKill, burst);
  const first = await burst;
  if (!killed) {
    explainNoPrimaryKill(first, backupKill.hasFired(), findings);
    findings.throwIfAny();
    return;
  }
  await awaitNoPrimary(cluster, [1, 2], findings);
  // Factory 1 stored entry 26, factory 2 did not; the new primary commits it (handout, "Replication", step 1).
  await auditStatus(cluster.port(1), 'factory 1', { primaryId: -1, lastIndex: PRIMARY_DIES.index, committedIndex: PRIMARY_DIES.index - 1 }, findings, 'after the primary died');
  await auditStatus(cluster.port(2), 'factory 2', { primaryId: -1, lastIndex: PRIMARY_DIES.index - 1, committedIndex: PRIMARY_DIES.index - 2 }, findings, 'after the primary died');
  findings.throwIfAny();

  // What factory 1 holds is known exactly from the wire; every answered order must be in it.
  const inherited = replayLog(tap.logSent(0, 1, PRIMARY_DIES.index), findings);
  auditNoneLost(first, inherited, findings);
  findings.throwIfAny();

  const second = await placeOrders({ port: cluster.port(1), label: 'factory 1', customers: SECOND_CUSTOMERS, ordersEach: SECOND_ORDERS_EACH });
  auditReplies(second, 1, findings);
  const book = new Map([...inherited, ...bookOf(second)]);
  await auditSettled(cluster, tap, {
    primary: 1, backups: [2], lastIndex: PRIMARY_DIES.index + second.length, book, customerIds: [...FIRST_CUSTOMERS, ...SECOND_CUSTOMERS],
  }, findings, `after ${second.length} orders to factory 1, the new primary (every order answered by factory 0 must be there, and entry ${PRIMARY_DIES.index}, which factory 1 held when factory 0 died)`);
  context.note(`${answered(first).length} orders answered by factory 0 before it died, then ${second.length} by factory 1.`);
  findings.throwIfAny();
}

/** The primary never reached entry 26: say why, from what the customers saw. */
function explainNoPrimaryKill(first: readonly PlacedOrder[], backupKilled: boolean, findings: Findings): void {
  const stuck = first.filter((order) => !order.info);
  const when = backupKilled ? ' after backup 3 was killed' : '';
  findings.add('stalled', `Expected factory 0 to keep committing orders${when} (handout, "Failures": a failed backup never stops commits), until entry ${PRIMARY_DIES.index}:`,
    `${answered(first).length} orders were answered; ${stuck.map((order) => `customer ${order.customerId}'s order ${order.orderNumber}: ${order.error ?? 'no reply'}`).slice(0, 2).join('; ') || 'no order failed, but entry 26 never reached factory 1'}`);
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
