/**
 * The check cell: grades the notebook file as saved on disk, through gradeSubmission (the one code
 * path of `rsmlab check` and `rsmlab grade`), and shows the result as an HTML table.
 *
 * The file on disk is what gets graded, so the cell first asks the classic Notebook front-end to
 * save and waits (bounded) for the file to change. A front-end that does not run the request
 * (JupyterLab, a headless run) leaves the file as it was: the cell then says which version it graded.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_SEED, gradeSubmission } from '../check/gradeSubmission.ts';
import { RUN_MARKER } from '../check/checkContext.ts';
import type { CheckResult, GradeResult } from '../check/types.ts';
import { inlineSvg } from '../report/html/inlineSvg.ts';
import type { LabDef } from '../labs/labDef.ts';
import { KIT_ROOT } from '../kitPaths.ts';
import { checkDoneLine } from '../report/terminalReport.ts';
import { escapeHtml, runInFrontEnd, showHtml } from './cellDisplay.ts';

export interface NotebookCheckOptions {
  only?: readonly string[];  // check ids or prefixes, as `--only`
  seed?: number;
  saveWaitMs?: number;       // how long to wait for the front-end's save (default 3 s)
}

const SAVE_WAIT_MS = 3000;
const UNANSWERED_WAIT_MS = 300;  // after a request the front-end did not answer
const POLL_MS = 100;
let frontEndSaves: boolean | undefined;  // whether the last save request was answered; undefined before the first
const SAVE_SCRIPT = 'if (window.Jupyter && Jupyter.notebook) { Jupyter.notebook.save_checkpoint(); }';

export async function checkNotebook(lab: LabDef, notebook: string, options: NotebookCheckOptions = {}): Promise<void> {
  await saveFirst(notebook, 'grades', options.saveWaitMs);
  const seed = options.seed ?? DEFAULT_SEED;
  const where = relative(KIT_ROOT, notebook) || notebook;
  const result = await gradeSubmission({
    lab,
    source: notebook,
    seed,
    only: options.only,
    reproduceCommand: `npx rsmlab check lab${lab.number} ${where}`,
    runMarker: process.env[RUN_MARKER],  // a test running the notebook finds the checks' processes by it
    onCheckDone: (check) => console.log(checkDoneLine(check, { colour: false })),
  });
  showHtml(resultsHtml(result));
}

/**
 * Has the front-end save the notebook before a cell uses the file; when it cannot, warns which
 * saved version the cell `uses` (a verb: 'grades', 'runs'). Once a request went unanswered (a
 * front-end that does not run it, or none), later ones in the same kernel wait only briefly.
 */
export async function saveFirst(notebook: string, uses: string, waitMs = SAVE_WAIT_MS): Promise<void> {
  const saved = await saveNotebook(notebook, frontEndSaves === false ? Math.min(waitMs, UNANSWERED_WAIT_MS) : waitMs);
  frontEndSaves = saved.changed;
  if (saved.changed) return;
  console.warn(`Warning: the notebook could not be saved from here, so this ${uses} the version saved at ${clockTime(saved.mtime)}.\n`
    + 'If you changed cells since then, save the notebook (Ctrl-S) and run this cell again.');
}

/** Asks the front-end to save, then waits until the file's modification time changes or `waitMs` passes. */
async function saveNotebook(notebook: string, waitMs: number): Promise<{ changed: boolean; mtime: Date }> {
  const before = statSync(notebook).mtimeMs;
  const removeScript = runInFrontEnd(SAVE_SCRIPT);
  try {
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await delay(POLL_MS);
      const now = statSync(notebook).mtimeMs;
      if (now !== before) return { changed: true, mtime: new Date(now) };
    }
    return { changed: false, mtime: new Date(before) };
  } finally {
    removeScript();
  }
}

const clockTime = (time: Date): string => time.toTimeString().slice(0, 8);

/**
 * The space-time diagram of a failed check's messages, open in the cell: often the quickest way
 * to see which message went wrong. Nothing when the check recorded none.
 */
function timelineHtml(check: CheckResult): string {
  if (!check.timelineSvg || !existsSync(check.timelineSvg)) return '';
  const svg = inlineSvg(readFileSync(check.timelineSvg, 'utf8'), `${check.id.replace(/\W/g, '-')}-`);
  return `<details open data-timeline="${escapeHtml(check.id)}"><summary>the messages of this check, over time</summary>`
    + `<div style="max-height:600px;overflow:auto">${svg}</div></details>`;
}

/** One row per check (failures explained below their row), then the score. */
export function resultsHtml(result: GradeResult): string {
  const rows = result.checks.map((check) => {
    const passed = check.status === 'passed';
    const mark = passed ? '<span style="color:#1a7f37">✓ passed</span>' : '<span style="color:#cf222e">✗ failed</span>';
    const bonus = check.tags.includes('bonus') ? ' (bonus)' : '';
    const row = `<tr data-check="${escapeHtml(check.id)}" data-status="${check.status}"><td>${escapeHtml(check.part)}</td>`
      + `<td><code>${escapeHtml(check.id)}</code>${bonus}</td><td>${escapeHtml(check.title)}</td>`
      + `<td style="text-align:right">${check.points}/${check.maxPoints}</td><td>${mark}</td></tr>`;
    if (passed) return row;
    const why = `${check.message}\n\nLogs of every process: ${check.logDir}`;
    const details = `<details><summary>why it failed</summary><pre>${escapeHtml(why)}</pre></details>${timelineHtml(check)}`;
    return `${row}<tr><td></td><td colspan="4">${details}</td></tr>`;
  });
  const earned = (bonus: boolean): number => result.checks.filter((check) => check.tags.includes('bonus') === bonus).reduce((sum, check) => sum + check.points, 0);
  const total = `<p data-score="${result.score}"><b>Score: ${result.score}</b> (required ${earned(false)}/${result.maxScore}`
    + `${result.bonusMaxScore > 0 ? `, bonus ${earned(true)}/${result.bonusMaxScore}` : ''}); seed ${result.seed}.`
    + ` <span data-log-root="${escapeHtml(result.logRoot)}">Logs of every process: <code>${escapeHtml(result.logRoot)}</code></span></p>`;
  const header = '<tr><th>part</th><th>check</th><th>what it verifies</th><th>points</th><th>result</th></tr>';
  return `<table>${header}${rows.join('')}</table>${total}`;
}
