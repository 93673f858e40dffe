/**
 * What must hold while a primary is stuck mid-round, waiting for a backup's reply to entry k:
 * nobody has applied entry k yet, and its customer has not been answered (handout, "Replication").
 */
import type { Findings } from '../../check/findings.ts';
import { CheckFailure } from '../../check/checkFailure.ts';
import type { FactoryCluster } from './factoryCluster.ts';
import { describeOp, type MapOp } from './factoryWire.ts';
import type { EntryEvent } from './protocolTriggers.ts';
import { readRecords } from './factoryWorkload.ts';

export interface MidRound {
  held: EntryEvent;                     // the entry whose backup reply is being held
  op: MapOp;                            // that entry's MapOp
  answered: (op: MapOp) => boolean;     // whether the customer has had its reply yet
}

export async function auditMidRound(cluster: FactoryCluster, round: MidRound, findings: Findings): Promise<void> {
  const { held, op } = round;
  const entry = `entry ${held.index} (${describeOp(op)})`;
  const before = op.orderNumber > 0 ? `last_order ${op.orderNumber - 1}` : 'no record';
  for (const [factory, role] of [[held.from, 'primary'], [held.to, 'backup']] as const) {
    const shown = await readHeld(cluster, factory, op.customerId);
    if (shown === op.orderNumber) {
      findings.add(`early-apply:${role}`, role === 'primary'
        ? `Expected the primary to apply an entry only after every live backup stored it (handout, "Replication", step 4); while factory ${held.to} had not yet replied for ${entry}:`
        : `Expected a backup to apply an entry only once a later request says it is committed (handout, "Primary admin connections", step 3); after storing ${entry}:`,
      `a read of customer ${op.customerId} from factory ${factory} returned last_order ${op.orderNumber} instead of ${before}`);
    }
  }
  if (round.answered(op)) {
    findings.add('early-reply', 'Expected an order to be answered only after every live backup has replied for its entry:',
      `factory ${held.from} answered order ${op.orderNumber} of customer ${op.customerId} while factory ${held.to}'s reply for ${entry} was still held`);
  }
}

async function readHeld(cluster: FactoryCluster, factory: number, customerId: number): Promise<number | undefined> {
  try {
    const records = await readRecords(cluster.port(factory), `factory ${factory}`, [customerId]);
    return records.get(customerId)?.lastOrder;
  } catch (error) {
    throw new CheckFailure(`Expected factory ${factory} to answer a read at once, even while its admin waits for a backup (handout, "Customer connections": a read never waits for replication). ${(error as Error).message}`);
  }
}
