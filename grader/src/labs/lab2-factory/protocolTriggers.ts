/**
 * Faults fired on protocol events rather than at random times: the moment log entry `index` is
 * delivered from one factory to another, the grader freezes that link (the primary is then stuck
 * mid-round) or kills a factory. The same seed, the same moment, every run.
 */
import type { CheckContext } from '../../check/checkContext.ts';
import type { FactoryCluster } from './factoryCluster.ts';
import { opOf, type MapOp } from './factoryWire.ts';
import type { ReplicationTap } from './replicationTap.ts';

export interface EntryEvent {
  from: number;         // the primary that sent the entry
  to: number;           // the backup it reached
  index: number;        // its log index
}

export interface Trigger {
  fired: Promise<MapOp>;     // resolves with the entry's MapOp once the fault is in place
  hasFired: () => boolean;
}

/** Runs `fault` synchronously, inside the delivery event, the first time entry `at.index` reaches `at.to` from `at.from`. */
function onEntry(tap: ReplicationTap, at: EntryEvent, fault: () => Promise<void> | void): Trigger {
  let fired = false;
  const done = new Promise<MapOp>((resolve, reject) => {
    const stop = tap.onRequest((delivered) => {
      if (fired || delivered.from !== at.from || delivered.to !== at.to || delivered.message.lastIndex !== at.index) return;
      fired = true;
      stop();
      Promise.resolve(fault()).then(() => resolve(opOf(delivered.message)), reject);
    });
  });
  return { fired: done, hasFired: () => fired };
}

/** Freezes the link `from→to` as entry `index` reaches the backup: its reply is held, so the primary waits mid-round. */
export function holdReplyOf(cluster: FactoryCluster, tap: ReplicationTap, at: EntryEvent): Trigger {
  return onEntry(tap, at, () => cluster.link(at.from, at.to).setPolicy({ mode: 'blackhole' }));
}

export function release(cluster: FactoryCluster, at: EntryEvent): void {
  cluster.link(at.from, at.to).setPolicy({ mode: 'pass' });
}

/** Kills `victim` as entry `index` reaches `at.to`, before any reply to it can cross. */
export function killWhen(context: CheckContext, cluster: FactoryCluster, tap: ReplicationTap, at: EntryEvent, victim: number): Trigger {
  return onEntry(tap, at, async () => {
    await cluster.kill(victim);
    context.note(`Factory ${victim} was killed (SIGKILL) as log entry ${at.index} reached factory ${at.to} from factory ${at.from}, before factory ${at.to} could reply.`);
  });
}

/** Waits until the trigger fired (its entry's MapOp) or `work` ended without it (undefined). */
export async function firedOrEnded(trigger: Trigger, work: Promise<unknown>): Promise<MapOp | undefined> {
  const ended = work.then(() => undefined, () => undefined);
  const op = await Promise.race([trigger.fired, ended]);
  if (op === undefined && trigger.hasFired()) return trigger.fired; // it fired as the work ended
  return op;
}
