/**
 * Replicas side by side in a notebook: one HTML table, a row per key and a column per replica,
 * the rows where the replicas disagree highlighted. The table is lab-agnostic (any key → value
 * state); showBalances reads lab 1's data files into it.
 */
import { parseDataFile } from '../labs/lab1-bank/dataFile.ts';
import { escapeHtml, showHtml } from './cellDisplay.ts';
import type { Experiment } from './labNotebook.ts';

export interface ReplicaColumn {
  name: string;                        // e.g. 'tmp/a'
  values: ReadonlyMap<string, string>; // key → value; a missing key shows as '-'
}

const DIFFERS = 'background:#ffd7d5';  // inline: a notebook's page has no style sheet of ours

/** The HTML table, with a line above it saying whether the replicas agree. `keyTitle` heads the first column. */
export function sideBySideHtml(keyTitle: string, columns: readonly ReplicaColumn[]): string {
  const keys = [...new Set(columns.flatMap((column) => [...column.values.keys()]))];
  let differing = 0;
  const rows = keys.map((key) => {
    const values = columns.map((column) => column.values.get(key));
    const differs = values.some((value) => value !== values[0]);
    if (differs) differing += 1;
    const cells = values.map((value) => `<td style="text-align:right">${escapeHtml(value ?? '-')}</td>`).join('');
    return `<tr data-differs="${differs}"${differs ? ` style="${DIFFERS}"` : ''}><td><code>${escapeHtml(key)}</code></td>${cells}</tr>`;
  });
  const names = columns.map((column) => escapeHtml(column.name));
  const verdict = columns.length < 2 ? '' : differing === 0
    ? `<p data-verdict="agree">${names.join(' and ')} agree on every row.</p>`
    : `<p data-verdict="differ"><b>${differing} of ${keys.length} rows differ</b> (highlighted).</p>`;
  const header = `<tr><th>${escapeHtml(keyTitle)}</th>${names.map((name) => `<th>${name}</th>`).join('')}</tr>`;
  return `${verdict}<table>${header}${rows.join('')}</table>`;
}

/** Lab 1: the data files of an experiment's replicas as one table, the timestamp line first. */
export function balancesHtml(files: ReadonlyArray<{ name: string; text: string }>): string {
  if (files.every((file) => file.text === '')) {
    return `<p data-verdict="none">No data file was written (${files.map((file) => escapeHtml(file.name)).join(', ')}): no transfer reached the replicas.</p>`;
  }
  const columns = files.map(({ name, text }) => {
    const parsed = parseDataFile(text);
    const values = new Map<string, string>([['(time)', text === '' ? '(no file)' : parsed.timestampLine.replace(/^# /, '')]]);
    for (const [account, balance] of [...parsed.balances].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) values.set(account, String(balance));
    return { name, values };
  });
  return sideBySideHtml('account', columns);
}

/** Shows the balances of the experiment's data files (e.g. `tmp/a`, `tmp/b`) side by side. */
export function showBalances(run: Experiment, paths: readonly string[]): void {
  showHtml(balancesHtml(paths.map((path) => ({ name: path, text: run.readFile(path) }))));
}
