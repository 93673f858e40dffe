/**
 * Lab 3's notebook helpers: replicas started from one CONFIG file on ports free right now, as a
 * student starts them in terminals; every replica's `members` and `dump` side by side in one table;
 * bounded waits for a replica to reach a seq or to name a master; one raw request, as the handout's
 * `/dev/tcp` line sends it. Nothing here throws because of the student's programs: what a replica
 * did not answer is shown instead.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPortTaken, reserveFreePorts } from '../labs/lab2-factory/freePorts.ts';
import { callReplica, type CallOutcome } from '../labs/lab3-rsm/rsmWire.ts';
import { configText } from '../labs/lab3-rsm/configText.ts';

export { configText };
import { escapeHtml, showHtml } from './cellDisplay.ts';
import type { Experiment } from './labNotebook.ts';

export const CONFIG_FILE = 'config';  // in the experiment's folder, next to the programs
const START_ATTEMPTS = 3;             // a port found free can be taken by another program before the replica binds it
const POLL_MS = 50;
const WAIT_LIMIT_MS = 20_000;         // waitForSeq and waitForMaster give up after this
const SHOWN_LOCKS = 6;                // held locks listed in a row; the rest are counted


/** The process name of replica `id` in an experiment. */
export const replicaName = (id: number): string => `r${id}`;

export interface StartOptions {
  only?: readonly number[];  // the IDs to start now (default: all); the others stay in CONFIG, not running
}

/**
 * Writes a CONFIG for `count` replicas on ports free right now, prints the command line of each
 * replica it starts (`./lockServer.ts config ID`), and starts them, named r0, r1 …. Resolves with
 * ports[id] for every ID of CONFIG once those started all listen.
 */
export async function startReplicas(run: Experiment, count: number, options: StartOptions = {}): Promise<number[]> {
  const ids = options.only ?? Array.from({ length: count }, (_, id) => id);
  for (let attempt = 1; ; attempt++) {
    const ports = await reserveFreePorts(count);
    writeFileSync(join(run.dir, CONFIG_FILE), configText(ports));
    console.log(`${CONFIG_FILE}: ${ports.map((port, id) => `${id} 127.0.0.1 ${port}`).join(' | ')}`);
    console.log(ids.map((id) => `${replicaName(id)}: ./lockServer.ts ${CONFIG_FILE} ${id}`).join('\n'));
    const started = await Promise.allSettled(ids.map((id) => run.server('lockServer', [CONFIG_FILE, String(id)], replicaName(id))));
    const failure = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (!failure) return ports;
    for (const [index, outcome] of started.entries()) if (outcome.status === 'fulfilled') await run.kill(replicaName(ids[index] as number));
    if (!isPortTaken(reasonOf(failure.reason)) || attempt === START_ATTEMPTS) throw failure.reason;
    console.log('(another program took one of those ports meanwhile: starting them again on other ports)');
  }
}

/**
 * Starts replica `id` with `--join` (`./lockServer.ts config ID --join`), waits for its port, and
 * prints the seq its `dump` gives right after: about where in the run it joined. A replica that
 * exits or stays silent instead is shown, not thrown: resolves false then.
 */
export async function joinReplica(run: Experiment, id: number): Promise<boolean> {
  console.log(`${replicaName(id)}: ./lockServer.ts ${CONFIG_FILE} ${id} --join`);
  let port: number;
  try {
    port = await run.server('lockServer', [CONFIG_FILE, String(id), '--join'], replicaName(id));
  } catch (error) {
    console.log(`replica ${id} did not join: ${reasonOf(error)}`);
    return false;
  }
  const view = await viewReplica(port);
  console.log(view.ok ? `replica ${id} has joined: right after, its dump has seq ${String(view.value.seq)}` : `replica ${id} printed its port, but ${view.why}`);
  return true;
}

type Answer<T> = { ok: true; value: T } | { ok: false; why: string };

