// `rsmlab gradescope`: the autograder zip, run the way Gradescope runs it against a simulated
// /autograder tree (RSMLAB_AUTOGRADER_ROOT), its results.json checked against Gradescope's documented
// fields; and `--junit` on `check` and `grade`. setup.sh cannot run here (it installs system
// packages as root): it is checked for syntax and for what it must and must not do.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIT_ROOT, solutionDir, starterDir } from '../src/kitPaths.ts';
import { gradescopeCommand } from '../src/cli/commands/gradescope.ts';
import { gradescopeResultsProblems } from '../src/gradescope/resultsSchema.ts';
import { bundleFiles } from '../src/gradescope/bundleFiles.ts';
import { lab1Bank } from '../src/labs/lab1-bank/lab.ts';
import { allElements, parseXml } from './wellFormedXml.ts';

const work = mkdtempSync(join(tmpdir(), 'rsmlab-gradescope-test-'));
const zip = join(work, 'autograder.zip');
const unpacked = join(work, 'unpacked');       // the zip's content, as Gradescope extracts it to /autograder/source

interface GradescopeResults {
  score: number;
  output: string;
  tests: { name: string; number: string; score: number; max_score: number; status: string; output: string; tags: string[] }[];
}

/**
 * A simulated /autograder: source/ is the extracted zip (its node_modules the kit's own, instead of
 * running setup.sh), run_autograder copied to the root as Gradescope does, and the submission.
 */
function autograderTree(submission: (dir: string) => void, source = unpacked): string {
  const root = mkdtempSync(join(work, 'autograder-'));
  symlinkSync(source, join(root, 'source'));
  copyFileSync(join(source, 'run_autograder'), join(root, 'run_autograder'));
  mkdirSync(join(root, 'submission'));
  submission(join(root, 'submission'));
  return root;
}

