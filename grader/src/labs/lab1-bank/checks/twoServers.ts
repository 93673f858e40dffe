/** Part A: two servers sent the same requests one at a time end in the same state. */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { settle, startReplicas } from '../bankCluster.ts';
import { auditFiles, auditOrder, auditReplays } from '../replicaAudit.ts';
import { runGivenClient, sendRuleProbes } from './warmUp.ts';

async function run(context: CheckContext): Promise<void> {
  const replicas = await startReplicas(context, ['a', 'b'], { policy: { serialize: true, jitterMs: 3 } });
  const findings = new Findings();
  await runGivenClient(context, replicas, findings);
  await sendRuleProbes(replicas, findings);
  await settle(replicas);
  const ledgers = auditReplays(replicas, findings);
  auditOrder(replicas, findings);
  await auditFiles(replicas, ledgers, findings);
  findings.throwIfAny();
}

export const twoServers: CheckDef = {
  id: 'lab1.A.two-servers',
  part: 'A',
  title: 'Two servers given the same requests one at a time agree',
  points: 10,
  tags: [],
  faults: ['delay'],
  timeoutMs: 60_000,
  run,
};
