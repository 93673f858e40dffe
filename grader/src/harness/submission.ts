/**
 * Turns what a user names (a folder, a notebook, a .zip or a .tar.gz of either) into a private
 * working copy the checks run in: the submission's files, with the lab's given files replaced by
 * the grader's own copies, and the command of each role (from `rsmlab.json`, or the role's .ts
 * file run with tsx). A notebook's `/** @module NAME *\/` cells are written over the starter's files.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, copyFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import type { LabDef } from '../labs/labDef.ts';
import { RsmlabError, submissionError } from '../errors.ts';
import { exportModules } from '../notebook/moduleCells.ts';
import { starterDir, TSX_LOADER } from '../kitPaths.ts';
import { extractArchive, isArchive } from './archive.ts';
import type { SandboxPolicy } from '../sandbox/sandboxPolicy.ts';
import { readUntrustedFile } from './untrustedFile.ts';
import { grantFolder, grantPassage } from '../sandbox/sandboxAccess.ts';

export interface RoleCommand {
  command: string;
  args: string[];           // the program's own arguments are appended to these
  file?: string;            // the program file, when the kit knows it (checked before launch)
}

/**
 * A role's command words for a process started in another folder than the submission's (a lab 4
 * node runs in its own): every word that names a file of the submission becomes its full path.
 */
export function commandArgsFrom(command: RoleCommand, submissionDir: string): string[] {
  return command.args.map((word) => {
    const path = join(submissionDir, word);
    return !isAbsolute(word) && existsSync(path) ? path : word;
  });
}

export interface Submission {
  source: string;                           // the path the user gave
  dir: string;                              // the working copy the roles run in
  roles: Record<string, RoleCommand>;
  sandbox?: SubmissionSandbox;              // present when the roles run sandboxed
  dispose(): Promise<void>;                 // removes the working copy
}

export interface SubmissionSandbox {
  policy: SandboxPolicy;
  tmpDir: string;                           // the roles' TMPDIR, private to this grading (tsx keeps its cache there)
}

export interface PrepareOptions {
  sandbox?: SandboxPolicy;                  // run the roles under this policy; the copy is made usable by its uid
}

export const MANIFEST_FILE = 'rsmlab.json';
const SKIPPED = new Set(['node_modules', '.git', '.rsmlab']);

