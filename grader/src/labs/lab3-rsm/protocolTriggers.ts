/**
 * Faults fired on protocol events seen on the links rather than at random times: the moment a
 * given `replicate` reaches a replica, the grader kills a replica, or freezes the master's link to
 * the last replica and kills the master once the first one acknowledged. The same moment, every run.
 */
import type { CheckContext } from '../../check/checkContext.ts';
import type { RsmCluster } from './rsmCluster.ts';
import type { Replicated, RsmTap } from './rsmTap.ts';
import { LockModel } from './lockModel.ts';
import { opText, shortClient } from './rsmWire.ts';

const ACK_BOUND_MS = 3000; // for the first replica to acknowledge the entry the master dies after

export interface Trigger {
  fired: Promise<void>;      // settles once the fault is in place (the victim has exited)
  hasFired: () => boolean;
}

export interface ReplicateEvent {
  from: number;              // the master
  to: number;                // the replica the entry reaches
  seq: number;               // the first seq at or after which the fault fires
}

const describe = (message: Replicated): string => `replicate #${message.seq} (${opText(message.op)} for client ${shortClient(message.client)}, clientSeq ${message.clientSeq})`;

/** Kills `victim` the moment the first replicate with seq ≥ `at.seq` reaches `at.to` from `at.from`, before it can answer. */
export function killOnReplicate(context: CheckContext, cluster: RsmCluster, tap: RsmTap, at: ReplicateEvent, victim: number): Trigger {
  let fired = false;
  const done = new Promise<void>((resolve, reject) => {
    const stop = tap.on((event) => {
      const { message } = event;
      if (fired || event.kind !== 'replicate' || message.from !== at.from || message.to !== at.to || message.seq < at.seq) return;
      fired = true;
      stop();
      cluster.kill(victim).then(() => {
        context.note(`Replica ${victim} was killed (SIGKILL) as ${describe(message)} reached replica ${at.to} from replica ${at.from}, before replica ${at.to} could answer it.`);
        resolve();
      }, reject);
    });
  });
  return { fired: done, hasFired: () => fired };
}

export interface MidReplicate {
  master: number;            // the master to kill
  first: number;             // the replica it replicates to first: it gets the entry
  last: number;              // the replica it replicates to next: it does not
  fromSeq: number;           // the entry is the first acquire at or after this seq that will be GRANTED
}

/**
 * Kills the master between two replicas: as an acquire that will be granted (seq ≥ `fromSeq`)
 * reaches `first`, the link master→`last` is frozen; once `first`'s acknowledgement is delivered
 * to the master, the master is killed. So `first` executed the entry, `last` did not, and the
 * client that sent it has no answer: it must retry, and the new master must not execute it twice.
 */
export function killMasterMidReplicate(context: CheckContext, cluster: RsmCluster, tap: RsmTap, at: MidReplicate): Trigger & { entry: () => Replicated | undefined } {
  const model = new LockModel();
  for (const message of tap.replicates) if (message.from === at.master && message.to === at.first) model.apply(message); // what crossed before
  let chosen: Replicated | undefined;
  let fired = false;
  const done = new Promise<void>((resolve, reject) => {
    const kill = (how: string): void => {
      if (fired || !chosen) return;
      fired = true;
      stop();
      clearTimeout(timer);
      const entry = chosen;
      cluster.kill(at.master).then(() => {
        context.note(`Replica ${at.master}, the master, was killed (SIGKILL) ${how} ${describe(entry)}, with its link to replica ${at.last} frozen since that entry reached replica ${at.first}: replica ${at.first} has it, replica ${at.last} does not, and the client has no answer.`);
        resolve();
      }, reject);
    };
    let timer: NodeJS.Timeout | undefined;
    const stop = tap.on((event) => {
      const { message } = event;
      if (message.from !== at.master || message.to !== at.first) return;
      if (event.kind === 'replicate-answer') {
        if (message === chosen) kill(`as replica ${at.first}'s answer reached it for`);
        return;
      }
      const result = model.apply(message);
      if (chosen || message.seq < at.fromSeq || result !== 'GRANTED') return;
      chosen = message;
      cluster.link(at.master, at.last).setPolicy({ mode: 'blackhole' });
      timer = setTimeout(() => kill(`${ACK_BOUND_MS / 1000} s after replica ${at.first} received (without answering)`), ACK_BOUND_MS);
    });
  });
  return { fired: done, hasFired: () => fired, entry: () => chosen };
}

/** Waits until the trigger fired or `work` ended without it; true when it fired. */
export async function firedOrEnded(trigger: Trigger, work: Promise<unknown>): Promise<boolean> {
  const ended = work.then(() => false, () => false);
  const fired = await Promise.race([trigger.fired.then(() => true), ended]);
  if (!fired && trigger.hasFired()) {
    await trigger.fired;
    return true;
  }
  return fired;
}
