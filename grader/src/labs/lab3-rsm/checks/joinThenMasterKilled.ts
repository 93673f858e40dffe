/**
 * Part D (bonus): replicas 0 and 1 start; replica 2 is started with --join, its links to the others
 * frozen, as the testers start. As replicate #40 reaches replica 1 its links pass again, so its
 * `members` and `join` requests get through only then (or as soon as it is up, if later). Once it has
 * joined (it prints its port), the master is killed between its two replicas as in part C, at a
 * granted acquire 40 seqs past the join. The joined replica must hold everything executed before
 * it joined (the grader's own lock among it) and end equal to replica 1.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { RsmCluster } from '../rsmCluster.ts';
import { RsmTap } from '../rsmTap.ts';
import { probeNotMaster } from './noFailure.ts';
import { firedOrEnded, killMasterMidReplicate } from '../protocolTriggers.ts';
import { awaitMaster, finish, runTesters, takeGraderLock, TESTERS } from '../scenario.ts';

const JOIN_AT = { from: 0, to: 1, seq: 40 };   // replica 2's requests get through as this replicate reaches replica 1
const ROUNDS = 40;                              // twice the usual: the join and the kill both come while the testers run
const KILL_AFTER_JOIN = 40;                     // the master dies at a granted acquire this many seqs past the join

async function run(context: CheckContext): Promise<void> {
  const cluster = await RsmCluster.create(context, { replicas: 3, testers: TESTERS });
  const tap = new RsmTap(context);
  const findings = new Findings();
  await Promise.all([0, 1].map((id) => cluster.startReplica(id)));
  await awaitMaster(cluster, [0, 1], 0, findings);
  tap.watchForStalls();
  await takeGraderLock(cluster, 0, findings);
  await probeNotMaster(cluster, [1], findings); // a second orderer would corrupt the failover below at random
  const joinerLinks = [cluster.link(2, 0), cluster.link(2, 1)];
  for (const link of joinerLinks) link.setPolicy({ mode: 'blackhole' });
  const joined = cluster.startJoiner(2).then(() => true, (error: unknown) => {
    findings.add('join-failed', 'Expected replica 2, started with --join while the testers ran, to join and print `Listening on port N ...` (handout, "Join (part D)"):', (error as Error).message);
    return false;
  });
  const testers = runTesters(context, cluster, ROUNDS);
  const testersDone = Promise.all(testers.map((tester) => tester.proc.exited));
  const joinSeq = await reached(tap, JOIN_AT, testersDone);
  for (const link of joinerLinks) link.setPolicy({ mode: 'pass' });
  if (joinSeq === undefined) {
    if (!findings.has('grader-invoke')) findings.add('no-join', `Expected replica 0, the master, to replicate #${JOIN_AT.seq} to replica 1 while the testers ran, so that replica 2 could join then:`, `the newest seq seen on any link was #${tap.newestSeq()}`);
  } else if (await joined) {
    const fromSeq = tap.newestSeq() + KILL_AFTER_JOIN;
    context.note(`Replica 2, started with --join, could reach the others from the moment replicate #${joinSeq} reached replica 1; it printed its port when the newest seq on the links was #${tap.newestSeq()}.`);
    const kill = killMasterMidReplicate(context, cluster, tap, { master: 0, first: 1, last: 2, fromSeq });
    if (!(await firedOrEnded(kill, testersDone))) {
      findings.add('no-kill', `Expected replica 0, the master, to replicate to replica 1 a granted acquire at seq ${fromSeq} or later while the testers ran, so that it could be killed then:`, `the newest seq seen on any link was #${tap.newestSeq()}`);
    }
  }
  await finish(context, cluster, tap, testers, findings);
  findings.throwIfAny();
}

/** Resolves with the seq of the first replicate at or past `at.seq` delivered on `at.from→at.to`, or undefined if `work` ends first. */
function reached(tap: RsmTap, at: { from: number; to: number; seq: number }, work: Promise<unknown>): Promise<number | undefined> {
  return new Promise((resolve) => {
    const stop = tap.on((event) => {
      if (event.kind !== 'replicate' || event.message.from !== at.from || event.message.to !== at.to || event.message.seq < at.seq) return;
      stop();
      resolve(event.message.seq);
    });
    void work.then(() => {
      stop();
      resolve(undefined);
    });
  });
}

export const joinThenMasterKilled: CheckDef = {
  id: 'lab3.D.join-then-master-killed',
  part: 'D',
  title: 'A replica joins while the testers run, then the master is killed: the joined replica ends equal to the others',
  points: 20,
  tags: ['bonus'],
  faults: ['kill', 'partition'],
  timeoutMs: 150_000,
  run,
};
