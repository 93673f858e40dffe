// `rsmlab release`: the student bundle holds what students need and nothing of the solutions, and
// it installs and checks a lab from a clean copy.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIT_ROOT } from '../src/kitPaths.ts';
import { DEMOS } from '../src/handouts/demoTable.ts';
import { LABS, findLab } from '../src/labs/labRegistry.ts';
import type { LabDef } from '../src/labs/labDef.ts';
import { buildRelease, type ReleaseResult } from '../src/release/buildRelease.ts';
import { findLeaks, searchableText, secretLines, type TextFile } from '../src/release/solutionLeaks.ts';

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs a command without blocking the event loop, so that two can run at once. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, timeout: timeoutMs, killSignal: 'SIGINT' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function rsmlab(args: string[], cwd = KIT_ROOT): Run {
  const result = spawnSync(process.execPath, [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const readBundle = (root: string, files: readonly string[]): TextFile[] =>
  files.map((path) => ({ path, text: searchableText(path, readFileSync(join(root, path))) }));

/** The score row the untouched starter must get for each check: the given parts pass, the rest fail. */
function starterRows(lab: LabDef, passing: (id: string) => boolean): RegExp[] {
  return lab.checks.map((check) => {
    const label = `${check.id}${check.tags.includes('bonus') ? ' (bonus)' : ''}`.replace(/[.()]/g, '\\$&');
    return new RegExp(`^${label}\\s+${passing(check.id) ? check.points : 0}/${check.points}\\s*$`, 'm');
  });
}

let work: string;
let bundle: ReleaseResult;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rsmlab-release-'));
  bundle = await buildRelease({ kitRoot: KIT_ROOT, outDir: join(work, 'bundle'), labs: LABS });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('rsmlab release: what the bundle holds', () => {
  it('holds every lab\'s handout, starter notebook and starter, the grader without tests, and the set-up', () => {
    const files = new Set(bundle.files);
    for (const path of ['README.md', 'package.json', 'package-lock.json', 'tsconfig.json', '.gitignore', 'scripts/setup.sh', 'grader/bin/rsmlab.mjs', 'grader/src/cli/main.ts']) {
      expect(files, path).toContain(path);
    }
    for (const lab of LABS) {
      expect(files).toContain(`handouts/${lab.id}.md`);
      expect(readFileSync(join(bundle.outDir, 'notebooks', `${lab.id}.ipynb`), 'utf8'))
        .toBe(readFileSync(join(KIT_ROOT, 'notebooks', `${lab.id}.ipynb`), 'utf8'));
      for (const file of readdirSync(join(KIT_ROOT, 'starter', lab.id)).filter((name) => name.endsWith('.ts'))) {
        const path = `starter/${lab.id}/${file}`;
        expect(files, path).toContain(path);
        expect(statSync(join(bundle.outDir, path)).mode, `${path} keeps its run bit`).toBe(statSync(join(KIT_ROOT, path)).mode);
      }
    }
    expect(bundle.files.filter((path) => path.startsWith('grader/src/labs/')).length).toBeGreaterThan(20);
  });

  it('holds no solution, answer key, test, fixture, dependency, log or scratch file', () => {
    const forbidden = [
      /^solutions\//, /(^|\/)answers\.md$/i, /^grader\/test\//, /\.test\.ts$/, /(^|\/)fixtures\//, /(^|\/)\.git\//,
      /(^|\/)node_modules\//, /^\.rsmlab\//, /\.log$/, /^scripts\/(?!setup\.sh$)/, /^vitest\.config\.ts$/, /^\.ci\//,
      /\/tmp\/(?!\.gitkeep$)/, /(^|\/)\.ipynb_checkpoints\//,
    ];
    for (const path of bundle.files) for (const pattern of forbidden) expect(path, `${path} matches ${pattern}`).not.toMatch(pattern);
    const onDisk = spawnSync('find', ['.', '-type', 'f'], { cwd: bundle.outDir, encoding: 'utf8' }).stdout.trim().split('\n');
    expect(onDisk.map((path) => path.slice(2)).sort()).toEqual([...bundle.files].sort());
  });

  it('gives away no line of solutions/ (lines of the given files excepted)', () => {
    const secret = secretLines(KIT_ROOT);
    expect(secret.size, 'the solutions hold lines of their own to look for').toBeGreaterThan(200);
    const leaks = findLeaks(secret, readBundle(bundle.outDir, bundle.files));
    expect(leaks).toEqual([]);
  });

  it('would see a solution line, had one slipped in (of a notebook too)', () => {
    const secret = secretLines(KIT_ROOT);
    const [line, from] = [...secret].find(([, file]) => file === 'solutions/lab1-bank/coord.ts') ?? [];
    expect(line).toBeDefined();
    const planted = readBundle(bundle.outDir, ['README.md', 'notebooks/lab1-bank.ipynb']);
    planted[0]!.text += `\n  ${line}\n`;
    expect(findLeaks(secret, planted)).toEqual([{ line, solutionFile: from, bundleFile: 'README.md' }]);
    const solutionNotebook = readBundle(KIT_ROOT, ['solutions/lab2-factory/lab2-factory.ipynb']);
    expect(findLeaks(secret, solutionNotebook).length, 'the solution notebook\'s own lines are found in it').toBeGreaterThan(20);
  });

  it('refuses to write a bundle that would give a solution line away', async () => {
    const kit = join(work, 'kit-with-a-slip');
    for (const path of ['handouts', 'notebooks', 'starter', 'solutions', 'grader/bin', 'grader/src', 'scripts/setup.sh', 'package.json', 'package-lock.json', 'tsconfig.json']) {
      cpSync(join(KIT_ROOT, path), join(kit, path), { recursive: true });
    }
    const [line] = [...secretLines(KIT_ROOT)].find(([, file]) => file === 'solutions/lab2-factory/engineer.ts') ?? [];
    expect(line).toBeDefined();
    const slip = join(kit, 'grader/src/labs/lab2-factory/lab.ts');
    writeFileSync(slip, `${readFileSync(slip, 'utf8')}\n// ${line}\n`);
    const out = join(work, 'not-written');
    await expect(buildRelease({ kitRoot: kit, outDir: out, labs: LABS })).rejects.toThrow(/would give away 1 line\(s\) of the solutions, .* in grader\/src\/labs\/lab2-factory\/lab\.ts; nothing was written/);
    expect(existsSync(out)).toBe(false);
  });

  it('has a student package.json (no test scripts, same dependencies as the lock) and README', () => {
    const kit = JSON.parse(readFileSync(join(KIT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    const student = JSON.parse(readFileSync(join(bundle.outDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(student.scripts as object).sort()).toEqual(['setup', 'start', 'typecheck']);
    expect(student.version).toBe(kit.version);
    expect(student.dependencies).toEqual(kit.dependencies);
    expect(student.devDependencies).toEqual(kit.devDependencies);
    const readme = readFileSync(join(bundle.outDir, 'README.md'), 'utf8');
    expect(readme).toContain(`rsmlab ${String(kit.version)}`);
    for (const lab of LABS) expect(readme).toContain(`starter/${lab.id}/`);
    expect(readme).toContain('npx rsmlab check lab1');
    expect(readme).not.toMatch(/npm test|solutions\/|fixtures/);
  });
});

describe('rsmlab release: the bundle works from a clean copy', () => {
  let copy: string;

  beforeAll(async () => {
    copy = join(work, 'student');
    cpSync(bundle.outDir, copy, { recursive: true });
    const install = await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], copy, 110_000);
    expect(install.code, install.stderr).toBe(0);
  }, 120_000);

  it('runs `rsmlab check` on each lab\'s starter: the given parts pass, the rest fail with exit 1', async () => {
    const [lab1, lab2] = await Promise.all(['lab1', 'lab2'].map((lab) =>
      run(process.execPath, ['grader/bin/rsmlab.mjs', 'check', lab], copy, 110_000)));
    for (const [name, result, passing] of [
      ['lab1', lab1, (id: string): boolean => id.startsWith('lab1.A.')],
      ['lab2', lab2, (): boolean => false],
    ] as const) {
      const lab = findLab(name);
      expect(result?.code, result?.stderr).toBe(1);
      expect(result?.stdout).toMatch(new RegExp(`^check\\s+starter/${lab.id}\\s*$`, 'm'));
      for (const row of starterRows(lab, passing)) expect(result?.stdout).toMatch(row);
      expect(result?.stdout).not.toContain(KIT_ROOT);
    }
  }, 120_000);

  it('builds the handout pages there, demos included', async () => {
    const result = await run(process.execPath, ['grader/bin/rsmlab.mjs', 'handouts', '--out', join(work, 'student-pages')], copy, 60_000);
    expect(result.code, result.stderr).toBe(0);
    for (const lab of LABS) expect(readFileSync(join(work, 'student-pages', `${lab.id}.html`), 'utf8')).toContain('data:text/plain;base64,');
    const handedOut = DEMOS.filter((demo) => LABS.some((lab) => lab.id === demo.lab)).map((demo) => `${demo.name}.cast`);
    expect(readdirSync(join(copy, 'handouts', 'demos')).sort()).toEqual(handedOut.sort()); // the demos of the labs handed out, and no other file
  }, 70_000);

  it('refuses `rsmlab notebooks` there, leaving the student\'s notebook as it is', async () => {
    const notebook = join(copy, 'notebooks', 'lab1-bank.ipynb');
    const edited = readFileSync(notebook, 'utf8').replace('"cells": [', '"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["my notes"]},');
    writeFileSync(notebook, edited);
    const result = await run(process.execPath, ['grader/bin/rsmlab.mjs', 'notebooks'], copy, 60_000);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^rsmlab: `rsmlab notebooks` rebuilds the kit's notebooks from the reference solutions/)]);
    expect(readFileSync(notebook, 'utf8')).toBe(edited);
  }, 70_000);

  it('says which handout is missing when `rsmlab docs` cannot find one, and exits 1', async () => {
    const handout = join(copy, 'handouts', 'lab3-rsm.md');
    renameSync(handout, `${handout}.away`);
    try {
      const result = await run(process.execPath, ['grader/bin/rsmlab.mjs', 'docs', '--check'], copy, 60_000);
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split('\n')).toEqual([`rsmlab: ${handout} is missing; every lab of the kit has its handout there`]);
    } finally {
      renameSync(`${handout}.away`, handout);
    }
  }, 70_000);

  it('type-checks on its own (nothing it imports was left out)', async () => {
    const tsc = await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], copy, 100_000);
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
  }, 110_000);
});

describe('rsmlab release: usage errors', () => {
  it('needs --out, and exits 2 with one line', () => {
    const { code, stdout, stderr } = rsmlab(['release']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^rsmlab: release needs --out DIR/)]);
  });

  it('refuses a folder that is not empty, writes nothing there, and exits 2 with one line', () => {
    const full = join(work, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'mine.json'), '{}\n');
    const { code, stderr } = rsmlab(['release', '--out', full]);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^rsmlab: --out .*full is not empty; give a new or empty folder$/)]);
    expect(readdirSync(full)).toEqual(['mine.json']);
  });

  it('refuses a folder inside what the bundle copies', () => {
    const { code, stderr } = rsmlab(['release', '--out', 'starter/bundle']);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^rsmlab: --out .* is inside the kit's starter\/ folder/)]);
    expect(existsSync(join(KIT_ROOT, 'starter/bundle'))).toBe(false);
  });

  it('writes into a new folder and says where', () => {
    const out = join(work, 'fresh');
    const { code, stdout } = rsmlab(['release', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/wrote the student bundle, \d+ files, to /);
    expect(existsSync(join(out, 'README.md'))).toBe(true);
  });
});
