/** Shared by part A's checks: run the given client, and probe the transfer rule at its edges. */
import type { CheckContext } from '../../../check/checkContext.ts';
import type { Findings } from '../../../check/findings.ts';
import { formatTail } from '../../../harness/waitForPort.ts';
import { sendRequest } from '../bankWire.ts';
import type { Replica } from '../bankCluster.ts';
import { REQUEST_TIMEOUT_MS } from '../workload.ts';

const CLIENT_REQUESTS = 40;
const CLIENT_BOUND_MS = 30_000;

/** Runs `clnt --count N --seed S` against the replicas' links and reports its ERROR lines and exit. */
export async function runGivenClient(context: CheckContext, replicas: readonly Replica[], findings: Findings): Promise<void> {
  const ports = replicas.map((replica) => String(replica.proxy.port));
  const clnt = context.start('clnt', [...ports, '--count', String(CLIENT_REQUESTS), '--seed', String(context.seed)], { name: 'clnt' });
  const errorLines: string[] = [];
  clnt.onLine((line) => {
    if (line.startsWith('ERROR')) errorLines.push(line);
  });
  let timer: NodeJS.Timeout | undefined;
  const status = await Promise.race([
    Promise.all([clnt.exited, clnt.outputEnded]).then(([exit]) => exit), // an ERROR line can come after the exit
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), CLIENT_BOUND_MS))),
  ]);
  clearTimeout(timer);
  if (!status) {
    findings.add('client-stuck', `Expected the given client to finish ${CLIENT_REQUESTS} requests within ${CLIENT_BOUND_MS / 1000} s; it did not (is a server not answering?):`, formatTail(clnt.outputTail()).trim());
    return;
  }
  for (const line of errorLines) findings.add('client-error-lines', 'Expected the given client to print no ERROR line:', line);
  if (status.code !== 0) {
    findings.add('client-exit', 'Expected the given client to exit with code 0:', `it ${status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`}.${formatTail(clnt.outputTail())}`);
  }
}

/** Transfers at the edge of the rule (an amount equal to the balance must be refused), sent to every replica. */
export async function sendRuleProbes(replicas: readonly Replica[], findings: Findings): Promise<void> {
  const probes = ['probe0 probe1 100', 'probe0 probe1 99', 'probe0 probe1 1', 'probe1 probe0 198'];
  for (const replica of replicas) {
    for (const line of probes) {
      const outcome = await sendRequest(replica.proxy.port, line, REQUEST_TIMEOUT_MS);
      if (outcome.error !== undefined) findings.add(`probe-${replica.name}`, `Expected replica ${replica.name} to answer every request:`, `'${line}': ${outcome.error}`);
    }
  }
}
