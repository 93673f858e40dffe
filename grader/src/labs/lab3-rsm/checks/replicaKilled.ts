/**
 * Part B: while the testers run, replica 2 (not the master) is killed the moment the master's
 * replicate #40 reaches it, before it can answer: the master must go on without it, and the
 * testers must finish as if nothing happened.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { killOnReplicate } from '../protocolTriggers.ts';
import { runWithFault } from './faultDuringTesters.ts';

const REPLICA_DIES = { from: 0, to: 2, seq: 40 }; // replica 2 dies as replicate #40 reaches it

function run(context: CheckContext): Promise<void> {
  return runWithFault(context, {
    arm: (armed, cluster, tap) => killOnReplicate(armed, cluster, tap, REPLICA_DIES, 2),
    missed: `Expected replica 0, the master, to send replicate #${REPLICA_DIES.seq} to replica 2 while the testers ran, so that replica 2 could be killed then:`,
  });
}

export const replicaKilled: CheckDef = {
  id: 'lab3.B.replica-killed',
  part: 'B',
  title: 'A replica that is not the master is killed as a replicate reaches it: the master goes on without it',
  points: 30,
  tags: [],
  faults: ['kill'],
  timeoutMs: 120_000,
  run,
};
