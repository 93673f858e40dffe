/**
 * Part D (bonus): the killed replica restarts with `--join` while a client keeps sending; it must
 * get the survivor's state inside the coordinator's global order and end with the same file.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { waitForLine } from '../../../harness/waitForPort.ts';
import { CheckFailure } from '../../../check/checkFailure.ts';
import { transferKey } from '../bankLedger.ts';
import { awaitReplicasCaughtUp, startCoordinator, startReplicas } from '../bankCluster.ts';
import { AmountPool, makeWorkload, runClients } from '../workload.ts';
import { auditClients, auditFiles, auditReplays } from '../replicaAudit.ts';
import { readDataFile, sameBalances, sideBySide, type DataFile } from '../dataFile.ts';
import { killOnDelivery } from './failover.ts';

const JOIN_BOUND_MS = 15_000;
const CONVERGENCE_BOUND_MS = 3000;

async function run(context: CheckContext): Promise<void> {
  const replicas = await startReplicas(context, ['a', 'b'], { policy: { serialize: true, jitterMs: 2 } });
  const [survivor, victim] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
  const coord = await startCoordinator(context, replicas);
  const killed = killOnDelivery(context, victim, 4);
  const rng = context.rng.fork('rejoin');
  const pool = new AmountPool(rng);
  const before = await runClients(coord.port, makeWorkload(rng, pool, 1, 8));
  if (!killed.fired()) throw new CheckFailure('Expected replica b to receive requests so that it could be killed mid-run; it never received a 4th transfer.');
  await victim.server.proc.exited;

  // Restart b with its original arguments plus --join, while the client keeps sending.
  const rejoined = context.start('srv', [victim.dataFile, '--join', `127.0.0.1:${coord.port}`], { name: 'b-rejoined' });
  const joined = waitForLine(rejoined, /^Joined\b/, JOIN_BOUND_MS, "'Joined HOST:PORT'").then(() => true, (error: unknown) => error);
  const during = await runClients(coord.port, makeWorkload(rng, pool, 1, 12), { firstSeq: before.length + 1 });
  const joinResult = await joined;
  if (joinResult !== true) throw joinResult instanceof CheckFailure ? joinResult : new CheckFailure(String(joinResult));
  const after = await runClients(coord.port, makeWorkload(rng, pool, 1, 8), { firstSeq: before.length + during.length + 1 });
  const requests = [...before, ...during, ...after];
  const answered = requests.filter((request) => request.outcome.reply !== undefined);
  await awaitReplicasCaughtUp([survivor], answered.map((request) => transferKey(request.transfer)));

  const findings = new Findings();
  auditClients(requests, findings);
  const ledgers = auditReplays([survivor], findings);
  await auditFiles([survivor], ledgers, findings);
  const { survivorFile, rejoinedFile } = await awaitConvergence(survivor.dataFile, victim.dataFile);
  if (!rejoinedFile) {
    findings.add('rejoined-no-file', 'Expected the rejoined replica to write its data file:', `${victim.dataFile} does not exist`);
  } else if (survivorFile && !sameBalances(survivorFile.balances, rejoinedFile.balances)) {
    findings.add('rejoined-differs', 'Expected the rejoined replica to end with the same balances as the survivor (state copied inside the global order, then every later request):', sideBySide('a', survivorFile.balances, 'b', rejoinedFile.balances));
  }
  findings.throwIfAny();
}

/**
 * The rejoined replica is not behind a proxy (the coordinator learns its port from the JOIN), so
 * the grader cannot see when its last request lands: it rereads both files until they agree or
 * the bound passes. Whether the coordinator waited for every replica is part B's concern.
 */
async function awaitConvergence(survivorPath: string, rejoinedPath: string): Promise<{ survivorFile?: DataFile; rejoinedFile?: DataFile }> {
  const deadline = performance.now() + CONVERGENCE_BOUND_MS;
  for (;;) {
    const survivorFile = await readDataFile(survivorPath);
    const rejoinedFile = await readDataFile(rejoinedPath);
    const agree = survivorFile && rejoinedFile && sameBalances(survivorFile.balances, rejoinedFile.balances);
    if (agree || performance.now() > deadline) return { survivorFile, rejoinedFile };
    await delay(50);
  }
}

export const replicaRejoins: CheckDef = {
  id: 'lab1.D.replica-rejoins',
  part: 'D',
  title: 'A restarted replica (--join) copies the state, then serves: it ends equal to the survivor',
  points: 10,
  tags: ['bonus'],
  faults: ['kill', 'restart'],
  timeoutMs: 90_000,
  run,
};
