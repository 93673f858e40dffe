/**
 * `rsmlab submit`: packs exactly the files a lab grades, with a manifest of sizes and SHA-256,
 * refuses a missing file or a type error, and makes an archive the grader reads like the folder.
 */
import { describe, expect, it, afterAll } from 'vitest';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import { x as extractTar } from 'tar';
import { submitCommand } from '../src/cli/commands/submit.ts';
import { buildSubmission, kitVersion, type SubmissionManifest } from '../src/submit/packSubmission.ts';
import { studentFiles, SUBMISSION_MANIFEST } from '../src/submit/submissionFiles.ts';
import { prepareSubmission } from '../src/harness/submission.ts';
import { findLab } from '../src/labs/labRegistry.ts';
import { RsmlabError } from '../src/errors.ts';
import { solutionDir, starterDir, KIT_ROOT } from '../src/kitPaths.ts';
import { gradeFixture } from './fixtureSubmissions.ts';

const lab1 = findLab('lab1');
const lab2 = findLab('lab2');
const scratch = mkdtempSync(join(tmpdir(), 'rsmlab-submit-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
/** A private copy of a folder (symbolic links to given files resolved, as a student has them). */
function copyOf(dir: string): string {
  const copy = join(scratch, `work-${++count}`);
  cpSync(dir, copy, { recursive: true, dereference: true });
  return copy;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const readZip = (archive: string): Record<string, Uint8Array> => unzipSync(readFileSync(archive));

async function readTarGz(archive: string): Promise<Record<string, Uint8Array>> {
  const into = mkdtempSync(join(scratch, 'untar-'));
  await extractTar({ file: archive, cwd: into });
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(into, { recursive: true, withFileTypes: true })) {
    if (name.isFile()) files[relative(into, join(name.parentPath, name.name))] = readFileSync(join(name.parentPath, name.name));
  }
  return files;
}

/** Checks the manifest against the archive's bytes and the folder's; returns it. */
function checkManifest(files: Record<string, Uint8Array>, folder: string, lab: string): SubmissionManifest {
  const manifest = JSON.parse(Buffer.from(files[SUBMISSION_MANIFEST] as Uint8Array).toString('utf8')) as SubmissionManifest;
  expect(manifest.lab).toBe(lab);
  expect(manifest.kitVersion).toBe((JSON.parse(readFileSync(join(KIT_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  expect(manifest.kitVersion).toBe(kitVersion());
  expect(Number.isNaN(Date.parse(manifest.createdAt))).toBe(false);
  expect(manifest.files.map((file) => file.path).sort()).toEqual(Object.keys(files).filter((name) => name !== SUBMISSION_MANIFEST).sort());
  for (const entry of manifest.files) {
    const packed = files[entry.path] as Uint8Array;
    const original = readFileSync(join(folder, entry.path));
    expect(Buffer.from(packed).equals(original), entry.path).toBe(true);
    expect(entry.size).toBe(original.length);
    expect(entry.sha256).toBe(sha256(original));
  }
  return manifest;
}

/** Runs `rsmlab submit ARGS` through the command itself (as main.ts runs it, minus process.exit). */
async function runSubmit(args: string[]): Promise<unknown> {
  const writes: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    await submitCommand().exitOverride().parseAsync(args, { from: 'user' });
    return undefined;
  } catch (error) {
    return error;
  } finally {
    process.stderr.write = write;
  }
}

describe('rsmlab submit: what it packs', () => {
  it('derives the student files from the starter folder minus the given files', async () => {
    expect(await studentFiles(lab1)).toEqual(['coord.ts', 'srv.ts']);
    expect(await studentFiles(lab2)).toEqual(['admin.ts', 'client.ts', 'engineer.ts', 'factoryState.ts']);
  });

  it('packs lab1\'s solution folder: the student files, the answers and the notebook, with a manifest', async () => {
    const folder = copyOf(solutionDir(lab1.id));
    const out = join(scratch, 'lab1.zip');
    const result = await buildSubmission({ lab: lab1, dir: folder, out });
    const files = readZip(out);
    expect(Object.keys(files).sort()).toEqual(['answers.md', 'coord.ts', 'lab1-bank.ipynb', SUBMISSION_MANIFEST, 'srv.ts']);
    expect(checkManifest(files, folder, lab1.id).kind).toBe('typescript');
    expect(result.warnings).toEqual([]);
  });

  it('packs lab2\'s solution folder into a .tar.gz, leaving out every given file', async () => {
    const folder = copyOf(solutionDir(lab2.id));
    const out = join(scratch, 'lab2.tar.gz');
    await buildSubmission({ lab: lab2, dir: folder, out });
    const files = await readTarGz(out);
    expect(Object.keys(files).sort()).toEqual(
      ['admin.ts', 'answers.md', 'client.ts', 'engineer.ts', 'factoryState.ts', 'lab2-factory.ipynb', SUBMISSION_MANIFEST]);
    checkManifest(files, folder, lab2.id);
  });

  it('warns when ANSWERS.md is missing or given code was edited, and packs a helper the student files import', async () => {
    const folder = copyOf(starterDir(lab1.id));
    appendFileSync(join(folder, 'clnt.ts'), '// my change\n');
    writeFileSync(join(folder, 'retry.ts'), 'export const RETRIES: number = 3;\n');
    appendFileSync(join(folder, 'coord.ts'), "import { RETRIES } from './retry.ts';\nvoid RETRIES;\n");
    const out = join(scratch, 'helper.zip');
    const result = await buildSubmission({ lab: lab1, dir: folder, out });
    expect(Object.keys(readZip(out)).sort()).toEqual(['coord.ts', 'retry.ts', SUBMISSION_MANIFEST, 'srv.ts']);
    expect(result.warnings.join('\n')).toMatch(/no ANSWERS\.md/);
    expect(result.warnings.join('\n')).toMatch(/also packing retry\.ts/);
    expect(result.warnings.join('\n')).toMatch(/clnt\.ts is given code and differs from the kit's copy/);
  });

  it('with --notebook, packs the notebook\'s module cells as the files, and the notebook', async () => {
    const folder = copyOf(starterDir(lab1.id));
    const notebook = join(copyOf(solutionDir(lab1.id)), 'lab1-bank.ipynb');
    const out = join(scratch, 'notebook.zip');
    await buildSubmission({ lab: lab1, dir: folder, out, notebook });
    const files = readZip(out);
    expect(Object.keys(files).sort()).toEqual(['coord.ts', 'lab1-bank.ipynb', SUBMISSION_MANIFEST, 'srv.ts']);
    const packedCoord = Buffer.from(files['coord.ts'] as Uint8Array).toString('utf8');
    const solutionBody = readFileSync(join(solutionDir(lab1.id), 'coord.ts'), 'utf8').replace(/^#!.*\n/, '');
    expect(packedCoord).toContain(solutionBody);
  });

  it('packs a rsmlab.json submission whole, without build junk or given files', async () => {
    const folder = join(scratch, 'python');
    mkdirSync(join(folder, '__pycache__'), { recursive: true });
    mkdirSync(join(folder, 'bank'), { recursive: true });
    mkdirSync(join(folder, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(folder, 'rsmlab.json'), '{"srv": "python3 srv.py", "coord": "python3 coord.py"}\n');
    for (const file of ['srv.py', 'coord.py', 'bank/ledger.py', '__pycache__/srv.cpython-311.pyc', 'node_modules/x/index.js', 'clnt.ts', 'old.zip']) {
      writeFileSync(join(folder, file), `# ${file}\n`);
    }
    const out = join(scratch, 'python.zip');
    await buildSubmission({ lab: lab1, dir: folder, out });
    const files = readZip(out);
    expect(Object.keys(files).sort()).toEqual(['bank/ledger.py', 'coord.py', SUBMISSION_MANIFEST, 'rsmlab.json', 'srv.py']);
    expect(checkManifest(files, folder, lab1.id).kind).toBe('manifest');
    const submission = await prepareSubmission(lab1, out);
    try {
      expect(submission.roles.srv).toEqual({ command: 'python3', args: ['srv.py'] });
      expect(submission.roles.coord).toEqual({ command: 'python3', args: ['coord.py'] });
    } finally {
      await submission.dispose();
    }
  });
});

describe('rsmlab submit: refusals (exit 2, one line)', () => {
  it('refuses when coord.ts is missing, naming the file and what to do', async () => {
    const folder = copyOf(solutionDir(lab1.id));
    rmSync(join(folder, 'coord.ts'));
    const out = join(scratch, 'missing.zip');
    const error = await runSubmit(['lab1', folder, '--out', out]);
    expect(error).toBeInstanceOf(RsmlabError);
    expect((error as RsmlabError).code).toBe('SUBMISSION'); // main.ts maps it to exit code 2
    expect((error as RsmlabError).message).toMatch(/coord\.ts is missing \(the grader runs it as the coord role\); copy it from .*starter\/lab1-bank\/coord\.ts/);
    expect((error as RsmlabError).message).not.toContain('\n');
    expect(readdirSync(scratch)).not.toContain('missing.zip');
  });

  it('refuses a file with a type error, naming file:line', async () => {
    const folder = copyOf(solutionDir(lab2.id));
    const line = readFileSync(join(folder, 'engineer.ts'), 'utf8').split('\n').length;
    appendFileSync(join(folder, 'engineer.ts'), "export const broken: number = 'not a number';\n");
    const error = await runSubmit(['lab2', folder, '--out', join(scratch, 'broken.zip')]);
    expect(error).toBeInstanceOf(RsmlabError);
    expect((error as RsmlabError).code).toBe('SUBMISSION');
    expect((error as RsmlabError).message).toMatch(new RegExp(`^engineer\\.ts does not compile: engineer\\.ts:${line}:\\d+ TS2322: `));
    expect((error as RsmlabError).message).not.toContain('\n');
  });

  it('refuses an archive name it cannot write', async () => {
    const error = await runSubmit(['lab1', copyOf(solutionDir(lab1.id)), '--out', join(scratch, 'x.rar')]);
    expect((error as RsmlabError).code).toBe('USAGE');
  });
});

describe('rsmlab submit: the archive is graded like the folder', () => {
  it('prepareSubmission gives the same roles and the same program files for the folder and its archive', async () => {
    for (const [lab, out] of [[lab1, 'same1.zip'], [lab2, 'same2.tar.gz']] as const) {
      const folder = copyOf(solutionDir(lab.id));
      await buildSubmission({ lab, dir: folder, out: join(scratch, out) });
      const fromFolder = await prepareSubmission(lab, folder);
      const fromArchive = await prepareSubmission(lab, join(scratch, out));
      try {
        expect(fromArchive.roles).toEqual(fromFolder.roles);
        for (const file of [...(await studentFiles(lab)), ...lab.givenFiles]) {
          expect(readFileSync(join(fromArchive.dir, file), 'utf8'), file).toBe(readFileSync(join(fromFolder.dir, file), 'utf8'));
        }
      } finally {
        await fromFolder.dispose();
        await fromArchive.dispose();
      }
    }
  });

  it('grading the archive and the folder with one fast check gives the same verdict', async () => {
    const folder = copyOf(solutionDir(lab1.id));
    const out = join(scratch, 'graded.zip');
    await buildSubmission({ lab: lab1, dir: folder, out });
    const only = ['lab1.A.one-server'];
    const [fromFolder, fromArchive] = [await gradeFixture(lab1, folder, 1, only), await gradeFixture(lab1, out, 1, only)];
    const verdicts = (run: typeof fromFolder): unknown => run.result.checks.map((check) => [check.id, check.status, check.points, check.maxPoints]);
    expect(verdicts(fromArchive)).toEqual(verdicts(fromFolder));
    expect(fromArchive.result.checks.map((check) => check.status)).toEqual(['passed']);
    expect([...fromFolder.leftovers, ...fromArchive.leftovers]).toEqual([]);
  });
});
