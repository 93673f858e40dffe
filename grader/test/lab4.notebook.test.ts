/**
 * The lab 4 notebook, run for real as a student's "Run all" runs it (Jupyter, the tslab kernel):
 * the starter notebook and the solution notebook, every cell, the check cell included. The facts
 * asserted are those the notebook's text tells the student to look for.
 */
import { describe, expect, it } from 'vitest';
import { lab4Kv } from '../src/labs/lab4-kv/lab.ts';
import type { NotebookRun } from '../src/notebook/executeNotebook.ts';
import { labNotebookPath, solutionNotebookPath } from '../src/notebook/buildNotebooks.ts';
import { cellSource, errorText, htmlOutputs, streamText, type Cell } from '../src/notebook/notebookFile.ts';
import { processesMarked } from './fixtureSubmissions.ts';
import { cellWith, checkTable, expectEveryCheckFailed, markEachTest, judgeNotebook, notebookTestLimitMs, SAVE_WARNING, type RunLimits } from './notebookRun.ts';

const CHECK_IDS = lab4Kv.checks.map((check) => check.id);
const LIMITS: RunLimits = { timeLimitMs: 600_000, cellTimeLimitMs: 360_000 }; // the check cell runs six checks one after another
const NOT_IMPLEMENTED_A = 'HTTP 500 not implemented: proposing a request to the log (handout part A)';

const currentMarker = markEachTest();

/**
 * Every code cell ran, the module cells silently (tslab's complaints about their imports are
 * hidden), and none reported an error. The experiments and the check cell save first, so they may
 * only warn that they could not: nothing saves in a headless run. No process is left behind.
 */
function expectCleanRun(run: NotebookRun): void {
  expect(run.failure?.message).toBeUndefined();
  const moduleCells = run.notebook.cells.filter((cell) => cell.cell_type === 'code' && cellSource(cell).startsWith('/** @module'));
  expect(moduleCells.map((cell) => /@module (\w+)/.exec(cellSource(cell))?.[1])).toEqual(['replication', 'election', 'replicaChoice']);
  for (const cell of run.notebook.cells) {
    if (cell.cell_type !== 'code') continue;
    const source = cellSource(cell);
    expect(cell.execution_count, source).not.toBeNull();
    if (source.includes('saveFirst: true') || source.includes('kv.check(')) expect(errorText(cell), source).toMatch(SAVE_WARNING);
    else expect(errorText(cell), source).toBe('');
  }
  expect(processesMarked(currentMarker())).toEqual([]);
}

/** One row of a workload table: a phase and a side, and what its clients got. */
interface Row {
  phase: number;
  side: string;
  majority: boolean;
  answered: number;
  refused: number;
  unanswered: number;
  text: string;        // the row's cells, for the first refusal
}

/** The cell's only workload table, and its verdict. */
function workload(cell: Cell): { rows: Row[]; linearizable: string } {
  const tables = htmlOutputs(cell).filter((html) => html.includes('<th>answered</th>'));
  expect(tables).toHaveLength(1);
  const html = tables[0] as string;
  const rows = [...html.matchAll(/<tr data-phase="(\d+)" data-side="([\d,]+)" data-majority="(\w+)" data-answered="(\d+)" data-refused="(\d+)" data-unanswered="(\d+)">(.*?)<\/tr>/g)]
    .map(([, phase, side, majority, answered, refused, unanswered, text]): Row => ({
      phase: Number(phase), side: side as string, majority: majority === 'true', answered: Number(answered), refused: Number(refused), unanswered: Number(unanswered), text: text as string,
    }));
  return { rows, linearizable: /data-linearizable="(\w+)"/.exec(html)?.[1] ?? '' };
}

