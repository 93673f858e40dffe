/** Part A: one server driven by the given client, then probed at the edges of the transfer rule. */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { settle, startReplicas } from '../bankCluster.ts';
import { auditFiles, auditReplays } from '../replicaAudit.ts';
import { runGivenClient, sendRuleProbes } from './warmUp.ts';

async function run(context: CheckContext): Promise<void> {
  const replicas = await startReplicas(context, ['a'], { policy: { serialize: true } });
  const findings = new Findings();
  await runGivenClient(context, replicas, findings);
  await sendRuleProbes(replicas, findings);
  await settle(replicas);
  const ledgers = auditReplays(replicas, findings);
  await auditFiles(replicas, ledgers, findings);
  findings.throwIfAny();
}

export const oneServer: CheckDef = {
  id: 'lab1.A.one-server',
  part: 'A',
  title: 'One server and the given client: replies follow the transfer rule, data file well formed',
  points: 10,
  tags: [],
  faults: [],
  timeoutMs: 60_000,
  run,
};
