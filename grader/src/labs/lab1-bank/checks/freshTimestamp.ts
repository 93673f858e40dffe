/**
 * Part C: the timestamp a replica writes is the coordinator's clock when the request was ordered,
 * read anew for every request. The last request is sent at least three seconds after the
 * coordinator started, so a time read once at start-up is always caught.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { transferKey } from '../bankLedger.ts';
import { awaitReplicasCaughtUp, startCoordinator, startReplicas } from '../bankCluster.ts';
import { AmountPool, makeWorkload, runClients } from '../workload.ts';
import { auditClients } from '../replicaAudit.ts';
import { timestampedFiles, utcTime } from './timestamps.ts';

const LATE_REQUEST_AFTER_MS = 3000;  // after the coordinator is up
const SLACK_MS = 1000;               // the file's time has whole seconds

async function run(context: CheckContext): Promise<void> {
  const replicas = await startReplicas(context, ['a', 'b'], { policy: { serialize: true } });
  const coord = await startCoordinator(context, replicas);
  const upAt = Date.now();
  const rng = context.rng.fork('fresh');
  const pool = new AmountPool(rng);
  const early = await runClients(coord.port, makeWorkload(rng, pool, 1, 2));
  await delay(Math.max(0, upAt + LATE_REQUEST_AFTER_MS - Date.now())); // the condition awaited is time itself
  const sentAt = Date.now();
  const late = await runClients(coord.port, makeWorkload(rng, pool, 1, 1), { firstSeq: early.length + 1 });
  const answeredAt = Date.now();
  const requests = [...early, ...late];
  const answered = requests.filter((request) => request.outcome.reply !== undefined);
  await awaitReplicasCaughtUp(replicas, answered.map((request) => transferKey(request.transfer)));

  const findings = new Findings();
  auditClients(requests, findings);
  const earliest = Math.floor(sentAt / 1000) * 1000 - SLACK_MS;
  const latest = answeredAt + SLACK_MS;
  for (const { replica, file } of await timestampedFiles(replicas, findings)) {
    const written = file.timestamp?.getTime() ?? 0;
    if (written < earliest || written > latest) {
      findings.add(
        'stale-timestamp',
        "Expected the timestamp of the last request to be the coordinator's current time (read for each request, not once):",
        `replica ${replica.name} wrote '${file.timestampLine}', but the last request was ordered between ${utcTime(sentAt)} and ${utcTime(answeredAt)}`,
      );
    }
  }
  findings.throwIfAny();
}

export const freshTimestamp: CheckDef = {
  id: 'lab1.C.fresh-timestamp',
  part: 'C',
  title: 'Timestamps are the current time, not one frozen at start-up',
  points: 15,
  tags: [],
  faults: [],
  timeoutMs: 60_000,
  run,
};
