/**
 * The lab 2 notebook, run for real as a student's "Run all" runs it (Jupyter, the tslab kernel):
 * the starter notebook and the solution notebook, every cell, the benchmark and the check cell
 * included. The facts asserted are those the notebook's text tells the student to look for.
 */
import { describe, expect, it } from 'vitest';
import { lab2Factory } from '../src/labs/lab2-factory/lab.ts';
import type { NotebookRun } from '../src/notebook/executeNotebook.ts';
import { labNotebookPath, solutionNotebookPath } from '../src/notebook/buildNotebooks.ts';
import { cellSource, errorText, htmlOutputs, streamText, type Cell } from '../src/notebook/notebookFile.ts';
import { processesMarked } from './fixtureSubmissions.ts';
import { cellWith, checkTable, markEachTest, judgeNotebook, notebookTestLimitMs, SAVE_WARNING } from './notebookRun.ts';

const CHECK_IDS = lab2Factory.checks.map((check) => check.id);

const currentMarker = markEachTest();

/**
 * Every code cell ran, the module cells silently (tslab's complaints about their imports are
 * hidden), and none reported an error. The experiments and the check cell save first, so they may
 * only warn that they could not: nothing saves in a headless run. No process is left behind.
 */
function expectCleanRun(run: NotebookRun): void {
  expect(run.failure?.message).toBeUndefined();
  const moduleCells = run.notebook.cells.filter((cell) => cell.cell_type === 'code' && cellSource(cell).startsWith('/** @module'));
  expect(moduleCells.map((cell) => /@module (\w+)/.exec(cellSource(cell))?.[1])).toEqual(['client', 'factoryState', 'engineer', 'admin']);
  for (const cell of run.notebook.cells) {
    if (cell.cell_type !== 'code') continue;
    const source = cellSource(cell);
    expect(cell.execution_count, source).not.toBeNull();
    if (source.includes('saveFirst: true') || source.includes('factories.check(')) expect(errorText(cell), source).toMatch(SAVE_WARNING);
    else expect(errorText(cell), source).toBe('');
  }
  expect(processesMarked(currentMarker())).toEqual([]);
}

/** Each status table of a cell, in order, one 'FACTORY:PRIMARY/LAST/COMMITTED' (or 'FACTORY:down') per row. */
function statusTables(cell: Cell): string[][] {
  return htmlOutputs(cell).filter((html) => html.includes('<th>primary_id</th>')).map((html) =>
    [...html.matchAll(/<tr data-factory="(\d+)"(?: data-primary="(-?\d+)" data-last="(-?\d+)" data-committed="(-?\d+)"| data-down="true")>/g)]
      .map(([, factory, primary, last, committed]) => (primary === undefined ? `${factory}:down` : `${factory}:${primary}/${last}/${committed}`)));
}

/** The records tables of a cell (showRecords), each as its verdict ('' with one column), its columns and its rows of values. */
function recordTables(cell: Cell): { verdict: string; columns: string[]; rows: string[][] }[] {
  return htmlOutputs(cell).filter((html) => html.includes('data-verdict=') || html.includes('<th>customer</th>')).map((html) => ({
    verdict: /data-verdict="(\w+)"/.exec(html)?.[1] ?? '',
    columns: [...html.matchAll(/<th>(factory \d+)<\/th>/g)].map((match) => match[1] as string),
    rows: [...html.matchAll(/<tr data-differs="\w+"[^>]*>(.*?)<\/tr>/g)].map((match) => [...(match[1] as string).matchAll(/<td[^>]*>(?:<code>)?([^<]*)/g)].map((td) => td[1] as string)),
  }));
}

/** The scan lines a process printed in a cell, as 'CUSTOMER ORDER'. */
const scanLines = (cell: Cell, name: string): string[] =>
  [...streamText(cell).matchAll(new RegExp(`^${name} *\\| (\\d+)\\t(\\d+)$`, 'gm'))].map((match) => `${match[1]} ${match[2]}`);

const NOT_IMPLEMENTED = 'client: not implemented (handout part A)';

