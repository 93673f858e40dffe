// `rsmlab batch`: a class graded in parallel, each submission in its own process, with the same
// scores as alone; a gradebook, a summary; resumable after an interruption or a lost file.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { zipSync } from 'fflate';
import { lab1Bank } from '../src/labs/lab1-bank/lab.ts';
import { KIT_ROOT, solutionDir } from '../src/kitPaths.ts';
import type { GradescopeResults } from '../src/report/gradescopeResults.ts';
import { discoverSubmissions } from '../src/batch/discoverSubmissions.ts';
import { runGradingChild } from '../src/batch/gradeInChild.ts';
import { BATCH_MARKER, batchMarker, jobMarker, killMarked, markedProcesses } from '../src/batch/markedProcesses.ts';
import { BatchProgress } from '../src/batch/batchProgress.ts';
import type { BatchRow } from '../src/batch/gradebookCsv.ts';
import { buildFixture, gradeFixture, type GradedRun } from './fixtureSubmissions.ts';
import type { GradeResult } from '../src/check/types.ts';
import { batchSandboxUid } from '../src/sandbox/sandboxPolicy.ts';
import { processesOfUid } from '../src/sandbox/sandboxAccess.ts';

// Two fast checks that still tell the submissions apart: no-overdraft fails the first, a
// coordinator that never replies fails the second.
const ONLY = ['lab1.A.one-server', 'lab1.C.fresh-timestamp'];
const TAG = 'RSMLAB_BATCH_TEST';

interface Run { code: number | null; stdout: string; stderr: string }

