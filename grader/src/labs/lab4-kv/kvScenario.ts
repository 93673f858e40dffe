/**
 * What every lab 4 check does around its own faults: the evaluator's clients run the whole time
 * while the check goes through its phases (a fault, a heal, a restart); then the history is judged
 * (linearizable, or the smallest set of operations that cannot be ordered, drawn) and measured
 * (operations answered, the longest time without an answer after each fault, traffic between nodes).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { CheckContext } from '../../check/checkContext.ts';
import { Findings } from '../../check/findings.ts';
import { KvCluster } from './kvCluster.ts';
import { awaitReady } from './kvProbe.ts';
import { startWorkload, type WorkloadClient } from './workload.ts';
import { epochMicros } from './kvCall.ts';
import { measureAvailability, type FaultMark } from './availability.ts';
import { countStaleReads } from './staleReads.ts';
import { checkLinearizable } from './linearizability/checkLinearizable.ts';
import { describeOperation, violationSvg } from './linearizability/violationSvg.ts';
import type { KvOperation } from './linearizability/kvHistory.ts';

const CLIENTS_PER_GROUP = 3;   // clients sharing a group of keys: few per key keeps the search small
const KEYS_PER_GROUP = 4;
// A client gives up on a request after this and asks the next node it reaches. Shorter than the
// 3 s within which a node must answer (a 500 when it cannot decide): a client stuck on a stopped
// node, or on a follower waiting for a stopped leader, moves on soon enough for the majority's
// answers to show within a fault phase.
const REQUEST_TIMEOUT_MS = 2500;

// Between two requests of a client: some 200 operations a second on three nodes, plenty for every
// fault window, while the nodes and the grader leave half the machine to other work.
const PAUSE_MS = 20;

export interface KvClientPlan {
  name: string;
  home: number;                // the node it asks first
  keys: readonly string[];
}

/** Two clients per node (three at least); the clients of a key group sit on different nodes. */
export function planClients(nodes: number): KvClientPlan[] {
  const count = Math.max(CLIENTS_PER_GROUP, 2 * nodes);
  return [...Array(count).keys()].map((index) => {
    const group = Math.floor(index / CLIENTS_PER_GROUP);
    return { name: `c${index}`, home: index % nodes, keys: [...Array(KEYS_PER_GROUP).keys()].map((k) => `g${group}.k${k}`) };
  });
}

/** Groups of nodes that reach each other, and no node of another group. */
export type Sides = readonly (readonly number[])[];

/**
 * A phase of a check: what the grader does at its start (returning the sides of the partition it
 * made, if it made one: each client then only reaches the nodes of its home's side), for how long
 * it then lets the clients run, and who must get answers meanwhile.
 */
export interface Phase {
  label: string;                                   // e.g. 'the busiest sender stopped (SIGSTOP)'
  act: () => Promise<Sides | void> | Sides | void;
  ms: number;
  mustAnswer: 'all' | 'majority' | 'none';         // every client / some client on a side with a majority of nodes / nobody
}

export interface ScenarioRun {
  history: KvOperation[];
  phases: { phase: Phase; sides: Sides; fromUs: number; untilUs: number }[];
  clients: KvClientPlan[];
  startedAt: number;                               // performance.now() when the clients started
}

/**
 * The course of every check with the evaluator's clients: start `nodes` nodes, wait until node 0
 * answers, run the grader's own probes (if any), then the clients through the phases; judge.
 */
export async function runScenario(
  context: CheckContext,
  nodes: number,
  phasesFor: (cluster: KvCluster) => Phase[],
  probe: (cluster: KvCluster, findings: Findings) => Promise<void> = async () => undefined,
): Promise<void> {
  const cluster = await KvCluster.create(context, nodes);
  await cluster.startAll();
  const findings = new Findings();
  if (await awaitReady(cluster.clientPort(0), 'node 0', findings)) {
    await probe(cluster, findings);
    judgeRun(context, cluster, await runPhases(context, cluster, phasesFor(cluster)), findings);
  }
  findings.throwIfAny();
}

/** Runs the clients on `cluster` through `phases`, one after another; resolves once every client has stopped. */
export async function runPhases(context: CheckContext, cluster: KvCluster, phases: readonly Phase[]): Promise<ScenarioRun> {
  const clients = planClients(cluster.ids.length);
  let sides: Sides = [cluster.ids];
  const reachable = (client: KvClientPlan): number[] => {
    const side = sides.find((members) => members.includes(client.home)) ?? cluster.ids;
    return [client.home, ...side.filter((id) => id !== client.home)].map((id) => cluster.clientPort(id));
  };
  const workloadClients: WorkloadClient[] = clients.map((client) => ({ name: client.name, keys: client.keys, ports: () => reachable(client) }));
  const startedAt = performance.now();
  const workload = startWorkload({ clients: workloadClients, setFraction: 0.5, timeoutMs: REQUEST_TIMEOUT_MS, pauseMs: PAUSE_MS, rng: context.rng.fork('workload') });
  const ran: ScenarioRun['phases'] = [];
  try {
    for (const phase of phases) {
      const fromUs = epochMicros();
      sides = (await phase.act()) ?? [cluster.ids];
      context.note(`${((performance.now() - startedAt) / 1000).toFixed(1)} s: ${phase.label}${sides.length > 1 ? ` (${sides.map((side) => side.join(',')).join(' | ')})` : ''}.`);
      await delay(phase.ms);
      ran.push({ phase, sides, fromUs, untilUs: epochMicros() });
    }
  } finally {
    await workload.stop();
  }
  return { history: workload.history, phases: ran, clients, startedAt };
}

