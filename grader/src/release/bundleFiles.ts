/**
 * What the student bundle copies from the kit, as an allow-list: a file goes in only when a rule
 * below names it. Anything else the kit holds (solutions/, answer keys, the grader's tests and
 * fixtures, scripts for developers, .git, node_modules, .rsmlab, logs, tmp/ data) stays out
 * without having to be named. The files the bundle generates are in studentFiles.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { LabDef } from '../labs/labDef.ts';
import { DEMOS } from '../handouts/demoTable.ts';

export interface BundleFile {
  path: string;      // relative to the bundle's root, with '/' separators
  content: Buffer;
  mode: number;      // permission bits (keeps the run bit of `./srv.ts`)
}

/** A folder copied file by file: `keep` decides on each file's path relative to the folder. */
interface FolderRule {
  dir: string;                           // relative to the kit's root
  keep: (relativePath: string) => boolean;
}

const SOURCE_EXTENSIONS = /\.(ts|mjs|cjs|py)$/;
const STARTER_EXTENSIONS = /\.(ts|json|md|txt|py)$/;

/** The kit's top folders that files are copied from. */
export const COPIED_TOP_FOLDERS: readonly string[] = ['handouts', 'notebooks', 'starter', 'grader', 'scripts'];

/** Single files every bundle has, copied as they are. */
const KIT_FILES = ['grader/bin/rsmlab.mjs', 'scripts/setup.sh', 'package-lock.json'] as const;

/** Per lab: its handout (and HTML build when there is one), its starter notebook, its starter. */
function labRules(lab: LabDef): { files: string[]; optional: string[]; folders: FolderRule[] } {
  return {
    files: [`handouts/${lab.id}.md`, `notebooks/${lab.id}.ipynb`],
    optional: [`handouts/${lab.id}.html`],
    folders: [{
      dir: `starter/${lab.id}`,
      // Program files and their notes; of tmp/ only the placeholder that keeps the folder.
      keep: (path) => path === 'tmp/.gitkeep' || (!path.startsWith('tmp/') && STARTER_EXTENSIONS.test(path)),
    }],
  };
}

/** The grader's sources with its public checks; never its tests (`*.test.ts`, grader/test/). */
const GRADER_SOURCES: FolderRule = {
  dir: 'grader/src',
  keep: (path) => SOURCE_EXTENSIONS.test(path) && !/\.test\.ts$/.test(path) && !path.split('/').includes('fixtures'),
};

/** Per lab: the recorded demos its handout page embeds (`rsmlab handouts`). */
const demoFiles = (lab: LabDef): string[] => DEMOS.filter((demo) => demo.lab === lab.id).map((demo) => `handouts/demos/${demo.name}.cast`);

/** Every file the bundle copies from the kit, sorted by path. */
export function copiedFiles(kitRoot: string, labs: readonly LabDef[]): BundleFile[] {
  const paths: string[] = [...KIT_FILES];
  const folders: FolderRule[] = [GRADER_SOURCES];
  for (const lab of labs) {
    const rules = labRules(lab);
    paths.push(...rules.files, ...demoFiles(lab), ...rules.optional.filter((path) => existsSync(join(kitRoot, path))));
    folders.push(...rules.folders);
  }
  for (const folder of folders) {
    for (const path of walk(join(kitRoot, folder.dir))) if (folder.keep(path)) paths.push(posix.join(folder.dir, path));
  }
  return [...new Set(paths)].sort().map((path) => readKitFile(kitRoot, path));
}

function readKitFile(kitRoot: string, path: string): BundleFile {
  const full = join(kitRoot, path);
  if (!existsSync(full)) throw new Error(`the kit has no ${path}, which the student bundle needs`);
  return { path, content: readFileSync(full), mode: statSync(full).mode & 0o777 };
}

/**
 * Files under `dir`, relative to it. Never enters hidden folders (.ipynb_checkpoints, .git) or
 * node_modules; keeps `.gitkeep` as the one hidden file a starter needs.
 */
function walk(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name.startsWith('.') && entry.name !== '.gitkeep') continue;
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...walk(join(dir, entry.name), path));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}
