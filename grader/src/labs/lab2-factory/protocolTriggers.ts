/**
 * Faults fired on protocol events rather than at random times: the moment log entry `index` is
 * delivered from one factory to another, the grader freezes that link (the primary is then stuck
 * mid-round) or kills a factory. The same seed, the same moment, every run.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { CheckContext } from '../../check/checkContext.ts';
import type { FactoryCluster } from './factoryCluster.ts';
import { opOf, type MapOp } from './factoryWire.ts';
import type { ReplicationTap } from './replicationTap.ts';
import { readStatus } from './factoryWorkload.ts';

const STORE_BOUND_MS = 5000;   // for a backup to store an entry that has reached it
const POLL_MS = 20;

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

/**
 * Kills the primary `at.from` mid-round: as entry `at.index` reaches backup `at.to`, the link is
 * frozen, so the backup's reply is held and the primary can send nothing further; once the backup
 * reports (Status) that it stored the entry, the primary is killed. Waiting for the backup matters:
 * a connection reset can destroy bytes a busy backup had not read yet.
 */
export function killPrimaryMidRound(context: CheckContext, cluster: FactoryCluster, tap: ReplicationTap, at: EntryEvent): Trigger {
  return onEntry(tap, at, async () => {
    cluster.link(at.from, at.to).setPolicy({ mode: 'blackhole' });
    const stored = await awaitLastIndex(cluster, at.to, at.index);
    await cluster.kill(at.from);
    context.note(`Factory ${at.from}, the primary, was killed (SIGKILL) once factory ${at.to} had ${stored ? 'stored' : 'received (but, after 5 s, not reported storing)'} log entry ${at.index}, before the primary could hear its reply or send the entry further.`);
  });
}

async function awaitLastIndex(cluster: FactoryCluster, factory: number, index: number): Promise<boolean> {
  const deadline = performance.now() + STORE_BOUND_MS;
  while (performance.now() < deadline) {
    if ((await readStatus(cluster.port(factory), `factory ${factory}`)).lastIndex >= index) return true;
    await delay(POLL_MS);
  }
  return false;
}

/** Waits until the trigger fired (its entry's MapOp) or `work` ended without it (undefined). */
export async function firedOrEnded(trigger: Trigger, work: Promise<unknown>): Promise<MapOp | undefined> {
  const ended = work.then(() => undefined, () => undefined);
  const op = await Promise.race([trigger.fired, ended]);
  if (op === undefined && trigger.hasFired()) return trigger.fired; // it fired as the work ended
  return op;
}
