/**
 * The course of checks B and C: three replicas agree that replica 0 is master, the grader takes
 * its lock and probes NOT_MASTER, then the testers run with one fault armed to fire on a protocol
 * event; the verdict comes once they are done.
 */
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { RsmCluster } from '../rsmCluster.ts';
import { RsmTap } from '../rsmTap.ts';
import { probeNotMaster } from './noFailure.ts';
import { firedOrEnded, type Trigger } from '../protocolTriggers.ts';
import { awaitMaster, finish, runTesters, takeGraderLock, TESTERS } from '../scenario.ts';

export interface ArmedFault {
  arm: (context: CheckContext, cluster: RsmCluster, tap: RsmTap) => Trigger; // armed before the grader's own invoke
  missed: string;                                                              // what was expected, when the testers ended before it fired
}

export async function runWithFault(context: CheckContext, fault: ArmedFault): Promise<void> {
  const cluster = await RsmCluster.create(context, { replicas: 3, testers: TESTERS });
  const tap = new RsmTap(context);
  const findings = new Findings();
  await Promise.all([0, 1, 2].map((id) => cluster.startReplica(id)));
  await awaitMaster(cluster, [0, 1, 2], 0, findings);
  tap.watchForStalls();
  const trigger = fault.arm(context, cluster, tap);
  await takeGraderLock(cluster, 0, findings);
  await probeNotMaster(cluster, [1, 2], findings); // a second orderer would corrupt the fault's course at random
  const testers = runTesters(context, cluster);
  const fired = await firedOrEnded(trigger, Promise.all(testers.map((tester) => tester.proc.exited)));
  if (!fired && !findings.has('grader-invoke')) { // when even the grader's invoke failed, that says it all
    findings.add('no-kill', fault.missed, `the newest seq seen on any link was #${tap.newestSeq()}`);
  }
  await finish(context, cluster, tap, testers, findings);
  findings.throwIfAny();
}
