import { afterAll, describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, symlinkSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { c as createTar } from 'tar';
import { prepareSubmission } from './submission.ts';
import { lab1Bank } from '../labs/lab1-bank/lab.ts';
import { starterDir } from '../kitPaths.ts';

const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rsmlab-submission-test-'));
  scratchDirs.push(dir);
  return dir;
}

function folderWith(files: Record<string, string>): string {
  const dir = scratch();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const errorOf = (promise: Promise<unknown>): Promise<Error> => promise.then(() => new Error('no error'), (error: Error) => error);

describe('submissions', () => {
  it('copies a folder and runs .ts roles with tsx', async () => {
    const source = folderWith({ 'srv.ts': '// srv', 'coord.ts': '// coord' });
    const submission = await prepareSubmission(lab1Bank, source);
    try {
      expect(submission.dir).not.toBe(source);
      expect(readFileSync(join(submission.dir, 'coord.ts'), 'utf8')).toBe('// coord');
      expect(submission.roles.coord?.args.at(-1)).toBe('coord.ts');
      expect(submission.roles.coord?.command).toBe(process.execPath);
    } finally {
      await submission.dispose();
    }
    expect(existsSync(submission.dir)).toBe(false);
  });

  it('replaces given files with the grader\'s own copies', async () => {
    const source = folderWith({ 'srv.ts': '', 'coord.ts': '', 'clnt.ts': '// edited by the student' });
    const submission = await prepareSubmission(lab1Bank, source);
    try {
      expect(readFileSync(join(submission.dir, 'clnt.ts'), 'utf8')).toBe(readFileSync(join(starterDir('lab1-bank'), 'clnt.ts'), 'utf8'));
    } finally {
      await submission.dispose();
    }
  });

  it('unpacks a zip whose files sit in one wrapping folder', async () => {
    const archive = join(scratch(), 'alice.zip');
    writeFileSync(archive, zipSync({ 'alice/srv.ts': strToU8('// srv'), 'alice/coord.ts': strToU8('// coord') }));
    const submission = await prepareSubmission(lab1Bank, archive);
    try {
      expect(readFileSync(join(submission.dir, 'srv.ts'), 'utf8')).toBe('// srv');
    } finally {
      await submission.dispose();
    }
  });

  it('unpacks a .tar.gz', async () => {
    const source = folderWith({ 'bob/srv.ts': '// srv', 'bob/coord.ts': '// coord' });
    const archive = join(scratch(), 'bob.tar.gz');
    await createTar({ gzip: true, file: archive, cwd: source }, ['bob']);
    const submission = await prepareSubmission(lab1Bank, archive);
    try {
      expect(readFileSync(join(submission.dir, 'coord.ts'), 'utf8')).toBe('// coord');
    } finally {
      await submission.dispose();
    }
  });

  it('refuses a zip entry that would land outside the folder', async () => {
    const archive = join(scratch(), 'evil.zip');
    writeFileSync(archive, zipSync({ '../escaped.ts': strToU8('x'), 'srv.ts': strToU8('') }));
    const error = await errorOf(prepareSubmission(lab1Bank, archive));
    expect(error.message).toContain('outside its folder');
  });

  it('runs the commands rsmlab.json names', async () => {
    const source = folderWith({ 'rsmlab.json': '{"srv": "python3 srv.py", "coord": "python3 coord.py"}' });
    const submission = await prepareSubmission(lab1Bank, source);
    try {
      expect(submission.roles.srv).toEqual({ command: 'python3', args: ['srv.py'] });
      expect(submission.roles.clnt?.args.at(-1)).toBe('clnt.ts');
    } finally {
      await submission.dispose();
    }
  });

  it.each([
    ['{not json', 'not valid JSON'],
    ['["python3 srv.py"]', 'must be an object'],
    ['{"server": "python3 srv.py"}', 'names the role "server"'],
    ['{"srv": ""}', 'non-empty string'],
  ])('explains a bad rsmlab.json: %s', async (manifest, message) => {
    const error = await errorOf(prepareSubmission(lab1Bank, folderWith({ 'rsmlab.json': manifest })));
    expect(error.name).toBe('RsmlabError');
    expect(error.message).toContain(message);
  });

  it('explains a missing path, a non-archive file and a folder without the lab\'s files', async () => {
    expect((await errorOf(prepareSubmission(lab1Bank, '/no/such/place'))).message).toContain('no such file or folder');
    const text = join(scratch(), 'notes.txt');
    writeFileSync(text, 'hello');
    expect((await errorOf(prepareSubmission(lab1Bank, text))).message).toContain('is neither a folder, a notebook');
    expect((await errorOf(prepareSubmission(lab1Bank, folderWith({ 'README.md': '' })))).message).toContain('holds none of the files');
  });
});

describe('submissions with links', () => {
  it('never writes a given file through a link the submission planted', async () => {
    const victim = join(scratch(), 'victim.txt');
    writeFileSync(victim, 'precious');
    const source = folderWith({ 'srv.ts': '', 'coord.ts': '' });
    symlinkSync(victim, join(source, 'clnt.ts'));
    const submission = await prepareSubmission(lab1Bank, source);
    try {
      expect(readFileSync(victim, 'utf8')).toBe('precious');
      expect(lstatSync(join(submission.dir, 'clnt.ts')).isSymbolicLink()).toBe(false);
    } finally {
      await submission.dispose();
    }
  });
});

describe('notebook submissions', () => {
  const notebookWith = (cells: string[]): string =>
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map((source) => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null })) });

  it('writes the module cells of a notebook over the starter files', async () => {
    const path = join(scratch(), 'lab1.ipynb');
    writeFileSync(path, notebookWith(['/** @module coord */\nconsole.log("mine");\n', 'const unrelated = 1;']));
    const submission = await prepareSubmission(lab1Bank, path);
    try {
      expect(readFileSync(join(submission.dir, 'coord.ts'), 'utf8')).toContain('console.log("mine");');
      expect(readFileSync(join(submission.dir, 'srv.ts'), 'utf8')).toBe(readFileSync(join(starterDir('lab1-bank'), 'srv.ts'), 'utf8'));
    } finally {
      await submission.dispose();
    }
  });

  it('grades the notebook an archive holds when it holds no program file', async () => {
    const archive = join(scratch(), 'carol.zip');
    writeFileSync(archive, zipSync({ 'carol/lab1-bank.ipynb': strToU8(notebookWith(['/** @module srv */\n// my server\n'])) }));
    const submission = await prepareSubmission(lab1Bank, archive);
    try {
      expect(readFileSync(join(submission.dir, 'srv.ts'), 'utf8')).toContain('// my server');
    } finally {
      await submission.dispose();
    }
  });

  it('explains a notebook without module cells', async () => {
    const path = join(scratch(), 'empty.ipynb');
    writeFileSync(path, notebookWith(['1 + 1']));
    const error = await errorOf(prepareSubmission(lab1Bank, path));
    expect(error.name).toBe('RsmlabError');
    expect(error.message).toContain('@module');
  });
});
