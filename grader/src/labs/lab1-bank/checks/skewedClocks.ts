/**
 * Part C: the replicas' clocks are hours apart (libfaketime, one ahead and one behind), so a
 * replica that stamps its file with its own clock cannot match the other. The timestamp lines of
 * the replicas' files must be identical.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { transferKey } from '../bankLedger.ts';
import { awaitReplicasCaughtUp, startCoordinator, startReplicas } from '../bankCluster.ts';
import { AmountPool, makeWorkload, runClients } from '../workload.ts';
import { auditClients } from '../replicaAudit.ts';
import { formatSkew, timestampedFiles } from './timestamps.ts';

const HOUR = 3600;

async function run(context: CheckContext): Promise<void> {
  const rng = context.rng.fork('skew');
  const skewSeconds = {
    a: rng.int(2, 5) * HOUR + rng.int(1, 59) * 60,
    b: -(rng.int(2, 5) * HOUR + rng.int(1, 59) * 60),
  };
  const replicas = await startReplicas(context, ['a', 'b'], { skewSeconds, policy: { serialize: true, jitterMs: 3 } });
  const coord = await startCoordinator(context, replicas);
  context.note(`Replica clocks: a is ${formatSkew(skewSeconds.a)}, b is ${formatSkew(skewSeconds.b)}; the coordinator's clock is right.`);

  const requests = await runClients(coord.port, makeWorkload(rng, new AmountPool(rng), 1, 8));
  const answered = requests.filter((request) => request.outcome.reply !== undefined);
  await awaitReplicasCaughtUp(replicas, answered.map((request) => transferKey(request.transfer)));

  const findings = new Findings();
  auditClients(requests, findings);
  const [first, ...others] = await timestampedFiles(replicas, findings);
  for (const other of others) {
    if (first && first.file.timestampLine !== other.file.timestampLine) {
      findings.add(
        'timestamps-differ',
        "Expected identical timestamp lines on every replica (srv must write the timestamp the coordinator sends, not its own clock's):",
        `replica ${first.replica.name}: '${first.file.timestampLine}'\nreplica ${other.replica.name}: '${other.file.timestampLine}'`,
      );
    }
  }
  findings.throwIfAny();
}

export const skewedClocks: CheckDef = {
  id: 'lab1.C.skewed-clocks',
  part: 'C',
  title: 'Identical timestamps on replicas whose clocks differ by hours',
  points: 25,
  tags: [],
  faults: ['skewClock'],
  timeoutMs: 60_000,
  run,
};
