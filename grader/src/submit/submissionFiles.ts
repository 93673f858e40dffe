/**
 * Which files `rsmlab submit` packs, and from where.
 *
 * - A TypeScript submission (no `rsmlab.json`): the lab's student files, i.e. the files of the
 *   starter folder that are not given files (lab1: coord.ts, srv.ts); the other `.ts` files they
 *   import from the folder (`./name.ts`, a student's own helpers); `ANSWERS.md` when present; the
 *   notebook. With `--notebook`, the notebook's `/** @module NAME *\/` cells are written over the
 *   folder's files first, as `rsmlab grade LAB NOTEBOOK` does over the starter. The files are
 *   staged in a temporary folder next to the grader's own given files, where they are type-checked.
 * - A submission with `rsmlab.json` (another language): `rsmlab.json` and every file under the
 *   folder except build and editor junk (JUNK below); it is not compiled.
 * Given files are never packed: the grader uses its own copies.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { LabDef } from '../labs/labDef.ts';
import { RsmlabError, submissionError } from '../errors.ts';
import { starterDir } from '../kitPaths.ts';
import { MANIFEST_FILE, roleCommands } from '../harness/submission.ts';
import { exportModules, findModuleCells } from '../notebook/moduleCells.ts';
import { readNotebook } from '../notebook/notebookFile.ts';
import { isArchive } from '../harness/archive.ts';
import { relativeImports } from './typeCheck.ts';

export interface PackedFile {
  path: string;   // the name inside the archive, with '/' separators, e.g. 'coord.ts'
  from: string;   // where its bytes are read from
}

export interface SubmissionPlan {
  kind: 'typescript' | 'manifest';
  files: PackedFile[];        // sorted by path
  stage?: string;             // typescript: the staged .ts files plus the given files, to type-check
  warnings: string[];         // things the student should know; packing goes on
  dispose(): Promise<void>;   // removes the staging folder
}

/** Names skipped anywhere under a `rsmlab.json` submission: dependencies, builds, caches, our own output. */
const JUNK_NAMES = new Set(['node_modules', '.git', '.rsmlab', '.ipynb_checkpoints', '__pycache__', '.venv', 'venv',
  'target', 'build', 'dist', 'tmp', '.DS_Store', '.idea', '.vscode']);
const JUNK_SUFFIXES = ['.pyc', '.class', '.o', '.log', '~'];
const isJunk = (name: string): boolean => JUNK_NAMES.has(name) || JUNK_SUFFIXES.some((suffix) => name.endsWith(suffix)) || isArchive(name);

const ANSWERS = /^answers\.md$/i;

/** The manifest `rsmlab submit` writes into the archive; the grader ignores it. */
export const SUBMISSION_MANIFEST = 'rsmlab-submission.json';

/** The files students complete: the starter's files that are not given files, e.g. ['coord.ts', 'srv.ts']. */
export async function studentFiles(lab: LabDef): Promise<string[]> {
  const entries = await readdir(starterDir(lab.id), { withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && !lab.givenFiles.includes(entry.name)).map((entry) => entry.name).sort();
}

export async function planSubmission(lab: LabDef, dir: string, notebook: string | undefined): Promise<SubmissionPlan> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw submissionError(`no such folder: ${dir}; give the folder holding your files for ${lab.id}`);
  if (notebook !== undefined && !existsSync(notebook)) throw submissionError(`no such notebook: ${notebook}`);
  return existsSync(join(dir, MANIFEST_FILE)) ? planManifest(lab, dir, notebook) : planTypeScript(lab, dir, notebook);
}

