/**
 * The invariants lab 2's checks hold servers to, each reporting into Findings: replies that echo
 * the order, records equal to what the committed log implies, and the status the protocol
 * prescribes (handout, "Replication").
 */
import type { Findings } from '../../check/findings.ts';
import { describeOp, type MapOp, type Status } from './factoryWire.ts';
import type { FactoryCluster } from './factoryCluster.ts';
import type { ReplicationTap } from './replicationTap.ts';
import { readRecords, readStatus, type PlacedOrder } from './factoryWorkload.ts';

/** customer id → the order number its record must hold. */
export type RecordBook = Map<number, number>;

/** The records implied by answered orders: each customer orders 0, 1, 2 … one at a time, so its record is its last answered order. */
export function bookOf(orders: readonly PlacedOrder[]): RecordBook {
  const book: RecordBook = new Map();
  for (const order of orders) {
    if (order.info && order.orderNumber >= (book.get(order.customerId) ?? -1)) book.set(order.customerId, order.orderNumber);
  }
  return book;
}

/** The records of a backup, which has stored the newest entry `op` but not applied it: that customer's previous order. */
export function beforeEntry(book: RecordBook, op: MapOp): RecordBook {
  const previous = new Map(book);
  if (op.orderNumber > 0) previous.set(op.customerId, op.orderNumber - 1);
  else previous.delete(op.customerId);
  return previous;
}

/** Replays entries 0 … n (as a backup was sent them) into records; reports entries that never arrived. */
export function replayLog(log: readonly (MapOp | undefined)[], findings: Findings): RecordBook {
  const book: RecordBook = new Map();
  log.forEach((op, index) => {
    if (op) book.set(op.customerId, op.orderNumber);
    else findings.add('log-gap', 'Expected the primary to send every log entry, in index order, to each live backup:', `entry ${index} never reached the backup`);
  });
  return book;
}

/** Every answered order is in the records that a log implies: nothing a customer was told is done may be lost. */
export function auditNoneLost(orders: readonly PlacedOrder[], book: RecordBook, findings: Findings): void {
  for (const order of orders) {
    if (order.info && order.orderNumber > (book.get(order.customerId) ?? -1)) {
      findings.add('lost', 'Expected every answered order to be in the log the backups received before the primary died (an answer means every live backup stored it):',
        `order ${order.orderNumber} of customer ${order.customerId} was answered, but the backup's log ends that customer at ${book.get(order.customerId) ?? 'no order'}`);
    }
  }
}

/** Every order got a reply that repeats it and names the factory that served it. */
export function auditReplies(orders: readonly PlacedOrder[], factoryId: number, findings: Findings): void {
  for (const order of orders) {
    const what = `order ${order.orderNumber} of customer ${order.customerId}`;
    if (!order.info) {
      findings.add('unanswered', `Expected every order to be answered (handout, "Customer connections"); these were not:`, `${what}: ${order.error ?? 'no reply'}`);
      continue;
    }
    const info = order.info;
    if (info.customerId !== order.customerId || info.orderNumber !== order.orderNumber || info.requestType !== 1 || info.adminId !== factoryId) {
      findings.add('robot-info', `Expected each RobotInfo to repeat customer_id, order_number and request_type 1, with admin_id = the factory's ID (${factoryId}):`,
        `${what} got customer_id ${info.customerId}, order_number ${info.orderNumber}, request_type ${info.requestType}, admin_id ${info.adminId}`);
    }
  }
}

/** Reads every customer of `customerIds` (plus one that never ordered) and compares with the book. */
export async function auditRecords(port: number, label: string, expected: RecordBook, customerIds: readonly number[], findings: Findings, why: string): Promise<void> {
  const neverOrdered = Math.max(...customerIds, 0) + 1000;
  const actual = await readRecords(port, label, [...customerIds, neverOrdered]);
  for (const [customerId, record] of actual) {
    const want = expected.get(customerId);
    const wantText = want === undefined ? 'no record (-1 -1)' : `last_order ${want}`;
    const got = record.customerId === -1 ? 'no record (-1 -1)' : `customer_id ${record.customerId}, last_order ${record.lastOrder}`;
    const ok = want === undefined ? record.customerId === -1 && record.lastOrder === -1 : record.customerId === customerId && record.lastOrder === want;
    if (!ok) findings.add(`records:${label}`, `Expected the records of ${label} to be ${why}:`, `customer ${customerId}: expected ${wantText}, read ${got}`);
  }
}

/** Compares a server's status with what the protocol prescribes at this point. */
export async function auditStatus(port: number, label: string, expected: Omit<Status, 'factoryId'>, findings: Findings, when: string): Promise<Status> {
  const status = await readStatus(port, label);
  const fields = ['primaryId', 'lastIndex', 'committedIndex'] as const;
  const wrong = fields.filter((field) => status[field] !== expected[field]);
  if (wrong.length > 0) {
    const show = (s: Omit<Status, 'factoryId'>): string => `primary_id ${s.primaryId}, last_index ${s.lastIndex}, committed_index ${s.committedIndex}`;
    findings.add(`status:${label}:${when}`, `Expected the status of ${label} ${when} to be ${show(expected)} (handout, "Replication"):`, `it reported ${show(status)}`);
  }
  return status;
}


export interface SettledCluster {
  primary: number;                  // the factory that took the last orders
  backups: readonly number[];       // the live backups
  lastIndex: number;                // the index of the newest entry
  book: RecordBook;                 // the records the primary must hold
  customerIds: readonly number[];   // every customer that ever ordered
}

/**
 * After a burst of orders has been answered: the primary has committed everything, each live
 * backup holds the newest entry without having applied it (handout, "Replication").
 */
export async function auditSettled(cluster: FactoryCluster, tap: ReplicationTap, state: SettledCluster, findings: Findings, when: string): Promise<void> {
  const { primary, lastIndex: last } = state;
  await auditStatus(cluster.port(primary), `factory ${primary}`, { primaryId: primary, lastIndex: last, committedIndex: last }, findings, when);
  await auditRecords(cluster.port(primary), `factory ${primary}`, state.book, state.customerIds, findings, `every order it committed (the primary, ${when})`);
  const newest = tap.entryFrom(primary, last);
  if (state.backups.length > 0 && !newest) {
    findings.add('newest-not-sent', 'Expected the primary to send every new entry to its live backups:', `factory ${primary} never sent entry ${last} to a backup`);
    return;
  }
  for (const backup of state.backups) {
    await auditStatus(cluster.port(backup), `factory ${backup}`, { primaryId: primary, lastIndex: last, committedIndex: last - 1 }, findings, when);
    if (newest) {
      await auditRecords(cluster.port(backup), `factory ${backup}`, beforeEntry(state.book, newest), state.customerIds, findings,
        `the primary's without entry ${last} (${describeOp(newest)}), which a backup stores but may apply only once it learns the entry is committed (a backup, ${when})`);
    }
  }
}