/** Every `leader: ...` line of a cell: a node number, or undefined for none. */
const leaders = (cell: Cell): (number | undefined)[] =>
  [...streamText(cell).matchAll(/^leader: (?:node (\d)|none) \(/gm)].map((match) => (match[1] === undefined ? undefined : Number(match[1])));

/** The lines a client run printed, labelled `clientN|`. */
const clientLines = (cell: Cell, name: string): string[] =>
  [...streamText(cell).matchAll(new RegExp(`^${name}\\| (.*)$`, 'gm'))].map((match) => match[1] as string);

/** The first line matching `pattern` in what the cell printed, after the first line containing `after` if given. */
const line = (cell: Cell, pattern: RegExp, after = ''): RegExpExecArray => {
  const text = streamText(cell);
  const match = pattern.exec(text.slice(Math.max(0, text.indexOf(after))));
  expect(match, `${String(pattern)} in:\n${text}`).not.toBeNull();
  return match as RegExpExecArray;
};

describe('the lab 4 notebook', () => {
  it('starter: every cell runs, every request and client run says what is not implemented, and the check cell shows every check failing', async () => {
    await judgeNotebook(labNotebookPath(lab4Kv), 'lab4 starter', async (run) => {
      expectCleanRun(run);

      // Running the service (Q1): the stub client gives up after the third node's first refusal.
      const running = cellWith(run, "'fruit'");
      for (const client of ['client1', 'client2']) {
        const [said, ended] = clientLines(running, client);
        expect(said, client).toMatch(/^ERROR: not implemented: trying the next host \(handout part C\); 127\.0\.0\.1:\d+ answered HTTP 500 not implemented: /);
        expect(ended, client).toBe('(exited with code 1)');
      }

      // Part A: one node leads (the given election does that much), but every request meets the stub.
      const partA = cellWith(run, 'startNodes(run, 1)');
      expect(streamText(partA)).toContain(`node 0 will not answer: ${NOT_IMPLEMENTED_A}`);
      line(partA, new RegExp(`^set greeting=hello via node 0 → ${escape(NOT_IMPLEMENTED_A)} \\(\\d+ ms\\)$`, 'm'));
      const a = workload(partA);
      expect(a.rows).toEqual([expect.objectContaining({ phase: 0, side: '0', answered: 0 })]);
      expect(a.rows[0]?.refused).toBeGreaterThan(0);
      expect(a.linearizable).toBe('yes'); // no answer claims anything

      // Part B: no leader among several nodes, and the same stub behind every node.
      const killed = cellWith(run, "'color', 'blue'");
      expect(leaders(killed)).toEqual([undefined, undefined]);
      for (const id of [0, 1, 2]) line(killed, new RegExp(`^get color via node ${id} → ${escape(NOT_IMPLEMENTED_A)}`, 'm'));
      const paused = cellWith(run, 'nodes.pause(leader)');
      expect(streamText(paused)).toContain(`node 1 will not answer: ${NOT_IMPLEMENTED_A}`);
      const partitions = workload(cellWith(run, 'nodes.partition('));
      expect(partitions.rows.map((row) => row.phase)).toEqual([0, 1, 1, 2, 3, 3, 4]);
      for (const row of partitions.rows) expect(row, JSON.stringify(row)).toMatchObject({ answered: 0 });

      // Part C: the stub client tries the first host only, and says so.
      const partC = cellWith(run, 'lab.deadHost()');
      for (const client of ['client1', 'client2', 'client3']) {
        const [said, ended] = clientLines(partC, client);
        expect(said, client).toMatch(/^ERROR: not implemented: trying the next host \(handout part C\); 127\.0\.0\.1:\d+: /);
        expect(ended, client).toBe('(exited with code 1)');
      }

      expectEveryCheckFailed(run, 'kv.check(', CHECK_IDS, () => /not implemented: .*\(handout part A\)/);
    }, LIMITS);
  }, notebookTestLimitMs(LIMITS));

  it('solution: every experiment shows what its text says, and the check cell shows full marks', async () => {
    await judgeNotebook(solutionNotebookPath(lab4Kv), 'lab4 solution', async (run) => {
      expectCleanRun(run);

      // Running the service (Q1): one node of three cannot answer, even a get; two of three can.
      const running = cellWith(run, "'fruit'");
      const [refused, gaveUp] = clientLines(running, 'client1');
      expect(refused).toMatch(/^ERROR: no node answered within 10 s; last, 127\.0\.0\.1:\d+/); // a 500, or no answer in the time left
      expect(gaveUp).toBe('(exited with code 1)');
      const ranFor = Number(line(running, /^client1 ran for (\d+\.\d) s$/m)[1]);
      expect(ranFor).toBeGreaterThanOrEqual(9.5);
      expect(ranFor).toBeLessThan(20);
      expect(clientLines(running, 'client2')).toEqual(['fruit=apple', '(exited with code 0)']);

      // Part A: old values in order, the value kept across a crash, a linearizable history with answers.
      const partA = cellWith(run, 'startNodes(run, 1)');
      expect(streamText(partA).match(/^a get through node 0 was answered after \d+\.\d s$/gm)).toHaveLength(2);
      line(partA, /^set greeting=hello via node 0 → greeting=NIL \(\d+ ms\)$/m);
      line(partA, /^set greeting=bonjour via node 0 → greeting=hello \(\d+ ms\)$/m);
      line(partA, /^get nobody\.set\.this via node 0 → nobody\.set\.this=NIL \(\d+ ms\)$/m);
      expect(streamText(partA).match(/^get greeting via node 0 → greeting=bonjour \(\d+ ms\)$/gm)).toHaveLength(2); // before the kill and after the restart
      line(partA, /^node0 +\| \(stopped \(SIGKILL\)\)$/m);
      const a = workload(partA);
      expect(a.rows).toHaveLength(1);
      expect(a.rows[0]?.answered).toBeGreaterThanOrEqual(20);
      expect(a.linearizable).toBe('yes');

      // Part B, the leader killed: identical answers, a new leader answering within seconds, the restarted node up to date.
      const killed = cellWith(run, "'color', 'blue'");
      for (const id of [0, 1, 2]) line(killed, new RegExp(`^get color via node ${id} → color=red \\(\\d+ ms\\)$`, 'm'));
      const [first, second] = leaders(killed);
      expect(first).toBeDefined();
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
      line(killed, new RegExp(`^node ${first} killed \\(SIGKILL\\)$`, 'm'));
      const failover = line(killed, new RegExp(`^a get through node ${((first as number) + 1) % 3} was answered after (\\d+\\.\\d) s$`, 'm'), `node ${first} killed`);
      expect(Number(failover[1])).toBeLessThan(10);
      line(killed, /^set color=blue via node \d → color=red \(\d+ ms\)$/m);
      line(killed, new RegExp(`^get color via node ${first} → color=blue \\(\\d+ ms\\)$`, 'm'));

      // Part B, the leader stopped: another leader meanwhile; once resumed, the old one answers the newer value.
      const paused = cellWith(run, 'nodes.pause(leader)');
      const [before, during, after] = leaders(paused);
      expect(before).toBeDefined();
      expect(during).toBeDefined();
      expect(during).not.toBe(before);
      expect(after).not.toBe(before);
      line(paused, new RegExp(`^set color=green via node ${during} → color=red \\(\\d+ ms\\)$`, 'm'));
      line(paused, new RegExp(`^get color via node ${before} → color=green \\(\\d+ ms\\)$`, 'm'));

      // Part B, partitions: the lone old leader refuses (HTTP 500) while the three others answer; 2 | 2 answers nothing; healed, all answer.
      const partitions = cellWith(run, 'nodes.partition(');
      const { rows, linearizable } = workload(partitions);
      expect(rows.map((row) => row.phase)).toEqual([0, 1, 1, 2, 3, 3, 4]);
      const phase = (index: number): Row[] => rows.filter((row) => row.phase === index);
      const [alone, three] = phase(1) as [Row, Row];
      expect(alone).toMatchObject({ majority: false, answered: 0 });
      expect(alone.side).toMatch(/^\d$/);
      expect(alone.refused).toBeGreaterThan(0);
      expect(alone.text).toContain('HTTP 500');
      expect(three.majority).toBe(true);
      expect(three.answered).toBeGreaterThan(0);
      for (const row of phase(3)) {
        expect(row, JSON.stringify(row)).toMatchObject({ majority: false, answered: 0 });
        expect(row.refused + row.unanswered).toBeGreaterThan(0);
      }
      for (const index of [0, 2, 4]) expect(phase(index)[0]?.answered, `phase ${index}`).toBeGreaterThan(0);
      expect(linearizable).toBe('yes');

      // Part C: past a dead host, past the killed leader, and an ERROR line when nobody answers.
      const partC = cellWith(run, 'lab.deadHost()');
      expect(clientLines(partC, 'client1')).toEqual(['greeting=NIL', '(exited with code 0)']);
      expect(clientLines(partC, 'client2')).toEqual(['greeting=hello', '(exited with code 0)']);
      const [error, ended] = clientLines(partC, 'client3');
      expect(error).toMatch(/^ERROR: /);
      expect(ended).toBe('(exited with code 1)');

      const { statuses, score, timelines } = checkTable(run, 'kv.check(');
      expect(statuses).toEqual(Object.fromEntries(CHECK_IDS.map((id) => [id, 'passed'])));
      expect(score).toBe(100);
      expect(timelines).toEqual([]);
    }, LIMITS);
  }, notebookTestLimitMs(LIMITS));
});

/** `text` as a literal in a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