function startBatch(args: string[], tag: string): { done: Promise<Run>; interrupt(): void; pid: number | undefined } {
  const command = [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), 'batch', ...args];
  const child = spawn(process.execPath, command, { cwd: KIT_ROOT, env: { ...process.env, [TAG]: tag }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { done, interrupt: () => child.kill('SIGINT'), pid: child.pid };
}

const batch = (args: string[], tag = 'batch'): Promise<Run> => startBatch(args, tag).done;

/** Live processes started under this test tag (the batch, its children, and theirs). */
function tagged(tag: string): number[] {
  return execFileSync('sh', ['-c', `grep -lzx '${TAG}=${tag}' /proc/[0-9]*/environ 2>/dev/null || true`], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map((path) => Number(path.split('/')[2]));
}

const readResults = (out: string, name: string): GradescopeResults => JSON.parse(readFileSync(join(out, name, 'results.json'), 'utf8')) as GradescopeResults;
const verdicts = (results: GradescopeResults): string[] => results.tests.map((test) => `${test.number} ${test.status} ${test.score}`);

const scratchDirs: string[] = [];
/** A fresh temporary folder, removed after the tests unless RSMLAB_KEEP_LOGS is set. */
function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}
afterAll(() => {
  if (!process.env.RSMLAB_KEEP_LOGS) for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

let submissions = '';
const sources: Record<string, string> = {};

beforeAll(() => {
  submissions = scratch('rsmlab-batch-subs-');
  cpSync(solutionDir('lab1-bank'), join(submissions, 'alice'), { recursive: true, filter: (path) => !path.endsWith('answers.md') });
  for (const [name, fixture] of [['bob', 'no-overdraft'], ['carol', 'broken-coord-hangs']] as const) {
    const built = buildFixture(lab1Bank, 'lab1', fixture);
    scratchDirs.push(built);
    cpSync(built, join(submissions, name), { recursive: true });
  }
  const alice = join(submissions, 'alice');
  const files = readdirSync(alice, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(alice, path)).isFile());
  writeFileSync(join(submissions, 'dave.zip'), zipSync(Object.fromEntries(files.map((path) => [path, readFileSync(join(alice, path))]))));
  mkdirSync(join(submissions, 'notes'));
  writeFileSync(join(submissions, 'notes', 'README.txt'), 'not a submission\n');
  writeFileSync(join(submissions, 'roster.csv'), 'name,email\n');
  writeFileSync(join(submissions, '.DS_Store'), '');
  for (const name of ['alice', 'bob', 'carol']) sources[name] = join(submissions, name);
  sources.dave = join(submissions, 'dave.zip');
});

describe('rsmlab batch: finding the submissions', () => {
  it('names each entry without its extension, ignores dotfiles, and keeps entries it cannot grade', async () => {
    const entries = await discoverSubmissions(submissions);
    expect(entries.map((entry) => `${entry.name}:${entry.kind}`)).toEqual(['alice:folder', 'bob:folder', 'carol:folder', 'dave:zip', 'notes:folder', 'roster:other']);
  });

  it('refuses a missing or empty folder, and two entries with the same name, with a clear message', async () => {
    const empty = scratch('rsmlab-batch-empty-');
    writeFileSync(join(empty, '.hidden'), '');
    await expect(discoverSubmissions('/no/such/folder')).rejects.toThrow('no such folder: /no/such/folder');
    await expect(discoverSubmissions(empty)).rejects.toThrow('holds no submission');
    writeFileSync(join(empty, 'eve.zip'), '');
    writeFileSync(join(empty, 'eve.tgz'), '');
    await expect(discoverSubmissions(empty)).rejects.toThrow('the same submission name: eve');
    const run = await batch(['lab1', '/no/such/folder', '--out', join(empty, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no such folder');
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 30_000);
});

describe('rsmlab batch: progress', () => {
  const row = (name: string, score: number): BatchRow => ({ name, status: 'ok', message: '', score, max: 100, bonus: 0, checks: new Map() });

  it('redraws one bar in place on a terminal', () => {
    const written: string[] = [];
    const progress = new BatchProgress({ isTTY: true, write: (text) => written.push(text) }, 4);
    progress.finished(row('alice', 87));
    progress.stop();
    expect(written[0]).toBe('\r\u001b[2K[....................] 0/4  ETA --');
    expect(written[1]).toMatch(/^\r\u001b\[2K\[#####\.{15}\] 1\/4  ETA \d+s$/);
    expect(written.at(-1)).toBe('\n');
  });

  it('prints one plain line per submission otherwise', () => {
    const written: string[] = [];
    const progress = new BatchProgress({ isTTY: false, write: (text) => written.push(text) }, 40);
    progress.finished(row('alice', 87));
    progress.stop();
    expect(written).toEqual(['graded alice (87/100) 1/40\n']);
  });
});

describe('rsmlab batch: one grading process per submission', () => {
  it('stops a grading past its wall bound, with everything it started', async () => {
    const dir = scratch('rsmlab-batch-child-');
    const marker = `test-${process.pid}/hang`;
    // A "grader" that starts a process in a group of its own, then hangs.
    const script = `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' }); console.log('started'); setInterval(() => {}, 1000);`;
    // The bound must leave the child time to start and spawn under a loaded machine (1.5 s did not):
    // the test is about what happens past the bound, not about how fast node starts.
    const outcome = await runGradingChild({ command: { command: process.execPath, args: ['-e', script] }, cwd: dir, logFile: join(dir, 'grade.log'), marker, wallBoundMs: 10_000, graceMs: 500 });
    expect(outcome.kind).toBe('timeout');
    expect(readFileSync(join(dir, 'grade.log'), 'utf8')).toContain('started');
    expect(markedProcesses(marker)).toEqual([]);
  }, 30_000);

  it('ends one grading\'s processes without touching those of a submission whose name starts the same', async () => {
    const batch = `test-${process.pid}-names`;
    const start = (name: string): ChildProcess => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      env: { ...process.env, [BATCH_MARKER]: jobMarker(batch, name) }, stdio: 'ignore',
    });
    const [alice, aliceLate] = [start('alice'), start('alice-late')];
    try {
      for (let tries = 0; markedProcesses(batchMarker(batch)).length < 2 && tries < 100; tries++) await sleep(50);
      expect(killMarked(jobMarker(batch, 'alice'))).toBe(1);
      await new Promise((resolve) => alice.once('exit', resolve));
      expect(markedProcesses(batchMarker(batch))).toEqual([aliceLate.pid]);
    } finally {
      killMarked(batchMarker(batch));
    }
  }, 30_000);
});

describe('rsmlab batch lab1 (end to end)', () => {
  const out = join(scratch('rsmlab-batch-out-'), 'graded');

  it('grades a mixed class with two workers: the same verdicts as alone, a gradebook and a summary', async () => {
    const started = Date.now();
    const run = await batch(['lab1', submissions, '--out', out, '--jobs', '2', '--seed', '3', '--only', ONLY.join(',')]);
    expect(run.code, run.stderr).toBe(0);
    console.log(`batch of 6 graded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(run.stderr).toMatch(/^graded alice \(25\/25\) \d\/6$/m);
    expect(run.stderr).toMatch(/^error  roster \(roster\.csv is neither a folder.*\) \d\/6$/m);

    const names = Object.keys(sources);
    const alone = new Map<string, GradeResult>();
    for (let index = 0; index < names.length; index += 2) { // alone, two at a time as in the batch
      const pair = names.slice(index, index + 2);
      const results = await Promise.all(pair.map((name) => gradeFixture(lab1Bank, sources[name] as string, 3, ONLY)));
      pair.forEach((name, at) => alone.set(name, (results[at] as GradedRun).result));
    }
    for (const name of names) {
      const alone1 = alone.get(name) as GradeResult;
      const inBatch = readResults(out, name);
      expect(verdicts(inBatch), name).toEqual(alone1.checks.map((check) => `${check.id} ${check.status} ${check.points}`));
      expect(inBatch.score, name).toBe(alone1.score);
      expect(existsSync(join(out, name, 'grade.log'))).toBe(true);
      expect(existsSync(join(out, name, 'logs'))).toBe(true);
    }
    expect(readResults(out, 'notes').tests.every((test) => test.status === 'failed' && test.output.includes('holds none of the files'))).toBe(true);

    expect(readFileSync(join(out, 'gradebook.csv'), 'utf8')).toBe([
      'submission,score,max,bonus,lab1.A.one-server,lab1.C.fresh-timestamp,status',
      'alice,25,25,0,10,15,ok',
      'bob,15,25,0,0,15,ok',
      'carol,10,25,0,10,0,ok',
      'dave,25,25,0,10,15,ok',
      'notes,0,25,0,0,0,error',
      'roster,0,25,0,0,0,error',
      '',
    ].join('\n'));

    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(run.stdout).toContain(summary);
    expect(summary).toContain('# Batch grading of lab1-bank: 6 submissions');
    expect(summary).toMatch(/^ *25\+ \| #+ +2$/m);
    expect(summary).toMatch(/^10–14 \| #+ +1$/m);
    expect(summary).toContain('Mean 18.8, median 20 over 4 graded submissions.');
    expect(summary).toContain('| lab1.A.one-server | 1 | 25% |');
    expect(summary).toContain('| lab1.C.fresh-timestamp | 1 | 25% |');
    expect(summary).toMatch(/- notes: .*holds none of the files of lab1-bank/);
    expect(summary).toMatch(/- roster: roster\.csv is neither a folder/);
  }, 200_000);

  it('resumes: grades again only the submission whose results.json is gone', async () => {
    const before = Object.fromEntries(['alice', 'carol', 'dave', 'notes', 'roster'].map((name) => [name, statSync(join(out, name, 'results.json')).mtimeMs]));
    rmSync(join(out, 'bob', 'results.json'));
    const run = await batch(['lab1', submissions, '--out', out, '--seed', '3', '--only', ONLY.join(',')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('resuming: 5 of 6 submissions already graded');
    expect(run.stderr.match(/^(graded|error) .*$/gm)).toEqual(['graded bob (15/25) 1/1']);
    for (const [name, mtime] of Object.entries(before)) expect(statSync(join(out, name, 'results.json')).mtimeMs, name).toBe(mtime);
    expect(readFileSync(join(out, 'gradebook.csv'), 'utf8')).toContain('\nbob,15,25,0,0,15,ok\n');
    expect(run.stdout).toContain('1 graded by this run');
  }, 60_000);

  it('on Ctrl-C stops every grading process and what it started, exits 130, and a rerun finishes the rest', async () => {
    const small = scratch('rsmlab-batch-small-');
    for (const name of ['alice', 'bob', 'carol']) cpSync(join(submissions, name), join(small, name), { recursive: true });
    const partial = join(scratch('rsmlab-batch-int-'), 'graded');
    const tag = `interrupt-${process.pid}`;
    const running = startBatch(['lab1', small, '--out', partial, '--jobs', '2', '--seed', '3', '--only', ONLY.join(',')], tag);
    const deadline = Date.now() + 60_000;
    // Wait until the first submission is done and the next ones are being graded, then press Ctrl-C.
    while (!existsSync(join(partial, 'alice', 'results.json')) || !existsSync(join(partial, 'carol', 'grade.log'))) {
      if (Date.now() > deadline) throw new Error('the batch did not get going');
      await sleep(200);
    }
    running.interrupt();
    const run = await running.done;
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain('rerun the same command');
    await sleep(500);
    expect(tagged(tag)).toEqual([]);
    // Sandboxed programs carry no tag (their environment is bare): look for their uids, one per job slot.
    const slotUids = [0, 1].map((slot) => batchSandboxUid(slot, running.pid));
    expect(slotUids.flatMap((uid) => processesOfUid(uid)), `processes of the batch's sandbox uids ${slotUids.join(', ')}`).toEqual([]);
    expect(existsSync(join(partial, 'carol', 'results.json'))).toBe(false);

    const rerun = await batch(['lab1', small, '--out', partial, '--jobs', '2', '--seed', '3', '--only', ONLY.join(',')]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/resuming: [12] of 3/);
    expect(rerun.stderr).not.toContain('graded alice');
    expect(rerun.stderr).toContain('graded carol (10/25)');
    const rowsOf = (csv: string): string[] => csv.split('\n').filter((line) => /^(alice|bob|carol),/.test(line));
    expect(rowsOf(readFileSync(join(partial, 'gradebook.csv'), 'utf8'))).toEqual(rowsOf(readFileSync(join(out, 'gradebook.csv'), 'utf8')));
  }, 150_000);
});
