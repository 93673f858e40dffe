/**
 * Part C, the hard case: while the testers run, the master (replica 0) is killed between its two
 * replicas. As an acquire that will be granted (seq ≥ 60) reaches replica 1, the grader freezes
 * the link 0→2; once replica 1's acknowledgement reaches replica 0, replica 0 is killed. Replica 1
 * has the entry, replica 2 does not, and the client has no answer: the testers must fail over and
 * finish, the retried acquire must not be executed twice, and replicas 1 and 2 must end equal.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { killMasterMidReplicate } from '../protocolTriggers.ts';
import { runWithFault } from './faultDuringTesters.ts';

const MASTER_DIES = { master: 0, first: 1, last: 2, fromSeq: 60 };

function run(context: CheckContext): Promise<void> {
  return runWithFault(context, {
    arm: (armed, cluster, tap) => killMasterMidReplicate(armed, cluster, tap, MASTER_DIES),
    missed: `Expected replica 0, the master, to replicate to replica 1 a granted acquire at seq ${MASTER_DIES.fromSeq} or later while the testers ran, so that it could be killed then:`,
  });
}

export const masterKilled: CheckDef = {
  id: 'lab3.C.master-killed',
  part: 'C',
  title: 'The master is killed after replica 1 acknowledged a request and before replica 2 got it: testers fail over, replicas end equal',
  points: 40,
  tags: [],
  faults: ['kill', 'partition'],
  timeoutMs: 120_000,
  run,
};