function runAutograder(root: string, env: Record<string, string> = {}): { code: number | null; stdout: string; results: GradescopeResults } {
  const run = spawnSync(join(root, 'run_autograder'), [], {
    cwd: root,                                   // Gradescope's working directory is /autograder
    env: { ...process.env, RSMLAB_AUTOGRADER_ROOT: root, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  const text = readFileSync(join(root, 'results', 'results.json'), 'utf8');
  const results = JSON.parse(text) as GradescopeResults;
  expect(gradescopeResultsProblems(results), text).toEqual([]);
  return { code: run.status, stdout: `${run.stdout}${run.stderr}`, results };
}

const listFiles = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]);

beforeAll(async () => {
  await gradescopeCommand().parseAsync(['lab1', '--out', zip], { from: 'user' });
  mkdirSync(unpacked);
  execFileSync('unzip', ['-q', zip, '-d', unpacked]);
  symlinkSync(join(KIT_ROOT, 'node_modules'), join(unpacked, 'node_modules'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('rsmlab gradescope: the zip', () => {
  it('holds setup.sh and run_autograder at its root, executable, and the kit beside them', () => {
    const files = listFiles(unpacked).filter((file) => !file.startsWith('node_modules'));
    for (const script of ['setup.sh', 'run_autograder']) {
      expect(files).toContain(script);
      expect(statSync(join(unpacked, script)).mode & 0o111).toBe(0o111);
    }
    for (const needed of ['package.json', 'package-lock.json', 'grader/bin/rsmlab.mjs', 'grader/src/cli/main.ts', 'starter/lab1-bank/srv.ts', 'starter/lab1-bank/clnt.ts']) {
      expect(files).toContain(needed);
    }
  });

  it('holds no solution, answer key, test, fixture or local state', () => {
    const files = listFiles(unpacked).filter((file) => !file.startsWith('node_modules'));
    const forbidden = files.filter((file) =>
      /^solutions\/|^grader\/test\/|\.test\.ts$|fixtures\/|answers\.md$|\.ipynb$|(^|\/)\.git\/|(^|\/)\.rsmlab\/|^starter\/lab2-factory\//.test(file));
    expect(forbidden).toEqual([]);
    // No two consecutive lines that a solution has and its starter has not (a filled-in region)
    // appear together anywhere in the zip. (One such line alone may be common code, e.g. a declaration.)
    const bundled = files.map((file) => readFileSync(join(unpacked, file), 'utf8').split('\n').map((line) => line.trim()).join('\n')).join('\n');
    for (const file of readdirSync(solutionDir('lab1-bank')).filter((name) => name.endsWith('.ts'))) {
      const starter = new Set(readFileSync(join(starterDir('lab1-bank'), file), 'utf8').split('\n').map((line) => line.trim()));
      const lines = readFileSync(join(solutionDir('lab1-bank'), file), 'utf8').split('\n').map((line) => line.trim());
      const pairs = lines.slice(1).map((line, index) => [lines[index] as string, line])
        .filter((pair) => pair.every((line) => line.length > 3 && !starter.has(line)))
        .map((pair) => pair.join('\n'));
      if (!lab1Bank.givenFiles.includes(file)) expect(pairs.length, `${file} fills in regions`).toBeGreaterThan(0);
      expect(pairs.filter((pair) => bundled.includes(pair)), file).toEqual([]);
    }
  });

  it('takes from the kit only what its allow-list names, without tests, local state or data files', () => {
    const kit = mkdtempSync(join(work, 'kit-'));
    const put = (path: string, text = 'x\n'): void => {
      mkdirSync(join(kit, path, '..'), { recursive: true });
      writeFileSync(join(kit, path), text);
    };
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'grader/bin/rsmlab.mjs', 'grader/src/a.ts', 'grader/src/a.test.ts',
      'grader/src/.DS_Store', 'grader/test/b.test.ts', 'starter/lab1-bank/srv.ts', 'starter/lab1-bank/tmp/.gitkeep', 'starter/lab1-bank/tmp/a',
      'starter/lab1-bank/node_modules/x/index.js', 'starter/lab1-bank/.ipynb_checkpoints/y', 'starter/lab1-bank/run.log',
      'starter/lab2-factory/server.ts', 'solutions/lab1-bank/coord.ts', 'handouts/lab1-bank.md', '.git/HEAD']) put(path);
    expect(bundleFiles(lab1Bank, kit).map((file) => file.path)).toEqual([
      'package.json', 'package-lock.json', 'tsconfig.json', 'grader/bin/rsmlab.mjs', 'grader/src/a.ts', 'starter/lab1-bank/srv.ts', 'starter/lab1-bank/tmp/.gitkeep',
    ]);
  });

  it('has a setup.sh that is valid bash and installs Node 20, faketime and the npm dependencies, not Jupyter', () => {
    const setup = join(unpacked, 'setup.sh');
    execFileSync('bash', ['-n', setup]);
    const text = readFileSync(setup, 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toContain('set -euo pipefail');
    expect(text).toMatch(/apt-get install [^\n]*faketime/);
    expect(text).toContain('https://deb.nodesource.com/setup_20.x');
    expect(text).toMatch(/cd "\$source_dir"\nnpm ci /);
    const commands = text.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n');
    expect(commands).not.toMatch(/jupyter|nbconvert|nbclient|pip /i);
    expect(text).not.toMatch(/@[A-Z_]+@/);
    if (spawnSync('shellcheck', ['--version']).status === 0) execFileSync('shellcheck', [setup, join(unpacked, 'run_autograder')]);
  });

  it('has a run_autograder that is valid bash, defaults to /autograder and names the lab', () => {
    const script = join(unpacked, 'run_autograder');
    execFileSync('bash', ['-n', script]);
    const text = readFileSync(script, 'utf8');
    expect(text).toContain('root="${RSMLAB_AUTOGRADER_ROOT:-/autograder}"');
    expect(text).toContain('args=(grade "lab1-bank" "$root/submission" --json "$results")');
    expect(text).not.toMatch(/@[A-Z_]+@/);
  });
});

describe('rsmlab gradescope: run_autograder on a simulated /autograder', () => {
  it('grades the lab1 reference solution: every check passes, bonus included', () => {
    const root = autograderTree((dir) => cpSync(solutionDir('lab1-bank'), dir, { recursive: true }));
    const { code, results } = runAutograder(root);
    expect(code).toBe(0);
    expect(results.tests.map((test) => [test.number, test.status])).toEqual([
      ['lab1.A.one-server', 'passed'], ['lab1.A.two-servers', 'passed'], ['lab1.B.concurrent-clients', 'passed'],
      ['lab1.C.skewed-clocks', 'passed'], ['lab1.C.fresh-timestamp', 'passed'], ['lab1.D.replica-killed', 'passed'], ['lab1.D.replica-rejoins', 'passed'],
    ]);
    expect(results.score).toBe(120);
    expect(results.tests.filter((test) => test.tags.includes('bonus')).map((test) => test.number)).toEqual(['lab1.D.replica-killed', 'lab1.D.replica-rejoins']);
  }, 300_000);

  it('grades the untouched starter (RSMLAB_ONLY=lab1.A,lab1.B): warm-up points, and why the ordering check fails', () => {
    const root = autograderTree((dir) => cpSync(starterDir('lab1-bank'), dir, { recursive: true }));
    const { code, results } = runAutograder(root, { RSMLAB_ONLY: 'lab1.A,lab1.B' });
    expect(code).toBe(0);
    expect(results.tests.map((test) => [test.number, test.status, test.score, test.max_score])).toEqual([
      ['lab1.A.one-server', 'passed', 10, 10], ['lab1.A.two-servers', 'passed', 10, 10], ['lab1.B.concurrent-clients', 'failed', 0, 40],
    ]);
    expect(results.score).toBe(20);
    expect(results.tests[2]?.output).toContain('not implemented');
  }, 300_000);

  it('grades a notebook submission (RSMLAB_ONLY=lab1.A): its module cells are the files, read as JSON', () => {
    const root = autograderTree((dir) => copyFileSync(join(solutionDir('lab1-bank'), 'lab1-bank.ipynb'), join(dir, 'lab1-bank.ipynb')));
    const { code, results } = runAutograder(root, { RSMLAB_ONLY: 'lab1.A' });
    expect(code).toBe(0);
    expect(results.tests.map((test) => [test.number, test.status])).toEqual([['lab1.A.one-server', 'passed'], ['lab1.A.two-servers', 'passed']]);
  }, 300_000);

  it.each([
    ['an empty submission', (): void => {}],
    ['a submission of unrelated files', (dir: string): void => writeFileSync(join(dir, 'notes.txt'), 'my answers are in the mail\n')],
    ['a notebook that is not JSON', (dir: string): void => writeFileSync(join(dir, 'lab1-bank.ipynb'), '\x00\x01 not a notebook')],
  ])('gives %s score 0 and says what to submit', (_name, submission) => {
    const root = autograderTree(submission);
    const { code, results } = runAutograder(root);
    expect(code).toBe(0);
    expect(results.score).toBe(0);
    expect(results.tests).toEqual([]);
    expect(results.output).toMatch(/^Your submission could not be graded: /);
    expect(results.output).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('still writes a valid results.json with score 0 when the grader itself crashes', () => {
    const broken = mkdtempSync(join(work, 'broken-source-'));
    copyFileSync(join(unpacked, 'run_autograder'), join(broken, 'run_autograder'));
    mkdirSync(join(broken, 'grader', 'bin'), { recursive: true });
    writeFileSync(join(broken, 'grader', 'bin', 'rsmlab.mjs'), 'throw new Error("simulated grader crash");\n');
    const root = autograderTree((dir) => cpSync(solutionDir('lab1-bank'), dir, { recursive: true }), broken);
    mkdirSync(join(root, 'results'));
    writeFileSync(join(root, 'results', 'results.json'), '{"score": 1000, "tests": []}'); // stale or forged: never kept
    const { code, stdout, results } = runAutograder(root);
    expect(code).toBe(0);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/^The autograder failed \(status 1\)/);
    expect(results.output).not.toContain('simulated grader crash'); // details go to the instructor's log only
    expect(stdout).toContain('simulated grader crash');
  });
});

describe('--junit', () => {
  const rsmlab = (...args: string[]): number | null =>
    spawnSync(process.execPath, [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), ...args], { cwd: KIT_ROOT, encoding: 'utf8', timeout: 240_000 }).status;

  it('on `check`: one suite, one case per check run, the failing one a <failure>', () => {
    const file = join(work, 'check.xml');
    expect(rsmlab('check', 'lab1', starterDir('lab1-bank'), '--only', 'lab1.A.one-server,lab1.B', '--junit', file)).toBe(1);
    const root = parseXml(readFileSync(file, 'utf8'));
    const suites = allElements(root).filter((element) => element.name === 'testsuite');
    expect(suites.map((suite) => [suite.attributes.name, suite.attributes.tests, suite.attributes.failures])).toEqual([['lab1-bank', '2', '1']]);
    const cases = allElements(root).filter((element) => element.name === 'testcase');
    expect(cases.map((testcase) => [testcase.attributes.classname, testcase.attributes.name, testcase.children.some((c) => c.name === 'failure')])).toEqual([
      ['lab1-bank', 'lab1.A.one-server', false], ['lab1-bank', 'lab1.B.concurrent-clients', true],
    ]);
    for (const testcase of cases) expect(Number(testcase.attributes.time)).toBeGreaterThan(0);
  }, 300_000);

  it('on `grade --repeat 2`: one suite per run', () => {
    const file = join(work, 'grade.xml');
    expect(rsmlab('grade', 'lab1', solutionDir('lab1-bank'), '--only', 'lab1.A.one-server', '--repeat', '2', '--junit', file)).toBe(0);
    expect(existsSync(file)).toBe(true);
    const root = parseXml(readFileSync(file, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '2', failures: '0' });
    expect(allElements(root).filter((element) => element.name === 'testsuite').map((suite) => suite.attributes.name))
      .toEqual(['lab1-bank (run 1, seed 1)', 'lab1-bank (run 2, seed 2)']);
  }, 300_000);
});
