/**
 * Part A: three replicas, three testers, no failure. Besides the verdict every check gives
 * (scenario.ts), the grader asks the protocol two questions a correct replica answers one way only:
 * an `invoke` at a replica that is not master gets NOT_MASTER, and a `replicate` one seq too far
 * ahead gets OUT_OF_ORDER.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { RsmCluster } from '../rsmCluster.ts';
import { RsmTap } from '../rsmTap.ts';
import { describeOutcome, type CallOutcome } from '../rsmWire.ts';
import { awaitMaster, finish, runTesters, takeGraderLock, TESTERS } from '../scenario.ts';
import type { Dump } from '../replicaDumps.ts';

const PROBE_OP = { kind: 'acquire', lock: 'probe', owner: 'grader-probe' };
const PROBE_TRIES = 3;

async function run(context: CheckContext): Promise<void> {
  const cluster = await RsmCluster.create(context, { replicas: 3, testers: TESTERS });
  const tap = new RsmTap(context);
  const findings = new Findings();
  await Promise.all([0, 1, 2].map((id) => cluster.startReplica(id)));
  await awaitMaster(cluster, [0, 1, 2], 0, findings);
  tap.watchForStalls();
  await takeGraderLock(cluster, 0, findings);
  await probeNotMaster(cluster, [1, 2], findings);
  const dumps = await finish(context, cluster, tap, runTesters(context, cluster), findings);
  await probeOutOfOrder(cluster, 2, dumps.get(2), findings);
  findings.throwIfAny();
}

/**
 * An invoke at replicas 1 and 2, while replica 0 is master, must be refused with NOT_MASTER naming 0.
 * A replica that names itself master in `members` right after executing the probe had a heartbeat
 * hiccup (its pings unanswered for 1.5 s on a loaded machine), not the bug: the probe is then
 * repeated, up to PROBE_TRIES times, each on a fresh id; past them the verdict is UNKNOWN.
 */
export async function probeNotMaster(cluster: RsmCluster, ids: readonly number[], findings: Findings): Promise<void> {
  for (const id of ids) {
    let outcome: CallOutcome | undefined;
    for (let attempt = 1; attempt <= PROBE_TRIES; attempt++) {
      outcome = await cluster.call(id, 'invoke', { client: `grader-probe-${id}-${attempt}`, clientSeq: 1, op: PROBE_OP });
      const reply = outcome.kind === 'reply' ? outcome.reply : undefined;
      const master = (reply?.result as { master?: unknown } | undefined)?.master;
      if (reply && !reply.ok && reply.error === 'NOT_MASTER' && master === 0) break;
      if (!reply?.ok || (await namedMaster(cluster, id)) === 0) break; // executed while naming 0: the bug
      outcome = undefined;
    }
    if (outcome === undefined) {
      findings.add('not-master-unknown', `UNKNOWN: a replica that executes an \`invoke\` must be the master; the grader could not tell whether replicas 1 and 2 refuse invokes while replica 0 is master (a timeout is never a pass):`,
        `replica ${id} executed the grader's invoke and then named itself master in \`members\`, in each of ${PROBE_TRIES} tries: its heartbeats counted replica 0 down`);
      continue;
    }
    const reply = outcome.kind === 'reply' ? outcome.reply : undefined;
    if (reply && !reply.ok && reply.error === 'NOT_MASTER' && (reply.result as { master?: unknown } | undefined)?.master === 0) continue;
    findings.add('not-master', 'Expected a replica that is not master to refuse an `invoke` with NOT_MASTER and {"master": 0} while replica 0 is master (handout, "The master", step 1: only the master orders requests):',
      `the grader's invoke (acquire probe) at replica ${id}: ${describeOutcome(outcome)}`);
  }
}

async function namedMaster(cluster: RsmCluster, id: number): Promise<unknown> {
  const outcome = await cluster.call(id, 'members', {}, 1000);
  return outcome.kind === 'reply' && outcome.reply.ok ? (outcome.reply.result as { master?: unknown } | null)?.master : undefined;
}

/** A replicate two seqs past the last one a replica executed must get OUT_OF_ORDER with that last. */
async function probeOutOfOrder(cluster: RsmCluster, id: number, dump: Dump | undefined, findings: Findings): Promise<void> {
  if (typeof dump?.seq !== 'number') return; // its dump failed: reported already
  const seq = dump.seq + 2;
  const outcome = await cluster.call(id, 'replicate', { seq, client: 'grader-probe', clientSeq: 2, op: { kind: 'probe' } });
  const reply = outcome.kind === 'reply' ? outcome.reply : undefined;
  const last = (reply?.result as { last?: unknown } | undefined)?.last;
  if (reply && !reply.ok && reply.error === 'OUT_OF_ORDER' && last === dump.seq) return;
  findings.add('out-of-order', `Expected a replica to refuse a \`replicate\` whose seq is past its last + 1 with OUT_OF_ORDER and {"last": LAST} (handout, "Every replica"), and to execute nothing:`,
    `once the testers were done, replica ${id} (last seq ${dump.seq}) got the grader's replicate #${seq} and answered ${describeOutcome(outcome)}`);
}

export const noFailure: CheckDef = {
  id: 'lab3.A.no-failure',
  part: 'A',
  title: 'Three replicas, three testers, no failure: mutual exclusion, every tester done, replicas identical',
  points: 30,
  tags: [],
  faults: [],
  timeoutMs: 120_000,
  run,
};
