/**
 * Part C, the hard case: while the testers run, the master (replica 0) is killed between its two
 * replicas. As an acquire that will be granted (seq ≥ 60) reaches replica 1, the grader freezes
 * the link 0→2; once replica 1's acknowledgement reaches replica 0, replica 0 is killed. Replica 1
 * has the entry, replica 2 does not, and the client has no answer: the testers must fail over and
 * finish, the retried acquire must not be executed twice, and replicas 1 and 2 must end equal.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { RsmCluster } from '../rsmCluster.ts';
import { RsmTap } from '../rsmTap.ts';
import { probeNotMaster } from './noFailure.ts';
import { firedOrEnded, killMasterMidReplicate } from '../protocolTriggers.ts';
import { awaitMaster, finish, runTesters, takeGraderLock, TESTERS } from '../scenario.ts';

const MASTER_DIES = { master: 0, first: 1, last: 2, fromSeq: 60 };

async function run(context: CheckContext): Promise<void> {
  const cluster = await RsmCluster.create(context, { replicas: 3, testers: TESTERS });
  const tap = new RsmTap(context);
  const findings = new Findings();
  await Promise.all([0, 1, 2].map((id) => cluster.startReplica(id)));
  await awaitMaster(cluster, [0, 1, 2], 0, findings);
  const kill = killMasterMidReplicate(context, cluster, tap, MASTER_DIES);
  await takeGraderLock(cluster, 0, findings);
  await probeNotMaster(cluster, [1, 2], findings); // a second orderer would corrupt the failover below at random
  const testers = runTesters(context, cluster);
  const killed = await firedOrEnded(kill, Promise.all(testers.map((tester) => tester.proc.exited)));
  if (!killed && !findings.has('grader-invoke')) { // when even the grader's invoke failed, that says it all
    findings.add('no-kill', `Expected replica 0, the master, to replicate to replica 1 a granted acquire at seq ${MASTER_DIES.fromSeq} or later while the testers ran, so that it could be killed then:`,
      `the newest seq seen on any link was #${tap.newestSeq()}`);
  }
  await finish(context, cluster, tap, testers, findings);
  findings.throwIfAny();
}

export const masterKilled: CheckDef = {
  id: 'lab3.C.master-killed',
  part: 'C',
  title: 'The master is killed after replica 1 acknowledged a request and before replica 2 got it: testers fail over, replicas end equal',
  points: 40,
  tags: [],
  faults: ['kill', 'partition'],
  timeoutMs: 90_000,
  run,
};