describe('the lab 2 notebook', () => {
  it('starter: every cell runs, each experiment says what is not implemented, and the check cell shows every check failing', async () => {
    await judgeNotebook(labNotebookPath(lab2Factory), 'lab2 starter', async (run) => {
      expectCleanRun(run);

      const partA = cellWith(run, "['0', '0', '0']");
      expect(streamText(partA)).toContain(`orders| ${NOT_IMPLEMENTED}`);
      expect(streamText(partA)).toContain(`scan  | ${NOT_IMPLEMENTED}`);
      expect(statusTables(partA)).toEqual([['0:-1/-1/-1']]);  // the status is given code: a fresh factory

      const fresh = ['0:-1/-1/-1', '1:-1/-1/-1', '2:-1/-1/-1'];
      expect(statusTables(cellWith(run, "'8', '50', '1'"))).toEqual([fresh]);
      const switchPrimary = cellWith(run, "'4', '20', '1'");
      expect(statusTables(switchPrimary)).toEqual([fresh, fresh]);
      expect(recordTables(switchPrimary)).toEqual([{ verdict: 'none', columns: [], rows: [] }]);
      expect(streamText(switchPrimary)).toContain('not implemented: reading a record (handout part A)');

      const failures = cellWith(run, "'2000'");
      expect(streamText(failures)).toContain('the client ended before factory 0 logged entry 300 (last_index -1)');
      expect(statusTables(failures)).toEqual([['0:down', '1:-1/-1/-1', '2:down'], ['0:down', '1:-1/-1/-1', '2:down']]);

      const rejoin = cellWith(run, "run.restart('f2')");
      expect(streamText(rejoin)).toMatch(/^f2 +\| Listening on port \d+ \.\.\.\n(?:.*\n)*f2 +\| \(stopped \(SIGKILL\)\)\n(?:.*\n)*f2 +\| Listening on port \d+ \.\.\.$/m);
      expect(statusTables(rejoin)).toEqual([fresh, fresh]);

      const bench = cellWith(run, 'lab.benchFactories(');
      expect(streamText(bench)).toMatch(/^The benchmark stopped: before measuring: an order and a read through server 0 failed: .*\n(?:.*\n)*.*not implemented: taking an order \(handout part A\)/m);
      expect(htmlOutputs(bench)).toEqual([]);

      const { statuses, score } = checkTable(run, 'factories.check(');
      expect(statuses).toEqual(Object.fromEntries(CHECK_IDS.map((id) => [id, 'failed'])));
      expect(score).toBe(0);
    });
  }, notebookTestLimitMs());

  it('solution: every experiment shows what its text says, the benchmark draws its charts, and the check cell shows full marks', async () => {
    await judgeNotebook(solutionNotebookPath(lab2Factory), 'lab2 solution', async (run) => {
      expectCleanRun(run);

      // Part A: one factory is its own primary and commits each entry at once.
      const partA = cellWith(run, "['0', '0', '0']");
      expect(streamText(partA)).toMatch(/^orders\| customers=4 requests=400 answered=400 mean_latency_us=[\d.]+ p99_latency_us=[\d.]+ throughput_per_s=[\d.]+$/m);
      expect(scanLines(partA, 'scan')).toEqual(['0 99', '1 99', '2 99', '3 99']);
      expect(statusTables(partA)).toEqual([['0:0/399/399']]);

      // Part B: the backups are one committed entry, so one customer's record, behind the primary.
      const partB = cellWith(run, "'8', '50', '1'");
      expect(streamText(partB)).toMatch(/^orders\| customers=8 requests=400 answered=400 /m);
      expect(scanLines(partB, 'scan0')).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((id) => `${id} 49`));
      for (const backup of ['scan1', 'scan2']) {
        const lines = scanLines(partB, backup);
        expect(lines.filter((line) => line.endsWith(' 49')), backup).toHaveLength(7);
        expect(lines.filter((line) => line.endsWith(' 48')), backup).toHaveLength(1);
      }
      expect(statusTables(partB)).toEqual([['0:0/399/399', '1:0/399/398', '2:0/399/398']]);

      // Switching the primary: factory 1 commits entry 79 and appends at 80.
      const switchPrimary = cellWith(run, "'4', '20', '1'");
      expect(statusTables(switchPrimary)).toEqual([
        ['0:0/79/79', '1:0/79/78', '2:0/79/78'],
        ['0:1/159/158', '1:1/159/159', '2:1/159/158'],
      ]);
      const [switched] = recordTables(switchPrimary);
      expect(switched?.verdict).toBe('differ');
      expect(switched?.rows.filter(([, f0, f1, f2]) => f0 === f1 && f1 === f2)).toHaveLength(3);

      // Part C: commits go on without the dead backup; the survivor forgets the dead primary, loses no answered order, takes over.
      const failures = cellWith(run, "'2000'");
      const printed = streamText(failures);
      expect(printed).toMatch(/^factory 0 has logged entry 300 \(last_index \d+\)$/m);
      expect(printed).toMatch(/^factory 0 has logged entry 1000 \(last_index \d+\)$/m);
      const answered = Number(/^orders\| customers=8 requests=16000 answered=(\d+) /m.exec(printed)?.[1]);
      expect(answered).toBeGreaterThan(900);
      expect(answered).toBeLessThan(16000);
      const [afterCrash = [], afterSwitch = []] = statusTables(failures);
      const [, primary, last, committed] = /^1:(-?\d+)\/(\d+)\/(\d+)$/.exec(afterCrash[1] ?? '')?.map(Number) ?? [];
      expect(afterCrash, 'after the crash').toEqual(['0:down', `1:-1/${last}/${committed}`, '2:down']);
      expect(primary).toBe(-1);
      expect((last as number) + 1).toBeGreaterThanOrEqual(answered);
      expect(afterSwitch, 'after orders to factory 1').toEqual(['0:down', `1:1/${(last as number) + 80}/${(last as number) + 80}`, '2:down']);
      const [survivor] = recordTables(failures);
      expect(survivor?.columns).toEqual(['factory 1']);
      expect(survivor?.rows).toHaveLength(8);

      // Part D: the restarted factory comes back empty, then holds the same log as the other backup.
      const rejoin = cellWith(run, "run.restart('f2')");
      expect(statusTables(rejoin)).toEqual([
        ['0:0/399/399', '1:0/399/398', '2:-1/-1/-1'],
        ['0:0/479/479', '1:0/479/478', '2:0/479/478'],
      ]);
      const [rejoined] = recordTables(rejoin);
      expect(rejoined?.columns).toEqual(['factory 0', 'factory 1', 'factory 2']);
      expect(rejoined?.rows).toHaveLength(8);
      for (const [customer, , f1, f2] of rejoined?.rows ?? []) expect(f2, `customer ${customer}`).toBe(f1);

      // The benchmark: its table, and three charts with a bar per configuration.
      const bench = cellWith(run, 'lab.benchFactories(');
      const table = streamText(bench);
      const writeRows = (table.split(/^Write:/m)[1]?.split(/^Read:/m)[0] ?? '').split('\n').filter((line) => /^\s+\d+\s+\d+\s+[\d.]+\s+×/.test(line));
      expect(writeRows.map((line) => line.trim().split(/\s+/).slice(0, 2).join('x'))).toEqual(['1x8', '1x1', '2x8', '2x1', '3x8', '3x1']);
      expect(table).toMatch(/^target: 3-server write latency \/ \(3 × loopback RTT\) = \d+\.\d\d \(target ≤ 2\)$/m);
      const charts = htmlOutputs(bench).join('');
      expect(charts.match(/<svg /g)).toHaveLength(3);
      expect(charts.match(/class="bar"/g)).toHaveLength(6 + 6 + 4);

      const { statuses, score } = checkTable(run, 'factories.check(');
      expect(statuses).toEqual(Object.fromEntries(CHECK_IDS.map((id) => [id, 'passed'])));
      expect(score).toBe(14);
    });
  }, notebookTestLimitMs());
});