async function planTypeScript(lab: LabDef, dir: string, notebook: string | undefined): Promise<SubmissionPlan> {
  const stage = await mkdtemp(join(tmpdir(), `rsmlab-submit-${lab.id}-`));
  const dispose = (): Promise<void> => rm(stage, { recursive: true, force: true });
  try {
    const warnings: string[] = [];
    const wanted = await studentFiles(lab);
    for (const file of wanted) if (existsSync(join(dir, file))) await copyFile(join(dir, file), join(stage, file));
    const fromNotebook = notebook === undefined ? [] : exportNotebook(notebook, stage);
    const missing = wanted.find((file) => !existsSync(join(stage, file)));
    if (missing) throw missingFileError(lab, dir, missing, notebook);
    const packedTs = new Set([...wanted, ...fromNotebook].filter((file) => file.endsWith('.ts') && !lab.givenFiles.includes(file)));
    for (const extra of await importedExtras(lab, dir, stage, [...packedTs])) {
      packedTs.add(extra);
      if (!wanted.includes(extra) && !fromNotebook.includes(extra)) warnings.push(`also packing ${extra}, which your files import`);
    }
    for (const file of lab.givenFiles) {
      if (existsSync(join(dir, file)) && !sameBytes(join(dir, file), join(starterDir(lab.id), file))) {
        warnings.push(`${file} is given code and differs from the kit's copy: the grader uses its own copy, so your changes to it are not submitted`);
      }
      await rm(join(stage, file), { force: true });
      await copyFile(join(starterDir(lab.id), file), join(stage, file));
    }
    const files: PackedFile[] = [...packedTs, ...wanted.filter((file) => !file.endsWith('.ts'))].map((path) => ({ path, from: join(stage, path) }));
    const answers = (await readdir(dir)).find((name) => ANSWERS.test(name));
    if (answers) files.push({ path: answers, from: join(dir, answers) });
    else warnings.push(`no ANSWERS.md in ${dir}: your answers to the handout's questions are graded from it; packing without it`);
    const presentNotebook = join(dir, `${lab.id}.ipynb`);
    const packedNotebook = notebook ?? (existsSync(presentNotebook) ? presentNotebook : undefined);
    if (packedNotebook) {
      files.push({ path: basename(packedNotebook), from: packedNotebook });
      if (notebook === undefined) warnings.push(...notebookDrift(packedNotebook, stage, packedTs));
    }
    return { kind: 'typescript', files: sortByPath(files), stage, warnings, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Writes the notebook's module cells into `stage`; returns the file names written. */
function exportNotebook(notebook: string, stage: string): string[] {
  try {
    return exportModules(notebook, stage).map((path) => basename(path));
  } catch (error) {
    if (error instanceof RsmlabError) throw submissionError(error.message);
    throw submissionError(`${notebook} is not a readable notebook (${(error as Error).message})`);
  }
}

const sameBytes = (a: string, b: string): boolean => readFileSync(a).equals(readFileSync(b));

function missingFileError(lab: LabDef, dir: string, file: string, notebook: string | undefined): Error {
  const role = Object.entries(lab.roles).find(([, def]) => def.file === file)?.[0];
  const why = role ? `the grader runs it as the ${role} role` : `the lab's programs import it`;
  const where = notebook ? `neither ${join(dir, file)} exists nor has ${notebook} a /** @module ${file.replace(/\.ts$/, '')} */ cell` : `${join(dir, file)} is missing`;
  const starterCopy = join(starterDir(lab.id), file);
  const shown = relative(process.cwd(), starterCopy).startsWith('..') ? starterCopy : relative(process.cwd(), starterCopy);
  return submissionError(`${where} (${why}); copy it from ${shown}, complete it, and submit again`);
}

/** The `.ts` files the packed ones import (transitively) from the folder that are neither packed nor given. */
async function importedExtras(lab: LabDef, dir: string, stage: string, packed: string[]): Promise<string[]> {
  const seen = new Set(packed);
  const extras: string[] = [];
  const queue = [...packed];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const specifier of await relativeImports(readFileSync(join(stage, file), 'utf8'))) {
      const target = normalize(join(dirname(file), specifier)).split(sep).join('/');
      if (isAbsolute(target) || target.startsWith('../') || !target.endsWith('.ts')) continue;
      if (seen.has(target) || lab.givenFiles.includes(target)) continue;
      seen.add(target);
      if (!existsSync(join(stage, target))) {
        if (!existsSync(join(dir, target))) continue; // the compile check reports it
        await mkdir(dirname(join(stage, target)), { recursive: true });
        await copyFile(join(dir, target), join(stage, target));
      }
      extras.push(target);
      queue.push(target);
    }
  }
  return extras;
}

/** Warnings for a notebook packed beside the folder whose module cells differ from the packed files. */
function notebookDrift(notebook: string, stage: string, packedTs: Set<string>): string[] {
  // A cell holds the marker line, then the file without its #! line (buildNotebooks.ts).
  const body = (text: string): string => text.replace(/^#!.*\n/, '').replace(/^\s*\/\*\*\s*@module\s+\S*?\s*\*\/[^\S\n]*\n?/, '').trim();
  try {
    return findModuleCells(readNotebook(notebook))
      .filter((module) => packedTs.has(`${module.name}.ts`))
      .filter((module) => body(module.source) !== body(readFileSync(join(stage, `${module.name}.ts`), 'utf8')))
      .map((module) => `${basename(notebook)}: the cell /** @module ${module.name} */ differs from ${module.name}.ts; the grader grades ${module.name}.ts (to submit the notebook's cells instead, add --notebook ${notebook})`);
  } catch (error) {
    return [`${basename(notebook)} could not be read as a notebook (${(error as Error).message}); packing it as it is`];
  }
}

async function planManifest(lab: LabDef, dir: string, notebook: string | undefined): Promise<SubmissionPlan> {
  const commands = await roleCommands(lab, dir); // refuses a malformed rsmlab.json
  for (const [role, def] of Object.entries(lab.roles)) {
    const byKit = commands[role]?.file !== undefined && !lab.givenFiles.includes(def.file);
    if (byKit && !existsSync(join(dir, def.file))) {
      throw submissionError(`${join(dir, def.file)} is missing: ${MANIFEST_FILE} names no command for the ${role} role, so the grader runs ${def.file}; add "${role}" to ${MANIFEST_FILE} or add the file`);
    }
  }
  const files = (await walkFiles(dir, '')).filter((file) => !lab.givenFiles.includes(file.path) && file.path !== SUBMISSION_MANIFEST);
  if (notebook !== undefined && !files.some((file) => file.path === basename(notebook))) files.push({ path: basename(notebook), from: notebook });
  return { kind: 'manifest', files: sortByPath(files), warnings: [], dispose: async () => {} };
}

/** Every regular file under `dir`, junk skipped; a symbolic link is followed to a file, never to a folder. */
async function walkFiles(root: string, prefix: string): Promise<PackedFile[]> {
  const files: PackedFile[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    if (isJunk(entry.name)) continue;
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await walkFiles(root, path)));
    else if (entry.isFile() || (await stat(join(root, path)).catch(() => undefined))?.isFile()) files.push({ path, from: join(root, path) });
  }
  return files;
}

const sortByPath = (files: PackedFile[]): PackedFile[] => files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
