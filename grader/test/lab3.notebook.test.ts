/**
 * The lab 3 notebook, run for real as a student's "Run all" runs it (Jupyter, the tslab kernel):
 * the starter notebook and the solution notebook, every cell, the check cell included. The facts
 * asserted are those the notebook's text tells the student to look for.
 */
import { describe, expect, it } from 'vitest';
import { lab3Rsm } from '../src/labs/lab3-rsm/lab.ts';
import type { NotebookRun } from '../src/notebook/executeNotebook.ts';
import { labNotebookPath, solutionNotebookPath } from '../src/notebook/buildNotebooks.ts';
import { cellSource, errorText, htmlOutputs, streamText, type Cell } from '../src/notebook/notebookFile.ts';
import { processesMarked } from './fixtureSubmissions.ts';
import { cellWith, checkTable, expectEveryCheckFailed, markEachTest, judgeNotebook, notebookTestLimitMs, SAVE_WARNING } from './notebookRun.ts';

const CHECK_IDS = lab3Rsm.checks.map((check) => check.id);

const currentMarker = markEachTest();

/**
 * Every code cell ran, the module cells silently (tslab's complaints about their imports are
 * hidden), and none reported an error. The experiments and the check cell save first, so they may
 * only warn that they could not: nothing saves in a headless run. No process is left behind.
 */
function expectCleanRun(run: NotebookRun): void {
  expect(run.failure?.message).toBeUndefined();
  const moduleCells = run.notebook.cells.filter((cell) => cell.cell_type === 'code' && cellSource(cell).startsWith('/** @module'));
  expect(moduleCells.map((cell) => /@module (\w+)/.exec(cellSource(cell))?.[1])).toEqual(['rsmServer', 'rsmClient']);
  for (const cell of run.notebook.cells) {
    if (cell.cell_type !== 'code') continue;
    const source = cellSource(cell);
    expect(cell.execution_count, source).not.toBeNull();
    if (source.includes('saveFirst: true') || source.includes('rsm.check(')) expect(errorText(cell), source).toMatch(SAVE_WARNING);
    else expect(errorText(cell), source).toBe('');
  }
  expect(processesMarked(currentMarker())).toEqual([]);
}

/** One row of a replicas table (showReplicas): what the replica answered, or `down`. */
interface Row {
  replica: number;
  down: boolean;
  master?: string;
  replicas?: string;
  seq?: number;
  locks?: number;
  clients?: number;
  digest?: string;
}

/** The replicas tables of a cell, in order, each as its verdict and its rows. */
function replicaTables(cell: Cell): { verdict: string; rows: Row[] }[] {
  return htmlOutputs(cell).filter((html) => html.includes('<th>dump digest</th>')).map((html) => ({
    verdict: /data-verdict="(\w+)"/.exec(html)?.[1] ?? '',
    rows: [...html.matchAll(/<tr data-replica="(\d+)" ([^>]*)>/g)].map(([, replica, rest = '']): Row => {
      const attribute = (name: string): string | undefined => new RegExp(`data-${name}="([^"]*)"`).exec(rest)?.[1];
      if (attribute('down') === 'true') return { replica: Number(replica), down: true };
      return {
        replica: Number(replica),
        down: false,
        master: attribute('master'),
        replicas: attribute('replicas'),
        seq: Number(attribute('seq')),
        locks: Number(attribute('locks')),
        clients: Number(attribute('clients')),
        digest: attribute('digest'),
      };
    }),
  }));
}

/** The cell's only replicas table. */
function replicaTable(cell: Cell): { verdict: string; rows: Row[] } {
  const tables = replicaTables(cell);
  expect(tables).toHaveLength(1);
  return tables[0] as { verdict: string; rows: Row[] };
}

/** The last line each tester printed before it ended, and how it ended. */
function testerEnd(cell: Cell, name: string): { last: string; how: string } {
  const lines = [...streamText(cell).matchAll(new RegExp(`^${name} +\\| (.*)$`, 'gm'))].map((match) => match[1] as string);
  return { last: lines.at(-2) ?? '', how: lines.at(-1) ?? '' };
}

const DONE = (ops: number): RegExp => new RegExp(`^DONE ${ops} operations in \\d+ ms$`);

