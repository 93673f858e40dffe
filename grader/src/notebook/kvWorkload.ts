/**
 * Lab 4's clients for a notebook cell: the evaluator's clients (kvScenario.ts's planClients: two
 * per node, each asking its own node first and pinned to its side of a partition) run through the
 * cell's phases, then a table of what each side got in each phase (answers, refusals, silence) and
 * the linearizability verdict on the whole history, with the drawing of a violation's operations.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Rng } from '../harness/rng.ts';
import { recordCall, type HttpOutcome } from '../labs/lab4-kv/kvCall.ts';
import type { KvCluster } from '../labs/lab4-kv/kvCluster.ts';
import type { KvRequest } from '../labs/lab4-kv/kvProtocol.ts';
import { planClients, type KvClientPlan, type Sides } from '../labs/lab4-kv/kvScenario.ts';
import { checkLinearizable, type LinearizabilityVerdict } from '../labs/lab4-kv/linearizability/checkLinearizable.ts';
import type { KvOperation } from '../labs/lab4-kv/linearizability/kvHistory.ts';
import { describeOperation, violationSvg } from '../labs/lab4-kv/linearizability/violationSvg.ts';
import { inlineSvg } from '../report/html/inlineSvg.ts';
import { escapeHtml, showHtml } from './cellDisplay.ts';

const REQUEST_TIMEOUT_MS = 4000;  // a node answers within about 3 s, a 500 when it cannot decide
const PAUSE_MS = 5;               // between two requests of a client

/** One phase of a cell's workload: what is done at its start, and how long the clients then run. */
export interface WorkloadPhase {
  label: string;                                     // e.g. 'node 1 cut off alone'
  act?: () => Promise<Sides | void> | Sides | void;  // a partition it returns pins each client to its home's side
  ms: number;
}

/** What the clients of one side got in one phase. */
export interface SideTally {
  side: readonly number[];      // the nodes of the side
  majority: boolean;            // more than half of all nodes
  clients: string[];            // those asking a node of this side first
  answered: number;             // 200 with KEY=OLD
  refused: number;              // any other HTTP answer (a 500 when the node cannot decide)
  unanswered: number;           // no answer within 4 s, or no connection
  firstRefusal?: string;        // what the first refusal said
  firstSilence?: string;        // why the first request went unanswered
}

export interface WorkloadReport {
  history: KvOperation[];
  phases: { label: string; sides: SideTally[] }[];
  verdict: LinearizabilityVerdict;
}

export async function runWorkload(cluster: KvCluster, phases: readonly WorkloadPhase[], rng: Rng): Promise<WorkloadReport> {
  const clients = planClients(cluster.ids.length);
  const nodes = cluster.ids.length;
  const report: WorkloadReport['phases'] = [];
  let sides: Sides = [cluster.ids];
  const sideOf = (client: KvClientPlan): readonly number[] => sides.find((side) => side.includes(client.home)) ?? cluster.ids;
  const startPhase = (label: string, now: Sides): void => {
    sides = now;
    report.push({ label, sides: now.map((side) => ({ side, majority: side.length > nodes / 2, clients: clients.filter((client) => side.includes(client.home)).map((client) => client.name), answered: 0, refused: 0, unanswered: 0 })) });
  };
  const history: KvOperation[] = [];
  let running = true;
  let nextId = 0;
  const started = performance.now();
  let begin = (): void => undefined;
  const begun = new Promise<void>((resolve) => (begin = resolve));
  const loops = clients.map(async (client) => {
    await begun; // the first phase is set up before any request
    let node = 0;
    for (let round = 0; running; round++) {
      const tally = report.at(-1)?.sides.find((side) => side.side.includes(client.home));
      const side = sideOf(client);
      const ports = [client.home, ...side.filter((id) => id !== client.home)].map((id) => cluster.clientPort(id));
      const key = client.keys[rng.int(0, client.keys.length - 1)] as string;
      const request: KvRequest = rng.next() < 0.5 ? { kind: 'set', key, value: `${client.name}.${round}` } : { kind: 'get', key };
      const { op, outcome } = await recordCall(nextId++, client.name, ports[node % ports.length] as number, request, REQUEST_TIMEOUT_MS);
      history.push(op);
      if (tally) count(tally, op, outcome);
      if (op.result === undefined) node += 1; // no answer: the next node of its side
      await delay(PAUSE_MS);
    }
  });
  try {
    for (const phase of phases) {
      const now = (await phase.act?.()) ?? [cluster.ids];
      startPhase(phase.label, now);
      begin();
      console.log(`${((performance.now() - started) / 1000).toFixed(1)} s: ${phase.label}, for ${phase.ms / 1000} s`);
      await delay(phase.ms);
    }
  } finally {
    running = false;
    begin();
    await Promise.all(loops);
  }
  const verdict = checkLinearizable(history);
  showHtml(workloadHtml(report, history, verdict));
  return { history, phases: report, verdict };
}