/** What one replica says of itself: its `members` and its `dump`. */
export interface ReplicaView {
  master: unknown;     // from members: the master it believes in (null while joining)
  replicas: unknown;   // from members: itself and the replicas it sends requests to
  seq: unknown;        // from dump: the last seq it executed
  state: Record<string, unknown>;    // from dump: each held lock's owner
  clients: Record<string, unknown>;  // from dump: the at-most-once table
  digest: string;      // a short hash of the whole dump: equal dumps, equal digests
}

/** The result of a call, or why there is none. */
function resultOf(outcome: CallOutcome): Answer<unknown> {
  if (outcome.kind === 'failed') return { ok: false, why: outcome.reason };
  if (!outcome.reply.ok) return { ok: false, why: `error ${outcome.reply.error ?? '?'}: ${outcome.reply.message ?? ''}` };
  return { ok: true, value: outcome.reply.result };
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Asks the replica at `port` for `members`, then `dump`. */
export async function viewReplica(port: number): Promise<Answer<ReplicaView>> {
  const members = resultOf(await callReplica(port, 'members', {}));
  if (!members.ok) return { ok: false, why: `members: ${members.why}` };
  const dump = resultOf(await callReplica(port, 'dump', {}));
  if (!dump.ok) return { ok: false, why: `dump: ${dump.why}` };
  const { master, replicas } = asRecord(members.value);
  const { seq, state, clients } = asRecord(dump.value);
  const digest = createHash('sha256').update(JSON.stringify(dump.value)).digest('hex').slice(0, 8);
  return { ok: true, value: { master, replicas, seq, state: asRecord(state), clients: asRecord(clients), digest } };
}

/** `s0 → 2.1, c1.0 → 1.0`, or `none`. */
function locksText(state: Record<string, unknown>): string {
  const held = Object.entries(state).map(([lock, owner]) => `${lock} → ${String(owner)}`);
  if (held.length === 0) return 'none';
  const more = held.length > SHOWN_LOCKS ? ` … and ${held.length - SHOWN_LOCKS} more` : '';
  return held.slice(0, SHOWN_LOCKS).join(', ') + more;
}

const listText = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(',') : JSON.stringify(value) ?? '');

/** Whether the replicas that answered gave the same dump, as one line above the table. */
function verdictHtml(views: readonly Answer<ReplicaView>[]): string {
  const answered = views.flatMap((view, id) => (view.ok ? [{ id, digest: view.value.digest }] : []));
  if (answered.length === 0) return '<p data-verdict="none">No replica answered.</p>';
  if (answered.length === 1) return `<p data-verdict="one">Only replica ${answered[0]?.id} answered.</p>`;
  const names = answered.map(({ id }) => id).join(', ');
  if (new Set(answered.map(({ digest }) => digest)).size === 1) {
    return `<p data-verdict="identical">Replicas ${names} answered identical dumps (seq, state and at-most-once table).</p>`;
  }
  return `<p data-verdict="differ" style="background:#ffd7d5"><b>The dumps of replicas ${names} differ</b>: compare the digests.</p>`;
}

/** One row per replica (ports[id] is replica `id`): its members and its dump, or why it gave none. */
export function replicasHtml(ports: readonly number[], views: readonly Answer<ReplicaView>[]): string {
  const rows = views.map((view, id) => {
    const head = `<td>${id}</td><td>${ports[id]}</td>`;
    if (!view.ok) return `<tr data-replica="${id}" data-down="true">${head}<td colspan="6"><i>no answer: ${escapeHtml(view.why)}</i></td></tr>`;
    const { master, replicas, seq, state, clients, digest } = view.value;
    const locks = Object.keys(state).length;
    const data = `data-replica="${id}" data-master="${escapeHtml(String(master))}" data-replicas="${escapeHtml(listText(replicas))}" `
      + `data-seq="${escapeHtml(String(seq))}" data-locks="${locks}" data-clients="${Object.keys(clients).length}" data-digest="${digest}"`;
    const cells = [String(master), listText(replicas), String(seq), locksText(state), String(Object.keys(clients).length)]
      .map((text) => `<td>${escapeHtml(text)}</td>`).join('');
    return `<tr ${data}>${head}${cells}<td><code>${digest}</code></td></tr>`;
  });
  const header = '<tr><th>replica</th><th>port</th><th>master</th><th>replicas</th><th>seq</th><th>locks held</th><th>clients</th><th>dump digest</th></tr>';
  return `${verdictHtml(views)}<table>${header}${rows.join('')}</table>`;
}