/** Judges a run: linearizable, answers where the phases demand them; notes the measures. */
export function judgeRun(context: CheckContext, cluster: KvCluster, run: ScenarioRun, findings: Findings): void {
  judgeLinearizable(context, run.history, findings);
  judgeAnswers(run, cluster.ids.length, findings);
  noteMeasures(context, cluster, run);
}

function judgeLinearizable(context: CheckContext, history: readonly KvOperation[], findings: Findings): void {
  const verdict = checkLinearizable(history);
  context.measure('linearizable', verdict.kind === 'linearizable' ? 'yes' : verdict.kind === 'violation' ? 'no' : 'unknown');
  if (verdict.kind === 'unknown') {
    findings.add('unknown', 'UNKNOWN: the linearizability search could not decide this history within its bounds (a timeout is never a pass):', `key ${verdict.key}: ${verdict.reason}`);
  }
  if (verdict.kind !== 'violation') return;
  const svg = join(context.logDir, 'violation.svg');
  writeFileSync(svg, violationSvg(verdict.core, `key ${verdict.key}: these ${verdict.core.length} operations cannot be put in one order`));
  const lines = verdict.core.map((op) => `${op.client}: ${describeOperation(op)}  (sent ${timeOf(op.invokedUs, history)}, answered ${op.completedUs === undefined ? 'never' : timeOf(op.completedUs, history)})`);
  findings.add('not-linearizable', `Expected every answer to fit one order of the operations, each taking effect between its request and its answer (handout, "Consistency"). On key ${verdict.key} (${verdict.keyOperations} operations) these cannot be ordered, even if every other operation on it had got no answer (drawn in ${svg}):`, lines.join('\n'));
}

/** A time of the history as seconds since its first request, for messages. */
function timeOf(us: number, history: readonly KvOperation[]): string {
  const first = Math.min(...history.map((op) => op.invokedUs));
  return `${((us - first) / 1e6).toFixed(3)} s`;
}

function judgeAnswers(run: ScenarioRun, nodes: number, findings: Findings): void {
  for (const { phase, sides, fromUs, untilUs } of run.phases) {
    if (phase.mustAnswer === 'none') continue;
    const answeredBy = new Set(run.history.filter((op) => op.completedUs !== undefined && op.result !== undefined && op.completedUs >= fromUs && op.completedUs <= untilUs).map((op) => op.client));
    const expected = phase.mustAnswer === 'all'
      ? run.clients
      : run.clients.filter((client) => sides.some((side) => side.includes(client.home) && side.length > nodes / 2));
    const silent = expected.filter((client) => !answeredBy.has(client.name));
    if (phase.mustAnswer === 'majority' && silent.length < expected.length) continue; // the majority side answered someone
    if (silent.length === 0) continue;
    findings.add(`no-answer:${phase.label}`, `Expected ${phase.mustAnswer === 'all' ? 'every client' : 'the clients on the side with a majority of the nodes'} to get answers during "${phase.label}" (${(phase.ms / 1000).toFixed(0)} s; the service must answer whenever a majority of nodes can reach each other, handout "Availability"):`,
      `no answer at all for ${silent.map((client) => `${client.name} (asking node ${client.home} first)`).join(', ')}`);
  }
}

function noteMeasures(context: CheckContext, cluster: KvCluster, run: ScenarioRun): void {
  const endUs = run.phases.at(-1)?.untilUs ?? epochMicros();
  const faults: FaultMark[] = run.phases.slice(1).map(({ phase, fromUs }) => ({ label: phase.label, atUs: fromUs }));
  const availability = measureAvailability(run.history, faults, endUs);
  const traffic = cluster.traffic(run.startedAt);
  const perOp = (total: number): string => (availability.answered === 0 ? '-' : (total / availability.answered).toFixed(1));
  context.measure('operations', availability.operations);
  context.measure('answeredFraction', Number(availability.answeredFraction.toFixed(4)));
  for (const downtime of availability.downtimes) context.measure(`downtimeMs: ${downtime.label}`, Math.round(downtime.longestGapMs));
  context.measure('messagesPerOperation', availability.answered === 0 ? 0 : Number((traffic.messages / availability.answered).toFixed(2)));
  context.measure('bytesPerOperation', availability.answered === 0 ? 0 : Math.round(traffic.bytes / availability.answered));
  context.note(`Answered ${availability.answered} of ${availability.operations} operations (${(availability.answeredFraction * 100).toFixed(1)}%).`);
  for (const downtime of availability.downtimes) context.note(`Longest time without any answer after "${downtime.label}": ${(downtime.longestGapMs / 1000).toFixed(2)} s.`);
  const staleReads = countStaleReads(run.history);
  context.measure('staleReads', staleReads);
  context.note(`Stale reads (a get older than the newest set completed before it was sent): ${staleReads}.`);
  context.note(`Between nodes: ${traffic.messages} messages, ${traffic.bytes} bytes; ${perOp(traffic.messages)} messages and ${perOp(traffic.bytes)} bytes per answered operation.`);
}
