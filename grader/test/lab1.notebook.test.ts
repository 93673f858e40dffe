/**
 * The lab 1 notebook, run for real as a student's "Run all" runs it (Jupyter, the tslab kernel):
 * the starter notebook and the solution notebook, every cell, the check cell included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../src/check/gradeSubmission.ts';
import { lab1Bank } from '../src/labs/lab1-bank/lab.ts';
import { solutionDir } from '../src/kitPaths.ts';
import type { NotebookRun } from '../src/notebook/executeNotebook.ts';
import { labNotebookPath, solutionNotebookPath } from '../src/notebook/buildNotebooks.ts';
import { cellSource, errorText, htmlOutputs, streamText } from '../src/notebook/notebookFile.ts';
import { processesMarked } from './fixtureSubmissions.ts';
import { cellWith, checkTable, markEachTest, judgeNotebook, notebookTestLimitMs, SAVE_WARNING } from './notebookRun.ts';

const CHECK_IDS = lab1Bank.checks.map((check) => check.id);

const currentMarker = markEachTest();

/**
 * Every code cell ran, and none reported an error. The cells that save first (the check cell, the
 * run of the student's coordinator) may only warn that they could not: nothing saves in a headless run.
 */
function expectCleanRun(run: NotebookRun): void {
  expect(run.failure?.message).toBeUndefined();
  const savingCells = [cellWith(run, 'bank.check('), cellWith(run, 'saveFirst: true')];
  for (const cell of run.notebook.cells) {
    if (cell.cell_type !== 'code' || cellSource(cell).startsWith('/** @module')) continue;
    expect(cell.execution_count, cellSource(cell)).not.toBeNull();
    if (savingCells.includes(cell)) expect(errorText(cell)).toMatch(SAVE_WARNING);
    else expect(errorText(cell), cellSource(cell)).toBe('');
  }
  expect(processesMarked(currentMarker())).toEqual([]);
}

describe('the lab 1 notebook', () => {
  it('starter: every cell runs, the warm-up experiments run to their end, and the check cell shows parts B and C failing', async () => {
    await judgeNotebook(labNotebookPath(lab1Bank), 'lab1 starter', async (run) => {
      expectCleanRun(run);
      expect(streamText(cellWith(run, '[String(a)'))).toContain('clnt: 200 requests, 0 mismatches');
      const twoClients = cellWith(run, "'300'");
      // Whether the replicas diverge in this run depends on timing: only that the experiment ran and showed them is certain.
      for (const client of ['clnt1', 'clnt2']) expect(streamText(twoClients)).toContain(`${client} | (exited with code 0)`);
      expect(htmlOutputs(twoClients).join('')).toMatch(/data-verdict="(agree|differ)"/);
      expect(streamText(cellWith(run, "run.server('coord'"))).toContain('ERROR not implemented');
      const { statuses, score, timelines } = checkTable(run, 'bank.check(');
      expect(Object.keys(statuses)).toEqual(CHECK_IDS);
      for (const id of CHECK_IDS) expect(statuses[id], id).toBe(/^lab1\.A\./.test(id) ? 'passed' : 'failed');
      expect(score).toBe(20);
      expect(timelines).toEqual(CHECK_IDS.filter((id) => !/^lab1\.A\./.test(id))); // a diagram for each failed check, none for the passed
    });
  }, notebookTestLimitMs());

  it('solution: every cell runs, the coordinator keeps the replicas identical, and the check cell shows full marks, as grading the folder does', async () => {
    await judgeNotebook(solutionNotebookPath(lab1Bank), 'lab1 solution', async (run) => {
      expectCleanRun(run);
      const coordinator = htmlOutputs(cellWith(run, "run.server('coord'")).join('');
      expect(coordinator).toContain('data-verdict="agree"');
      const { statuses, score } = checkTable(run, 'bank.check(');
      expect(statuses).toEqual(Object.fromEntries(CHECK_IDS.map((id) => [id, 'passed'])));
      expect(score).toBe(120);

      // The check cell graded the notebook file (as `rsmlab grade lab1 NOTEBOOK` does); the folder scores the same.
      const logRoot = mkdtempSync(join(tmpdir(), 'rsmlab-test-logs-lab1-notebook-'));
      const folder = await gradeSubmission({ lab: lab1Bank, source: solutionDir(lab1Bank.id), seed: 1, runMarker: currentMarker(), logRoot, reproduceCommand: 'test' });
      if (!process.env.RSMLAB_KEEP_LOGS) rmSync(logRoot, { recursive: true, force: true });
      expect(folder.score).toBe(score);
      expect(Object.fromEntries(folder.checks.map((check) => [check.id, check.status]))).toEqual(statuses);
      expect(processesMarked(currentMarker())).toEqual([]);
    });
  }, notebookTestLimitMs());
});