function count(tally: SideTally, op: KvOperation, outcome: HttpOutcome): void {
  if (op.result !== undefined) {
    tally.answered += 1;
  } else if (outcome.kind === 'answer') {
    tally.refused += 1;
    tally.firstRefusal ??= `HTTP ${outcome.status} ${outcome.body.trim().slice(0, 160)}`;
  } else {
    tally.unanswered += 1;
    tally.firstSilence ??= outcome.reason;
  }
}

const sideName = (tally: SideTally, nodes: number): string =>
  tally.side.length === nodes ? `all ${nodes} node${nodes === 1 ? '' : 's'}` : `node${tally.side.length === 1 ? '' : 's'} ${tally.side.join(',')} (${tally.majority ? 'majority' : 'minority'})`;

/** One row per phase and side, then the verdict on the whole history. */
export function workloadHtml(phases: WorkloadReport['phases'], history: readonly KvOperation[], verdict: LinearizabilityVerdict): string {
  const nodes = Math.max(0, ...phases.flatMap((phase) => phase.sides.map((tally) => tally.side.length)));
  const rows = phases.flatMap((phase, index) => phase.sides.map((tally) => {
    const data = `data-phase="${index}" data-side="${tally.side.join(',')}" data-majority="${tally.majority}" `
      + `data-answered="${tally.answered}" data-refused="${tally.refused}" data-unanswered="${tally.unanswered}"`;
    const what = [tally.firstRefusal, tally.firstSilence && `no answer: ${tally.firstSilence}`].filter(Boolean).join('; ');
    const cells = [phase.label, sideName(tally, nodes), tally.clients.join(', '), String(tally.answered), String(tally.refused), String(tally.unanswered), what]
      .map((text) => `<td>${escapeHtml(text)}</td>`).join('');
    return `<tr ${data}>${cells}</tr>`;
  }));
  const header = '<tr><th>phase</th><th>side</th><th>clients</th><th>answered</th><th>refused</th><th>no answer</th><th>the first refusal or silence</th></tr>';
  return `<table>${header}${rows.join('')}</table>${verdictHtml(history, verdict)}`;
}

function verdictHtml(history: readonly KvOperation[], verdict: LinearizabilityVerdict): string {
  const answered = history.filter((op) => op.result !== undefined).length;
  if (verdict.kind === 'linearizable') {
    return `<p data-linearizable="yes">Linearizable: the ${history.length} requests (${answered} answered) on ${verdict.keys} keys fit one order, each taking effect between its request and its answer.</p>`;
  }
  if (verdict.kind === 'unknown') {
    return `<p data-linearizable="unknown">Not decided: on key ${escapeHtml(verdict.key)}, ${escapeHtml(verdict.reason)} (never a pass).</p>`;
  }
  const caption = `key ${verdict.key}: these ${verdict.core.length} operations cannot be put in one order`;
  const first = Math.min(...history.map((op) => op.invokedUs));
  const at = (us: number | undefined): string => (us === undefined ? 'never' : `${((us - first) / 1e6).toFixed(3)} s`);
  const lines = verdict.core.map((op) => `${op.client}: ${describeOperation(op)}  (sent ${at(op.invokedUs)}, answered ${at(op.completedUs)})`);
  return `<p data-linearizable="no" style="background:#ffd7d5"><b>Not linearizable</b>: on key ${escapeHtml(verdict.key)} (${verdict.keyOperations} requests), `
    + `these ${verdict.core.length} cannot be put in one order, even if every other request on it had got no answer:</p>`
    + `<pre>${escapeHtml(lines.join('\n'))}</pre><div data-violation="svg">${inlineSvg(violationSvg(verdict.core, caption), 'violation-')}</div>`;
}
