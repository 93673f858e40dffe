/**
 * Part D (bonus): backup 2 is killed as an entry reaches it; factory 0 goes on with factory 1.
 * Then factory 2 is restarted with its original arguments, empty, and more orders arrive. Before
 * anything new, the primary must send it every entry it missed, from index 0 up, and it must end
 * exactly like the other backup.
 */
import { performance } from 'node:perf_hooks';
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { FactoryCluster } from '../factoryCluster.ts';
import { ReplicationTap } from '../replicationTap.ts';
import { placeOrders } from '../factoryWorkload.ts';
import { auditReplies, auditSettled, bookOf } from '../factoryAudit.ts';
import { killWhen } from '../protocolTriggers.ts';

const FIRST_CUSTOMERS = [0, 1, 2];
const SECOND_CUSTOMERS = [10, 11];
const ORDERS_EACH = 6;
const BACKUP_DIES = { from: 0, to: 2, index: 5 };

async function run(context: CheckContext): Promise<void> {
  const cluster = await FactoryCluster.start(context, 3);
  const tap = new ReplicationTap(context);
  const findings = new Findings();
  const kill = killWhen(context, cluster, tap, BACKUP_DIES, 2);
  const first = await placeOrders({ port: cluster.port(0), label: 'factory 0', customers: FIRST_CUSTOMERS, ordersEach: ORDERS_EACH });
  auditReplies(first, 0, findings);
  if (!kill.hasFired()) findings.add('no-kill', 'Expected factory 0 to replicate to factory 2 so that it could be killed mid-run:', `entry ${BACKUP_DIES.index} never reached factory 2`);
  const missed = first.length - 1;   // the restarted factory must receive entries 0 … missed first
  await auditSettled(cluster, tap, { primary: 0, backups: [1], lastIndex: missed, book: bookOf(first), customerIds: FIRST_CUSTOMERS }, findings, `after ${first.length} orders, factory 2 dead`);
  findings.throwIfAny();

  await kill.fired; // its process has exited
  const restartedAt = performance.now();
  await cluster.restart(2);
  context.note(`Factory 2 was restarted with its original arguments (\`server ${cluster.factory(2).args.join(' ')}\`) after ${first.length} orders.`);
  const second = await placeOrders({ port: cluster.port(0), label: 'factory 0', customers: SECOND_CUSTOMERS, ordersEach: ORDERS_EACH });
  auditReplies(second, 0, findings);
  auditCatchUp(tap, restartedAt, missed, findings);
  const all = [...first, ...second];
  await auditSettled(cluster, tap, { primary: 0, backups: [1, 2], lastIndex: all.length - 1, book: bookOf(all), customerIds: [...FIRST_CUSTOMERS, ...SECOND_CUSTOMERS] }, findings,
    `after ${second.length} more orders, factory 2 restarted`);
  findings.throwIfAny();
}

/** Before the first new entry reached the restarted factory, every entry 0 … missed had. */
function auditCatchUp(tap: ReplicationTap, restartedAt: number, missed: number, findings: Findings): void {
  const sent = tap.requestsTo(2, restartedAt).map((delivered) => delivered.message.lastIndex);
  const firstNew = sent.findIndex((index) => index > missed);
  const before = new Set(firstNew === -1 ? sent : sent.slice(0, firstNew));
  const lacking = [...Array(missed + 1).keys()].filter((index) => !before.has(index));
  if (sent.length === 0) {
    findings.add('no-reconnect', 'Expected the primary to try the failed backup again with each new order and, once it answers, to bring it up to date (handout, "Rejoin"):',
      'after factory 2 restarted, no replication request reached it');
  } else if (lacking.length > 0) {
    findings.add('no-catch-up', `Expected the restarted factory 2 to receive every entry 0 … ${missed} before any new entry (handout, "Bringing a backup up to date"):`,
      `before entry ${missed + 1} it lacked entries ${lacking.slice(0, 8).join(', ')}${lacking.length > 8 ? ', …' : ''}`);
  }
}

export const rejoin: CheckDef = {
  id: 'lab2.D.rejoin',
  part: 'D',
  title: 'A killed backup restarted with its arguments receives the missed log first, then ends like the other backup',
  points: 2,
  tags: ['bonus'],
  faults: ['kill', 'restart'],
  timeoutMs: 90_000,
  run,
};