describe('the lab 3 notebook', () => {
  it('starter: every cell runs, the testers and the join say what is not implemented, and the check cell shows every check failing', async () => {
    await judgeNotebook(labNotebookPath(lab3Rsm), 'lab3 starter', async (run) => {
      expectCleanRun(run);
      const notImplemented = 'ERROR not implemented: ordering client requests (handout part A)';

      // Part A: the testers stop at their first request; the replicas, given code around the stubs, answer members and dump.
      const partA = cellWith(run, "['config', String(id)], `t${id}`)");
      for (const tester of ['t1', 't2']) expect(testerEnd(partA, tester)).toEqual({ last: notImplemented, how: '(exited with code 1)' });
      expect(streamText(partA)).toMatch(/^reply: \{"id":1,"ok":false,"error":"NOT_IMPLEMENTED","message":"not implemented: ordering client requests \(handout part A\)"\}$/m);
      const fresh = (replica: number): Row => expect.objectContaining({ replica, down: false, master: '0', replicas: '0,1,2', seq: 0, locks: 0, clients: 0 }) as Row;
      expect(replicaTable(partA)).toEqual({ verdict: 'identical', rows: [fresh(0), fresh(1), fresh(2)] });

      // Parts B and C: the testers end before the replica to kill is reached; the given heartbeats still elect replica 1.
      const partB = cellWith(run, "run.kill('r2')");
      expect(streamText(partB)).toContain('the testers ended before replica 0 has executed seq 300 (seq 0, master 0)');
      expect(replicaTable(partB)).toEqual({ verdict: 'identical', rows: [fresh(0), fresh(1), { replica: 2, down: true }] });
      const partC = cellWith(run, "run.kill('r0')");
      expect(streamText(partC)).toMatch(/^replica 1 names replica 1 as master, after \d+\.\d s \(seq 0, master 1\)$/m);
      expect(streamText(partC)).toMatch(/^replica 2 names replica 1 as master, after \d+\.\d s \(seq 0, master 1\)$/m);
      const electedBy = (replica: number): Row => expect.objectContaining({ replica, master: '1', seq: 0 }) as Row;
      expect(replicaTable(partC)).toEqual({ verdict: 'identical', rows: [{ replica: 0, down: true }, electedBy(1), electedBy(2)] });

      // Part D: the joining replica exits, saying which part is missing.
      const partD = cellWith(run, 'lab.joinReplica(');
      expect(streamText(partD)).toContain('the testers ended before replica 0 has executed seq 100 (seq 0, master 0)');
      expect(streamText(partD)).toMatch(/^replica 2 did not join: r2 exited with code 1 before printing 'Listening on port N \.\.\.'\.\n(?:.*\n)*.*not implemented: joining a running group \(handout part D\)/m);
      expect(replicaTable(partD)).toEqual({ verdict: 'identical', rows: [fresh(0), fresh(1), { replica: 2, down: true }] });

      expectEveryCheckFailed(run, 'rsm.check(', CHECK_IDS, (id) => (id.startsWith('lab3.D.') ? undefined : /not implemented: .*\(handout part A\)/));
    });
  }, notebookTestLimitMs());

  it('solution: every experiment shows what its text says, and the check cell shows full marks', async () => {
    await judgeNotebook(solutionNotebookPath(lab3Rsm), 'lab3 solution', async (run) => {
      expectCleanRun(run);

      // Part A: both testers done; replica 1 refuses an invoke; three identical dumps, no lock held, one client per locker.
      const partA = cellWith(run, "['config', String(id)], `t${id}`)");
      for (const tester of ['t1', 't2']) {
        const { last, how } = testerEnd(partA, tester);
        expect(last, tester).toMatch(DONE(160));
        expect(how, tester).toBe('(exited with code 0)');
      }
      expect(streamText(partA)).toMatch(/^reply: \{"id":1,"ok":false,"result":\{"master":0\},"error":"NOT_MASTER","message":".*"\}$/m);
      const a = replicaTable(partA);
      expect(a.verdict).toBe('identical');
      expect(a.rows.map((row) => row.replica)).toEqual([0, 1, 2]);
      for (const row of a.rows) {
        expect(row).toMatchObject({ down: false, master: '0', replicas: '0,1,2', locks: 0, clients: 8, digest: a.rows[0]?.digest });
        expect(row.seq).toBeGreaterThanOrEqual(320);
      }

      // Part B: replica 2 killed mid-run; the testers finish; replicas 0 and 1 equal, replica 0 going on without 2.
      const partB = cellWith(run, "run.kill('r2')");
      expect(streamText(partB)).toMatch(/^replica 0 has executed seq 300, after \d+\.\d s \(seq \d+, master 0\)$/m);
      expect(streamText(partB)).toMatch(/^r0 +\| rsm 0: dropped replica 2: /m);
      expect(streamText(partB)).toMatch(/^r2 +\| \(stopped \(SIGKILL\)\)$/m);
      for (const tester of ['t1', 't2']) expect(testerEnd(partB, tester)).toEqual({ last: expect.stringMatching(DONE(1600)) as string, how: '(exited with code 0)' });
      const b = replicaTable(partB);
      expect(b.verdict).toBe('identical');
      expect(b.rows.map((row) => (row.down ? 'down' : `${row.master}:${row.replicas}`))).toEqual(['0:0,1', '0:0,1,2', 'down']);
      expect(b.rows[0]).toMatchObject({ locks: 0, clients: 8, digest: b.rows[1]?.digest });
      expect(b.rows[0]?.seq).toBeGreaterThan(300);

      // Part C: the master killed mid-run; replica 1 takes over after the heartbeats' timeout; replicas 1 and 2 equal.
      const partC = cellWith(run, "run.kill('r0')");
      const failover = /^replica 1 names replica 1 as master, after (\d+\.\d) s \(seq \d+, master 1\)$/m.exec(streamText(partC));
      expect(failover, streamText(partC)).not.toBeNull();
      expect(Number(failover?.[1])).toBeGreaterThanOrEqual(1.0); // a replica is down after 1.5 s without an answer
      expect(Number(failover?.[1])).toBeLessThan(15);
      expect(streamText(partC)).toMatch(/^replica 2 names replica 1 as master, after \d+\.\d s \(seq \d+, master 1\)$/m);
      for (const tester of ['t1', 't2']) expect(testerEnd(partC, tester)).toEqual({ last: expect.stringMatching(DONE(1600)) as string, how: '(exited with code 0)' });
      const c = replicaTable(partC);
      expect(c.verdict).toBe('identical');
      expect(c.rows.map((row) => (row.down ? 'down' : `${row.master}:${row.replicas}`))).toEqual(['down', '1:1,2', '1:0,1,2']);
      expect(c.rows[1]).toMatchObject({ locks: 0, clients: 8, digest: c.rows[2]?.digest });

      // Part D: replica 2 joins in the middle of the run and ends with the same dump as the others.
      const partD = cellWith(run, 'lab.joinReplica(');
      expect(streamText(partD)).toMatch(/^r2 +\| Listening on port \d+ \.\.\.$/m);
      const joinedAt = Number(/^replica 2 has joined: right after, its dump has seq (\d+)$/m.exec(streamText(partD))?.[1]);
      expect(joinedAt).toBeGreaterThanOrEqual(100);
      for (const tester of ['t1', 't2']) expect(testerEnd(partD, tester)).toEqual({ last: expect.stringMatching(DONE(3200)) as string, how: '(exited with code 0)' });
      const d = replicaTable(partD);
      expect(d.verdict).toBe('identical');
      expect(d.rows.map((row) => `${row.master}:${row.replicas}`)).toEqual(['0:0,1,2', '0:0,1,2', '0:0,1,2']);
      for (const row of d.rows) expect(row).toMatchObject({ locks: 0, clients: 8, digest: d.rows[0]?.digest });
      expect(d.rows[2]?.seq).toBeGreaterThan(joinedAt); // requests reached replica 2 by `replicate` after its join

      const { statuses, score, timelines } = checkTable(run, 'rsm.check(');
      expect(statuses).toEqual(Object.fromEntries(CHECK_IDS.map((id) => [id, 'passed'])));
      expect(score).toBe(120);
      expect(timelines).toEqual([]);
    });
  }, notebookTestLimitMs());
});
