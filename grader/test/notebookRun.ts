/**
 * What the lab notebook tests share: a run marker for each test, running a notebook for real
 * (Jupyter, the tslab kernel) within the same bounds for every lab, finding a code cell by its
 * text, and reading the table the check cell shows.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, expect } from 'vitest';
import { RUN_MARKER } from '../src/check/checkContext.ts';
import { executeNotebook, type NotebookRun } from '../src/notebook/executeNotebook.ts';
import { cellSource, htmlOutputs, type Cell } from '../src/notebook/notebookFile.ts';
import { StallCanary } from '../src/harness/stallCanary.ts';

export const NOTEBOOK_LIMIT_MS = 300_000; // a bound against a hung kernel, not a speed test: a solution runs in ~2 min, more on a loaded machine
const CELL_LIMIT_MS = 90_000;

/** What a cell that saves first (an experiment, the check cell) prints in a headless run, where nothing can save. */
export const SAVE_WARNING = /^Warning: the notebook could not be saved from here, so this (grades|runs) the version saved at \d\d:\d\d:\d\d\./;

/** Gives each test of the file its own run marker, which every process of the run inherits; returns a getter for the current one. */
export function markEachTest(): () => string {
  let marker = '';
  let previous: string | undefined;
  beforeEach(() => {
    marker = randomUUID();
    previous = process.env[RUN_MARKER];
    process.env[RUN_MARKER] = marker;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env[RUN_MARKER];
    else process.env[RUN_MARKER] = previous;
  });
  return () => marker;
}

export interface RunLimits {
  timeLimitMs?: number;      // the whole notebook (default NOTEBOOK_LIMIT_MS)
  cellTimeLimitMs?: number;  // each cell (default 90 s); lab 4's check cell runs six checks of up to a minute each
}

/** A notebook judged wrong while the machine stalled is run again, this many runs in all (as runCheck does for checks). */
const RUNS_WHEN_STALLED = 3;

/** The vitest bound of a test that judges one notebook: every run it may need, and time to judge. */
export const notebookTestLimitMs = (limits: RunLimits = {}): number => RUNS_WHEN_STALLED * (limits.timeLimitMs ?? NOTEBOOK_LIMIT_MS) + 60_000;

/**
 * Runs the notebook for real and judges it with `judge` (the test's expectations). A run judged
 * wrong while the machine stalled (the stall canary, a process ticking every 100 ms, went a
 * second or more unrun) says nothing sure about the notebook: it is set aside, saying so on
 * stderr, and the notebook run again. A notebook that is wrong fails every run.
 */
export async function judgeNotebook(path: string, label: string, judge: (run: NotebookRun) => void | Promise<void>, limits: RunLimits = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let stalledMs = 0;
    const canary = StallCanary.start((ms) => void (stalledMs += ms));
    let run: NotebookRun;
    try {
      run = await runNotebook(path, label, limits);
    } finally {
      await canary.stop();
    }
    try {
      await judge(run);
      return;
    } catch (error) {
      if (stalledMs === 0 || attempt >= RUNS_WHEN_STALLED) throw error;
      process.stderr.write(`[stall] ${label} notebook, run ${attempt}: judged wrong while the machine stalled ${(stalledMs / 1000).toFixed(1)} s in all; set aside, run again. It was judged wrong for:\n${String(error).slice(0, 3000)}\n`);
    }
  }
}

export async function runNotebook(path: string, label: string, limits: RunLimits = {}): Promise<NotebookRun> {
  const run = await executeNotebook(path, { timeLimitMs: limits.timeLimitMs ?? NOTEBOOK_LIMIT_MS, cellTimeLimitMs: limits.cellTimeLimitMs ?? CELL_LIMIT_MS });
  process.stderr.write(`[timing] ${label} notebook, every cell: ${(run.elapsedMs / 1000).toFixed(1)} s\n`);
  return run;
}

/** The one code cell whose source contains `text`. */
export function cellWith(run: NotebookRun, text: string): Cell {
  const cells = run.notebook.cells.filter((cell) => cell.cell_type === 'code' && cellSource(cell).includes(text));
  expect(cells, `cells containing ${text}`).toHaveLength(1);
  return cells[0] as Cell;
}

export interface CheckTable {
  statuses: Record<string, string>;  // check ID -> passed, failed, ...
  score: number | undefined;
  why: string[];                     // each failed check's message
  timelines: string[];               // the checks whose space-time diagram is shown, each an inline SVG
}

/** The table of the check cell (the one code cell containing `checkCall`); removes the logs the checks kept. */
export function checkTable(run: NotebookRun, checkCall: string): CheckTable {
  const html = htmlOutputs(cellWith(run, checkCall)).join('\n');
  const statuses = Object.fromEntries([...html.matchAll(/data-check="([^"]+)" data-status="(\w+)"/g)].map((match) => [match[1] as string, match[2] as string]));
  const score = /data-score="(\d+)"/.exec(html)?.[1];
  const logRoot = /data-log-root="([^"]+)"/.exec(html)?.[1];
  if (logRoot?.startsWith(tmpdir()) && !process.env.RSMLAB_KEEP_LOGS) rmSync(logRoot, { recursive: true, force: true });
  const why = [...html.matchAll(/<summary>why it failed<\/summary><pre>([^<]*)<\/pre>/g)].map((match) => match[1] as string);
  const timelines = [...html.matchAll(/data-timeline="([^"]+)"><summary>[^<]*<\/summary><div[^>]*><svg/g)].map((match) => match[1] as string);
  return { statuses, score: score === undefined ? undefined : Number(score), why, timelines };
}

/**
 * The check cell of a starter: every check failed, each with its replay command, a message
 * without the grader's internals, `missing(id)` (the part not implemented) in it where given,
 * and a diagram of the messages under each.
 */
export function expectEveryCheckFailed(run: NotebookRun, checkCall: string, checkIds: readonly string[], missing: (id: string) => RegExp | undefined): void {
  const { statuses, score, why, timelines } = checkTable(run, checkCall);
  expect(statuses).toEqual(Object.fromEntries(checkIds.map((id) => [id, 'failed'])));
  expect(score).toBe(0);
  expect(why).toHaveLength(checkIds.length);
  for (const [index, id] of checkIds.entries()) {
    expect(why[index], id).toContain(`--only ${id}`);
    expect(why[index], id).not.toMatch(/internal error|UNKNOWN|\n\s+at .*\(.*:\d+:\d+\)/);
    const part = missing(id);
    if (part) expect(why[index], id).toMatch(part);
  }
  expect(timelines).toEqual(checkIds);
}
