// The rsmlab command as users run it: help, exit codes, clear errors without stack traces, JSON output.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIT_ROOT } from '../src/kitPaths.ts';

function rsmlab(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), ...args], { cwd: KIT_ROOT, encoding: 'utf8', timeout: 240_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const noStackTrace = (text: string): void => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('rsmlab command line', () => {
  it('documents its commands and exit codes', () => {
    const { code, stdout } = rsmlab('--help');
    expect(code).toBe(0);
    for (const command of ['overview', 'run', 'check', 'grade', 'labs', 'docs']) expect(stdout).toContain(command);
    expect(stdout).toContain('Exit codes');
    const grade = rsmlab('grade', '--help');
    expect(grade.stdout).toContain('--repeat');
    expect(grade.stdout).toContain('--json');
    expect(grade.stdout).toContain('lab1.C.skewed-clocks  (25 pts)');
  });

  it.each([
    [['grade', 'lab1'], "missing required argument 'path'"],
    [['grade', 'lab9', '.'], 'there is no lab "lab9"'],
    [['grade', 'lab1', '/no/such/submission'], 'no such file or folder'],
    [['grade', 'lab1', '.', '--seed', 'abc'], 'the seed must be a whole number'],
    [['check', 'lab1', '.', '--only', 'lab1.Z'], 'matches no check'],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('rsmlab %j exits 2 with a clear message', (args, message) => {
    const { code, stderr } = rsmlab(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    noStackTrace(stderr);
  });

  it('accepts a lab by number, short name or folder name', () => {
    for (const name of ['1', 'lab1', 'lab1-bank']) {
      const { code, stderr } = rsmlab('grade', name, '/no/such/submission');
      expect(stderr).not.toContain('there is no lab');
      expect(code).toBe(2);
    }
  });

  it('lists every check with its points', () => {
    const { code, stdout } = rsmlab('labs');
    expect(code).toBe(0);
    expect(stdout).toMatch(/lab1\.B\.concurrent-clients\s+40 pts/);
    expect(stdout).toMatch(/lab1\.D\.replica-rejoins\s+10 pts \[bonus\]/);
  });

  it('keeps the handouts\' rubric tables in step with the checks', () => {
    const { code, stdout, stderr } = rsmlab('docs', '--check');
    expect(code, stdout + stderr).toBe(0);
  });

  it('grade exits 0 and writes Gradescope results; check exits 1 when a required check fails', () => {
    const json = join(mkdtempSync(join(tmpdir(), 'rsmlab-cli-')), 'results.json');
    const graded = rsmlab('grade', 'lab1', 'starter/lab1-bank', '--only', 'lab1.A.one-server,lab1.C.fresh-timestamp', '--json', json);
    expect(graded.code, graded.stderr).toBe(0);
    const results = JSON.parse(readFileSync(json, 'utf8')) as { score: number; tests: { name: string; score: number; max_score: number; status: string; output: string; visibility: string }[] };
    expect(results.score).toBe(10);
    expect(results.tests.map((test) => [test.status, test.score, test.max_score])).toEqual([['passed', 10, 10], ['failed', 0, 15]]);
    expect(results.tests[1]?.output).toContain('Reproduce: npx rsmlab grade lab1 starter/lab1-bank --seed 1 --only lab1.C.fresh-timestamp');
    const checked = rsmlab('check', 'lab1', '--only', 'lab1.C.fresh-timestamp');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('lab1.C.fresh-timestamp');
  });
});
