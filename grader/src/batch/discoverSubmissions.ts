/**
 * The submissions of a batch: every entry of SUBMISSIONS_DIR except dotfiles, named by the entry's
 * name without its extension. An entry the grader cannot read as a submission is kept (kind
 * 'other') so that it gets a clear error row rather than vanishing from the gradebook.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { usageError } from '../errors.ts';

export type EntryKind = 'folder' | 'zip' | 'tar.gz' | 'notebook' | 'other';

export interface BatchEntry {
  name: string;             // the submission's name: entry name without extension, e.g. 'alice'
  path: string;             // absolute path of the entry
  kind: EntryKind;
}

const SUFFIXES: readonly [string, EntryKind][] = [['.tar.gz', 'tar.gz'], ['.tgz', 'tar.gz'], ['.zip', 'zip'], ['.ipynb', 'notebook']];

export async function discoverSubmissions(dir: string, outDir?: string): Promise<BatchEntry[]> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw usageError(`no such folder: ${dir}; give the folder that holds one entry per submission`);
  if (!info.isDirectory()) throw usageError(`${dir} is not a folder; give the folder that holds one entry per submission`);
  const skip = outDir ? resolve(outDir) : undefined;
  const entries: BatchEntry[] = [];
  for (const dirent of await readdir(root, { withFileTypes: true })) {
    const path = join(root, dirent.name);
    if (dirent.name.startsWith('.') || path === skip) continue;
    const isFolder = dirent.isDirectory() || (dirent.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory() === true);
    entries.push(classify(dirent.name, path, isFolder));
  }
  if (entries.length === 0) throw usageError(`${dir} holds no submission (folders, .zip, .tar.gz, .tgz or .ipynb files; dotfiles are ignored)`);
  refuseDuplicateNames(entries);
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

function classify(entry: string, path: string, isFolder: boolean): BatchEntry {
  if (isFolder) return { name: entry, path, kind: 'folder' };
  for (const [suffix, kind] of SUFFIXES) {
    if (entry.endsWith(suffix) && entry.length > suffix.length) return { name: entry.slice(0, -suffix.length), path, kind };
  }
  const dot = entry.lastIndexOf('.');
  return { name: dot > 0 ? entry.slice(0, dot) : entry, path, kind: 'other' };
}

function refuseDuplicateNames(entries: readonly BatchEntry[]): void {
  const byName = new Map<string, string[]>();
  for (const entry of entries) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry.path]);
  const clashes = [...byName].filter(([, paths]) => paths.length > 1);
  if (clashes.length > 0) {
    const list = clashes.map(([name, paths]) => `${name} (${paths.join(', ')})`).join('; ');
    throw usageError(`two entries would get the same submission name: ${list}; rename or remove one of each`);
  }
}
