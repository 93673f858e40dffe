/**
 * Part C, the client's choice of replica: the student's `kvClient` is run as a script would run
 * it, with host lists whose first hosts are dead (nobody listens there, or the node was killed),
 * and must still print exactly the node's answer; with only dead hosts it must print
 * `ERROR: ...` and exit non-zero, within its bound; a request past the limits is an `ERROR` too.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { KvCluster } from '../kvCluster.ts';
import { awaitReady } from '../kvProbe.ts';
import { reserveFreePorts } from '../../lab2-factory/freePorts.ts';
import { runClientProgram, type ClientRun } from '../kvClientProgram.ts';

const SECTION = 'handout, "The client"';
const host = (port: number): string => `127.0.0.1:${port}`;

function expectOutput(findings: Findings, run: ClientRun, wanted: string): void {
  if (run.exit === 0 && run.stdout.length === 1 && run.stdout[0] === wanted) return;
  findings.add(`client:${wanted}`, `Expected kvClient to print only "${wanted}" and exit 0 (${SECTION}):`, `kvClient ${run.args.join(' ')} ${run.describe()}`);
}

function expectError(findings: Findings, run: ClientRun, why: string): void {
  if (run.exit !== 0 && run.exit !== undefined && run.stdout.length === 1 && run.stdout[0]?.startsWith('ERROR: ')) return;
  findings.add(`client-error:${why}`, `Expected kvClient to print one line "ERROR: message" and exit non-zero when ${why} (${SECTION}):`, `kvClient ${run.args.join(' ')} ${run.describe()}`);
}

async function run(context: CheckContext): Promise<void> {
  const cluster = await KvCluster.create(context, 3);
  await cluster.startAll();
  const findings = new Findings();
  if (!(await awaitReady(cluster.clientPort(0), 'node 0', findings))) findings.throwIfAny();
  const [deadA = 1, deadB = 1] = await reserveFreePorts(2); // nobody listens there
  const live = (id: number): string => host(cluster.clientPort(id));
  const folder = context.makeFolder('client');
  const client = (args: string[], name: string, cwd = folder) => runClientProgram(context, args, name, cwd);

  // The get goes to the busiest sender (the leader, in a leader design): this check is about the
  // client, and a follower that answers reads alone may not yet know the set (lab4.B's checks judge that).
  const leader = cluster.busiestSender() ?? 0;
  expectOutput(findings, await client(['-h', `${host(deadA)},${live(1)}`, '-k', 'c.key', '-v', 'one'], 'client-dead-first'), 'c.key=NIL');
  expectOutput(findings, await client(['-h', `${host(deadA)},${host(deadB)},${live(leader)}`, '-k', 'c.key'], 'client-two-dead-first'), 'c.key=one');
  const withServersFile = context.makeFolder('client-servers-file', { 'servers.txt': `${host(deadB)}\n${live(0)}\n` });
  expectOutput(findings, await client(['-h', host(deadA), '-k', 'c.key', '-v', 'two'], 'client-servers-file', withServersFile), 'c.key=one');
  expectError(findings, await client(['-h', `${host(deadA)},${host(deadB)}`, '-k', 'c.key'], 'client-all-dead'), 'no host answers');
  expectError(findings, await client(['-h', live(0), '-k', 'bad[key'], 'client-bad-key'), 'the key breaks the limits');

  await cluster.kill(leader);
  context.note(`Node ${leader}, the busiest sender, was killed before the last run of kvClient.`);
  const after = [leader, ...cluster.ids.filter((id) => id !== leader)].map(live).join(',');
  expectOutput(findings, await client(['-h', after, '-k', 'c.key', '-v', 'three'], 'client-leader-killed'), 'c.key=two');
  findings.throwIfAny();
}

export const clientFailover: CheckDef = {
  id: 'lab4.C.client-failover',
  part: 'C',
  title: 'The client finds a live node past dead ones, and reports errors as ERROR lines',
  points: 10,
  tags: [],
  faults: ['kill'],
  timeoutMs: 120_000,
  run,
};
