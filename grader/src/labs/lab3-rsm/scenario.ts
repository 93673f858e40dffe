/**
 * What every lab 3 check does around its own faults: the testers it runs, the grader's own lock
 * (taken through the master at the start and never released, so that the final state is never
 * empty and a replica that joined must have received it), and the verdict at the end: progress,
 * mutual exclusion, at most once, replicated before answered, identical replicas.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { CheckContext } from '../../check/checkContext.ts';
import type { Findings } from '../../check/findings.ts';
import type { RsmCluster } from './rsmCluster.ts';
import type { RsmTap } from './rsmTap.ts';
import { auditMutualExclusion, auditProgress, awaitTesters, startTesters, type TesterPlan, type TesterRun } from './lockTesters.ts';
import { auditDumps, type Dump } from './replicaDumps.ts';
import { auditAtMostOnce, auditReplicatedBeforeAnswer } from './wireAudits.ts';
import { describeOutcome } from './rsmWire.ts';

export const TESTERS = [1, 2, 3] as const;                        // the testers' CLIENT_IDs
// The testers need 1–5 s on a quiet machine and are silent for about 2 s while a new master takes
// over; their RSM clients give up after 15 s without a master.
export const TESTER_PLAN: TesterPlan = { lockers: 4, rounds: 20, quietMs: 15_000, totalMs: 60_000 };
export const GRADER_LOCK = { kind: 'acquire', lock: 'held-by-grader', owner: 'grader' } as const;

const AGREE_BOUND_MS = 5000; // for freshly started replicas to name the same master
const POLL_MS = 50;

/**
 * Waits until every replica in `ids` names `master` in `members`. Replicas start a little apart,
 * and one that starts first counts the others down after 1.5 s until they answer its pings: the
 * grader starts no client before they agree, so that such a start-up cannot be mistaken for a bug.
 */
export async function awaitMaster(cluster: RsmCluster, ids: readonly number[], master: number, findings: Findings): Promise<void> {
  const deadline = performance.now() + AGREE_BOUND_MS;
  let named: string[] = [];
  while (performance.now() < deadline) {
    const outcomes = await Promise.all(ids.map((id) => cluster.call(id, 'members', {}, 1000)));
    named = outcomes.map((outcome, index) => `replica ${ids[index]} ${outcome.kind === 'reply' && outcome.reply.ok ? `names ${JSON.stringify((outcome.reply.result as { master?: unknown } | null)?.master)}` : `answered ${describeOutcome(outcome)}`}`);
    if (outcomes.every((outcome) => outcome.kind === 'reply' && outcome.reply.ok && (outcome.reply.result as { master?: unknown } | null)?.master === master)) return;
    await delay(POLL_MS);
  }
  findings.add('no-master', `Expected every replica to name replica ${master}, the lowest ID, as master in \`members\` within ${AGREE_BOUND_MS / 1000} s of starting (handout, "Methods a replica answers"):`, named.join('; '));
}

/** The grader, as client `grader`, takes a lock through `master` and never releases it. */
export async function takeGraderLock(cluster: RsmCluster, master: number, findings: Findings): Promise<void> {
  const outcome = await cluster.call(master, 'invoke', { client: 'grader', clientSeq: 1, op: GRADER_LOCK });
  if (outcome.kind === 'reply' && outcome.reply.ok && outcome.reply.result === 'GRANTED') return;
  findings.add('grader-invoke', `Expected replica ${master}, the master, to answer the grader's own \`invoke\` (acquire of the free lock ${GRADER_LOCK.lock}, before any tester ran) with "GRANTED" (handout, "The master"):`,
    `it answered ${describeOutcome(outcome)}`);
}

/** Starts the testers on the cluster; `rounds` for a longer run than the usual. */
export function runTesters(context: CheckContext, cluster: RsmCluster, rounds = TESTER_PLAN.rounds): TesterRun[] {
  return startTesters(context, cluster, TESTERS, { ...TESTER_PLAN, rounds });
}

/** Waits for the testers (stopping those past the bound) and judges everything; returns the final dumps. */
export async function finish(context: CheckContext, cluster: RsmCluster, tap: RsmTap, testers: readonly TesterRun[], findings: Findings): Promise<Map<number, Dump>> {
  const unfinished = await awaitTesters(testers, TESTER_PLAN);
  await Promise.all(testers.filter((tester) => unfinished?.names.includes(tester.name)).map((tester) => tester.proc.stop(300)));
  auditProgress(testers, unfinished, TESTER_PLAN, findings);
  const intervals = auditMutualExclusion(testers, findings);
  auditAtMostOnce(tap, findings);
  auditReplicatedBeforeAnswer(tap, cluster, findings);
  const dumps = await auditDumps(cluster, findings, 'once the testers were done');
  const seqs = [...dumps].map(([id, dump]) => `replica ${id} at seq ${String(dump.seq)}`).join(', ');
  context.note(`${testers.length} testers, ${TESTER_PLAN.lockers} lockers each: ${intervals} lock intervals judged; ${tap.replicates.length} replicates seen on the links; final dumps: ${seqs || 'none'}.`);
  return dumps;
}