/** Asks every replica of `ports` for `members` and `dump`, all at once, and shows the answers as one table. */
export async function showReplicas(ports: readonly number[]): Promise<void> {
  showHtml(replicasHtml(ports, await Promise.all(ports.map(viewReplica))));
}

/** Sends one request to replica `id` (at ports[id]), as the handout's `/dev/tcp` line does, and prints it and the reply. */
export async function rpc(ports: readonly number[], id: number, method: string, args: Record<string, unknown> = {}): Promise<void> {
  console.log(`to replica ${id}: ${JSON.stringify({ id: 1, method, args })}`);
  const outcome = await callReplica(portOf(ports, id), method, args);
  console.log(outcome.kind === 'reply' ? `reply: ${JSON.stringify(outcome.reply)}` : `no reply: ${outcome.reason}`);
}

export interface WaitOptions {
  whileRunning?: Promise<unknown>;  // testers: stop waiting once they have all ended
  timeLimitMs?: number;             // default 20 s
}

/**
 * Polls the replica at `port` (every 50 ms) until `reached` holds for its view; stops early when
 * `whileRunning` settles, when the replica stops answering, or at the time limit. Prints one line
 * saying which (`what` names the goal), and resolves true only when the goal was reached.
 */
async function waitUntil(port: number, what: string, reached: (view: ReplicaView) => boolean, options: WaitOptions): Promise<boolean> {
  let ended = false;
  const end = (): void => {
    ended = true;
  };
  options.whileRunning?.then(end, end);
  const limitMs = options.timeLimitMs ?? WAIT_LIMIT_MS;
  const start = Date.now();
  for (;;) {
    const view = await viewReplica(port);
    const after = `${((Date.now() - start) / 1000).toFixed(1)} s`;
    if (!view.ok) return said(false, `stopped waiting until ${what}: ${view.why}`);
    const now = `(seq ${String(view.value.seq)}, master ${String(view.value.master)})`;
    if (reached(view.value)) return said(true, `${what}, after ${after} ${now}`);
    if (ended) return said(false, `the testers ended before ${what} ${now}`);
    if (Date.now() - start > limitMs) return said(false, `not ${what} within ${limitMs / 1000} s ${now}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Waits until replica `id` (at ports[id]) has executed seq `seq`; see waitUntil. */
export function waitForSeq(ports: readonly number[], id: number, seq: number, options: WaitOptions = {}): Promise<boolean> {
  return waitUntil(portOf(ports, id), `replica ${id} has executed seq ${seq}`, (view) => Number(view.seq) >= seq, options);
}

/** Waits until replica `id` (at ports[id]) names replica `master` as master in `members`; see waitUntil. */
export function waitForMaster(ports: readonly number[], id: number, master: number, options: WaitOptions = {}): Promise<boolean> {
  return waitUntil(portOf(ports, id), `replica ${id} names replica ${master} as master`, (view) => view.master === master, options);
}

function portOf(ports: readonly number[], id: number): number {
  const port = ports[id];
  if (port === undefined) throw new Error(`there is no replica ${id}: the replicas are 0 to ${ports.length - 1}`);
  return port;
}

function said(result: boolean, line: string): boolean {
  console.log(line);
  return result;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
