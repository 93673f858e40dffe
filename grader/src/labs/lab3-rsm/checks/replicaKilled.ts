/**
 * Part B: while the testers run, replica 2 (not the master) is killed the moment the master's
 * replicate #40 reaches it, before it can answer: the master must go on without it, and the
 * testers must finish as if nothing happened.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { RsmCluster } from '../rsmCluster.ts';
import { RsmTap } from '../rsmTap.ts';
import { probeNotMaster } from './noFailure.ts';
import { firedOrEnded, killOnReplicate } from '../protocolTriggers.ts';
import { awaitMaster, finish, runTesters, takeGraderLock, TESTERS } from '../scenario.ts';

const REPLICA_DIES = { from: 0, to: 2, seq: 40 }; // replica 2 dies as replicate #40 reaches it

async function run(context: CheckContext): Promise<void> {
  const cluster = await RsmCluster.create(context, { replicas: 3, testers: TESTERS });
  const tap = new RsmTap(context);
  const findings = new Findings();
  await Promise.all([0, 1, 2].map((id) => cluster.startReplica(id)));
  await awaitMaster(cluster, [0, 1, 2], 0, findings);
  const kill = killOnReplicate(context, cluster, tap, REPLICA_DIES, 2);
  await takeGraderLock(cluster, 0, findings);
  await probeNotMaster(cluster, [1, 2], findings); // a second orderer would corrupt the failover below at random
  const testers = runTesters(context, cluster);
  const killed = await firedOrEnded(kill, Promise.all(testers.map((tester) => tester.proc.exited)));
  if (!killed && !findings.has('grader-invoke')) { // when even the grader's invoke failed, that says it all
    findings.add('no-kill', `Expected replica 0, the master, to send replicate #${REPLICA_DIES.seq} to replica 2 while the testers ran, so that replica 2 could be killed then:`,
      `the newest seq seen on any link was #${tap.newestSeq()}`);
  }
  await finish(context, cluster, tap, testers, findings);
  findings.throwIfAny();
}

export const replicaKilled: CheckDef = {
  id: 'lab3.B.replica-killed',
  part: 'B',
  title: 'A replica that is not the master is killed as a replicate reaches it: the master goes on without it',
  points: 30,
  tags: [],
  faults: ['kill'],
  timeoutMs: 90_000,
  run,
};
