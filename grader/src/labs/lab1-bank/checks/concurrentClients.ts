/**
 * Part B: concurrent clients through the coordinator while the links to the replicas are hostile.
 * One link at a time holds each request briefly and, when a second request reaches that replica
 * while the first is still waiting, delivers them last-in first-out. A coordinator that lets two
 * requests be in flight to one replica, or that answers before every replica has, is caught on the
 * first conflicting pair; a coordinator that orders requests is never affected.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { transferKey } from '../bankLedger.ts';
import { awaitReplicasCaughtUp, startCoordinator, startReplicas, type Replica } from '../bankCluster.ts';
import { AmountPool, makeWorkload, runClients } from '../workload.ts';
import {
  auditClientReplies, auditClients, auditDeliveries, auditFiles, auditOrder, auditReplays, auditReplyAfterAll,
  type ClientRequest,
} from '../replicaAudit.ts';

const HOLD_MS = 30;   // how long the hostile link waits for a second request before letting one go

interface Phase {
  clients: number;
  perClient: number;
  hostile: number;    // index of the replica whose link reorders
}

const PHASES: readonly Phase[] = [
  { clients: 2, perClient: 15, hostile: 1 },
  { clients: 4, perClient: 8, hostile: 0 },
];

async function run(context: CheckContext): Promise<void> {
  const replicas = await startReplicas(context, ['a', 'b'], { policy: { serialize: true, order: 'fifo' } });
  const coord = await startCoordinator(context, replicas);
  const pool = new AmountPool(context.rng.fork('amounts'));
  const requests: ClientRequest[] = [];
  let nextClient = 1;
  for (const [index, phase] of PHASES.entries()) {
    makeHostile(replicas, phase.hostile);
    const workload = makeWorkload(context.rng.fork(`workload:${index}`), pool, phase.clients, phase.perClient);
    requests.push(...(await runClients(coord.port, workload, { firstClient: nextClient })));
    nextClient += phase.clients;
  }
  const answered = requests.filter((request) => request.outcome.reply !== undefined);
  await awaitReplicasCaughtUp(replicas, answered.map((request) => transferKey(request.transfer)));
  context.note(`${requests.length} requests from ${PHASES.map((phase) => phase.clients).join(' then ')} concurrent clients; replicas received ${replicas.map((replica) => `${replica.name}: ${replica.proxy.exchanges().length}`).join(', ')}.`);

  const findings = new Findings();
  auditClients(requests, findings);
  auditDeliveries(replicas, requests, findings);
  const ledgers = auditReplays(replicas, findings);
  auditOrder(replicas, findings);
  auditReplyAfterAll(replicas, requests, findings);
  auditClientReplies(replicas, requests, findings);
  await auditFiles(replicas, ledgers, findings);
  findings.throwIfAny();
}

function makeHostile(replicas: readonly Replica[], hostile: number): void {
  for (const [index, replica] of replicas.entries()) {
    replica.proxy.setPolicy(
      index === hostile
        ? { serialize: true, order: 'lifo', holdMs: HOLD_MS, jitterMs: 5 }
        : { serialize: true, order: 'fifo', holdMs: 0, jitterMs: 2 },
    );
  }
}

export const concurrentClients: CheckDef = {
  id: 'lab1.B.concurrent-clients',
  part: 'B',
  title: 'Concurrent clients through the coordinator under hostile link timing',
  points: 40,
  tags: [],
  faults: ['delay', 'reorder'],
  timeoutMs: 90_000,
  run,
};
