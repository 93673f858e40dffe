/** Part D (bonus): a replica dies with a request in flight; the coordinator serves on with the survivor. */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { transferKey } from '../bankLedger.ts';
import { awaitReplicasCaughtUp, startCoordinator, startReplicas } from '../bankCluster.ts';
import { AmountPool, makeWorkload, runClients } from '../workload.ts';
import { auditClientReplies, auditClients, auditDeliveries, auditFiles, auditReplays } from '../replicaAudit.ts';
import { killOnDelivery } from './failover.ts';

async function run(context: CheckContext): Promise<void> {
  const replicas = await startReplicas(context, ['a', 'b'], { policy: { serialize: true, jitterMs: 2 } });
  const [survivor, victim] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
  const coord = await startCoordinator(context, replicas);
  const killed = killOnDelivery(context, victim, 6);
  const rng = context.rng.fork('killed');
  const requests = await runClients(coord.port, makeWorkload(rng, new AmountPool(rng), 1, 20));
  const answered = requests.filter((request) => request.outcome.reply !== undefined);
  await awaitReplicasCaughtUp([survivor], answered.map((request) => transferKey(request.transfer)));

  const findings = new Findings();
  auditClients(requests, findings);
  if (!killed.fired()) {
    findings.add('no-kill', 'Expected replica b to receive requests so that it could be killed mid-run:', 'replica b never received a 6th transfer');
  }
  auditDeliveries([survivor], requests, findings);
  const ledgers = auditReplays([survivor], findings);
  auditClientReplies([survivor], requests, findings);
  await auditFiles([survivor], ledgers, findings);
  findings.throwIfAny();
}

export const replicaKilled: CheckDef = {
  id: 'lab1.D.replica-killed',
  part: 'D',
  title: 'A replica killed mid-request: every request still answered, the survivor correct',
  points: 10,
  tags: ['bonus'],
  faults: ['kill'],
  timeoutMs: 90_000,
  run,
};
