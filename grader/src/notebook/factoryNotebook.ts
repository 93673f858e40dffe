/**
 * Lab 2's notebook helpers: factories wired to each other on fixed free ports, as a student starts
 * them in terminals; the status and the records of every factory side by side, read with the
 * grader's own customer; and a bounded wait for a factory's log to grow while a client runs.
 * Nothing here throws because of the student's programs: what a factory did not answer is shown.
 */
import type { CustomerRecord, Status } from '../labs/lab2-factory/factoryWire.ts';
import { readRecords, readStatus } from '../labs/lab2-factory/factoryWorkload.ts';
import { isPortTaken, reserveFreePorts } from '../labs/lab2-factory/freePorts.ts';
import { sideBySideHtml } from './balancesTable.ts';
import { escapeHtml, showHtml } from './cellDisplay.ts';
import type { Experiment } from './labNotebook.ts';

const POLL_MS = 50;
const WAIT_LIMIT_MS = 20_000;  // waitForLog gives up after this

/** `server PORT ID NPEERS (PEER_ID 127.0.0.1 PEER_PORT)*` for factory `id`; its peers in id order. */
export function factoryArgs(ports: readonly number[], id: number): string[] {
  const peers = ports.map((_, peer) => peer).filter((peer) => peer !== id);
  return [String(ports[id]), String(id), String(peers.length), ...peers.flatMap((peer) => [String(peer), '127.0.0.1', String(ports[peer])])];
}

const START_ATTEMPTS = 3; // a port found free can be taken by another program before the factory binds it

/**
 * Starts `count` factories, ids 0 … count − 1, named f0, f1 …, each on a port free right now and
 * told the others' ports; prints their command lines. Resolves with ports[id] once all listen.
 */
export async function startFactories(run: Experiment, count: number): Promise<number[]> {
  for (let attempt = 1; ; attempt++) {
    const ports = await reserveFreePorts(count);
    console.log(ports.map((_, id) => `f${id}: ./server.ts ${factoryArgs(ports, id).join(' ')}`).join('\n'));
    const started = await Promise.allSettled(ports.map((_, id) => run.server('server', factoryArgs(ports, id), `f${id}`)));
    const failure = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (!failure) return ports;
    for (const [id, outcome] of started.entries()) if (outcome.status === 'fulfilled') await run.kill(`f${id}`);
    const message = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
    if (!isPortTaken(message) || attempt === START_ATTEMPTS) throw failure.reason;
    console.log('(another program took one of those ports meanwhile: starting them again on other ports)');
  }
}

type Answer<T> = { ok: true; value: T } | { ok: false; why: string };

async function ask<T>(question: Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await question };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** The role a status says its factory plays. */
function roleOf(status: Status): string {
  if (status.primaryId === -1) return 'no primary';
  return status.primaryId === status.factoryId ? 'primary' : `backup of ${status.primaryId}`;
}

/** One row per factory (ports[id] is factory id): its Status (request type 4), or why there is none. */
export function statusHtml(ports: readonly number[], answers: readonly Answer<Status>[]): string {
  const rows = answers.map((answer, id) => {
    const head = `<td>${id}</td><td>${ports[id]}</td>`;
    if (!answer.ok) return `<tr data-factory="${id}" data-down="true">${head}<td colspan="4"><i>no answer: ${escapeHtml(answer.why)}</i></td></tr>`;
    const { factoryId, primaryId, lastIndex, committedIndex } = answer.value;
    const data = `data-factory="${factoryId}" data-primary="${primaryId}" data-last="${lastIndex}" data-committed="${committedIndex}"`;
    const cells = [primaryId, lastIndex, committedIndex].map((value) => `<td style="text-align:right">${value}</td>`).join('');
    return `<tr ${data}>${head}${cells}<td>${escapeHtml(roleOf(answer.value))}</td></tr>`;
  });
  const header = '<tr><th>factory</th><th>port</th><th>primary_id</th><th>last_index</th><th>committed_index</th><th>role</th></tr>';
  return `<table>${header}${rows.join('')}</table>`;
}

/** Asks every factory of `ports` for its status at once and shows the answers as one table. */
export async function showStatus(ports: readonly number[]): Promise<void> {
  const answers = await Promise.all(ports.map((port, id) => ask(readStatus(port, `factory ${id} (port ${port})`))));
  showHtml(statusHtml(ports, answers));
}

/** The records of customers 0 … count − 1, one column per factory that answered; the rows that differ highlighted. */
export function recordsHtml(ports: readonly number[], answers: readonly Answer<Map<number, CustomerRecord>>[]): string {
  const down = answers.flatMap((answer, id) => (answer.ok ? [] : [`<p data-down="${id}">factory ${id} (port ${ports[id]}): no answer (${escapeHtml(answer.why)})</p>`]));
  const columns = answers.flatMap((answer, id) => {
    if (!answer.ok) return [];
    const values = new Map<string, string>();
    for (const [customerId, record] of answer.value) if (record.customerId !== -1) values.set(String(customerId), String(record.lastOrder));
    return [{ name: `factory ${id}`, values }];
  });
  if (columns.length === 0) return `${down.join('')}<p data-verdict="none">No factory answered the reads.</p>`;
  if (columns.every((column) => column.values.size === 0)) return `${down.join('')}<p data-verdict="empty">No customer has a record yet.</p>`;
  return `${down.join('')}${sideBySideHtml('customer', columns)}`;
}

/** Reads the records of customers 0 … count − 1 from every factory (request type 2) and shows them side by side. */
export async function showRecords(ports: readonly number[], count: number): Promise<void> {
  const customers = Array.from({ length: count }, (_, id) => id);
  const answers = await Promise.all(ports.map((port, id) => ask(readRecords(port, `factory ${id} (port ${port})`, customers))));
  showHtml(recordsHtml(ports, answers));
}

export interface WaitOptions {
  whileRunning?: Promise<unknown>;  // a client: stop waiting when it has ended
  timeLimitMs?: number;             // default 20 s
}

/**
 * Waits until the factory at `port` has an entry at log index `index` (its last_index), polling its
 * status; stops early when `whileRunning` settles, when the factory stops answering, or at the time
 * limit. Prints one line saying which, and resolves true only when the index was reached.
 */
export async function waitForLog(port: number, index: number, options: WaitOptions = {}): Promise<boolean> {
  let ended = false;
  const end = (): void => {
    ended = true;
  };
  options.whileRunning?.then(end, end);
  const deadline = Date.now() + (options.timeLimitMs ?? WAIT_LIMIT_MS);
  let last = -1;
  for (;;) {
    const status = await ask(readStatus(port, `the factory at port ${port}`));
    if (!status.ok) return said(false, `stopped waiting: ${status.why}`);
    last = status.value.lastIndex;
    const who = `factory ${status.value.factoryId}`;
    if (last >= index) return said(true, `${who} has logged entry ${index} (last_index ${last})`);
    if (ended) return said(false, `the client ended before ${who} logged entry ${index} (last_index ${last})`);
    if (Date.now() > deadline) return said(false, `${who} did not log entry ${index} in ${(options.timeLimitMs ?? WAIT_LIMIT_MS) / 1000} s (last_index ${last})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function said(result: boolean, line: string): boolean {
  console.log(line);
  return result;
}