export async function prepareSubmission(lab: LabDef, source: string, options: PrepareOptions = {}): Promise<Submission> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw submissionError(`no such file or folder: ${source}`);
  const work = await mkdtemp(join(tmpdir(), `rsmlab-${lab.id}-`));
  const dispose = (): Promise<void> => rm(work, { recursive: true, force: true });
  try {
    const unpacked = join(work, 'unpacked');
    if (info.isDirectory()) await copyFolder(source, unpacked);
    else if (source.endsWith('.ipynb')) await notebookToFolder(lab, source, unpacked);
    else if (isArchive(source)) await extractArchive(source, unpacked);
    else throw submissionError(`${source} is neither a folder, a notebook (.ipynb) nor a .zip, .tar.gz or .tgz archive`);
    await useLoneNotebook(lab, unpacked); // a folder or archive that holds only a notebook
    const dir = await findSubmissionRoot(lab, unpacked, source);
    await installGivenFiles(lab, dir);
    const roles = await roleCommands(lab, dir);
    const sandbox = options.sandbox ? await sandboxFolders(options.sandbox, work, unpacked) : undefined;
    return { source, dir, roles, ...(sandbox ? { sandbox } : {}), dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Lets the sandbox uid use the working copy (see sandboxAccess.ts) and gives it a private TMPDIR. */
async function sandboxFolders(policy: SandboxPolicy, work: string, unpacked: string): Promise<SubmissionSandbox> {
  const tmpDir = join(work, 'tmp');
  await mkdir(tmpDir);
  grantFolder(policy, unpacked);
  grantFolder(policy, tmpDir);
  grantPassage(policy, work);
  return { policy, tmpDir };
}

async function copyFolder(from: string, to: string): Promise<void> {
  await cp(from, to, {
    recursive: true,
    verbatimSymlinks: true, // a link is copied as a link, never followed out of the submission
    filter: (path) => !SKIPPED.has(basename(path)),
  });
}

/** The starter's files, with the notebook's module cells written over them. */
async function notebookToFolder(lab: LabDef, notebook: string, into: string): Promise<void> {
  await cp(starterDir(lab.id), into, { recursive: true, filter: (path) => !SKIPPED.has(basename(path)) });
  try {
    exportModules(notebook, into);
  } catch (error) {
    if (error instanceof RsmlabError) throw submissionError(error.message);
    throw submissionError(`${basename(notebook)} is not a readable notebook (${(error as Error).message})`);
  }
}

/** When `top` holds none of the lab's files but exactly one notebook, grades that notebook. */
async function useLoneNotebook(lab: LabDef, top: string): Promise<void> {
  const entries = await readdir(top, { recursive: true });
  if (entries.some((entry) => labMarkers(lab).includes(basename(entry)))) return;
  const notebooks = entries.filter((entry) => entry.endsWith('.ipynb') && !entry.includes('.ipynb_checkpoints'));
  if (notebooks.length === 1) await notebookToFolder(lab, join(top, notebooks[0] as string), top);
}

const labMarkers = (lab: LabDef): string[] => [MANIFEST_FILE, ...Object.values(lab.roles).map((role) => role.file)];

/** The folder holding the lab's files: the top, or the single sub-folder an archive wraps them in. */
async function findSubmissionRoot(lab: LabDef, top: string, source: string): Promise<string> {
  const markers = labMarkers(lab);
  const holdsLab = (dir: string): boolean => markers.some((file) => existsSync(join(dir, file)));
  let dir = top;
  for (let depth = 0; depth < 3; depth++) {
    if (holdsLab(dir)) return dir;
    const entries = (await readdir(dir, { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.'));
    const only = entries.length === 1 ? entries[0] : undefined;
    if (!only?.isDirectory()) break;
    dir = join(dir, only.name);
  }
  const expected = markers.join(', ');
  throw submissionError(`${source} holds none of the files of ${lab.id} (${expected}); give the folder that contains them`);
}

async function installGivenFiles(lab: LabDef, dir: string): Promise<void> {
  for (const file of lab.givenFiles) {
    await rm(join(dir, file), { force: true }); // a symlink there must not be written through
    await copyFile(join(starterDir(lab.id), file), join(dir, file));
  }
}

/** The command of each role for the programs in `dir` (rsmlab.json first, else the role's .ts file). */
export async function roleCommands(lab: LabDef, dir: string): Promise<Record<string, RoleCommand>> {
  const manifest = await readManifest(lab, dir);
  const roles: Record<string, RoleCommand> = {};
  for (const [name, role] of Object.entries(lab.roles)) {
    const custom = manifest[name];
    roles[name] = custom
      ? { command: custom[0] as string, args: custom.slice(1) }
      : { command: process.execPath, args: ['--import', TSX_LOADER, role.file], file: role.file };
  }
  // Given programs (a given .ts file with a #! line) run the grader's copy with tsx, unless
  // rsmlab.json names another program for that role.
  for (const file of lab.givenFiles.filter((given) => isProgram(join(starterDir(lab.id), given)))) {
    const name = file.replace(/\.ts$/, '');
    if (!manifest[name]) {
      roles[name] = { command: process.execPath, args: ['--import', TSX_LOADER, file], file };
    }
  }
  return roles;
}

const isProgram = (path: string): boolean => path.endsWith('.ts') && readFileSync(path, 'utf8').startsWith('#!');

/** `rsmlab.json`: `{"srv": "python3 srv.py", ...}`; a command is split on spaces (no shell quoting). */
async function readManifest(lab: LabDef, dir: string): Promise<Record<string, string[]>> {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return {};
  const read = await readUntrustedFile(path, 64 * 1024);
  if (read.kind !== 'text') throw submissionError(`${MANIFEST_FILE} was not read: ${read.kind === 'refused' ? read.why : 'it vanished'}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch (error) {
    throw submissionError(`${MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw submissionError(`${MANIFEST_FILE} must be an object mapping a role to its command, e.g. {"srv": "python3 srv.py"}`);
  }
  const commands: Record<string, string[]> = {};
  for (const [role, command] of Object.entries(parsed)) {
    if (!(role in lab.roles)) {
      throw submissionError(`${MANIFEST_FILE} names the role "${role}", but ${lab.id} has only: ${Object.keys(lab.roles).join(', ')}`);
    }
    const words = typeof command === 'string' ? command.trim().split(/\s+/).filter(Boolean) : [];
    if (words.length === 0) throw submissionError(`${MANIFEST_FILE}: the command of "${role}" must be a non-empty string`);
    commands[role] = words;
  }
  return commands;
}
