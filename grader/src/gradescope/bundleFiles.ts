/**
 * What of the kit goes into a Gradescope bundle's `source/`: an allow-list of what grading one lab
 * needs (the grader's code, the lab's starter for its given files and for notebook submissions, the
 * npm manifests), never solutions, answer keys, the grader's tests and fixtures, or local state.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { LabDef } from '../labs/labDef.ts';
import { KIT_ROOT } from '../kitPaths.ts';

export interface BundleFile {
  path: string;             // relative to the kit's root, with `/` separators
  mode: number;             // permission bits, e.g. 0o755 for a program
}

/** Files and folders taken whole (minus the exclusions below), relative to the kit's root. */
const allowed = (lab: LabDef): string[] => [
  'package.json', 'package-lock.json', 'tsconfig.json',
  'grader/bin', 'grader/src', `starter/${lab.id}`,
];

/** Never bundled, wherever they appear: local state, caches, the grader's own tests. */
const EXCLUDED_NAMES = new Set(['node_modules', '.git', '.rsmlab', '.ipynb_checkpoints', 'test', 'fixtures', '__snapshots__']);
const excludedFile = (name: string): boolean =>
  /\.test\.ts$/.test(name) || name.endsWith('.log') || (name.startsWith('.') && name !== '.gitkeep');

/** Paths that must never be in a bundle, checked last so that a wrong allow-list fails loudly. */
const FORBIDDEN = [/^solutions\//, /^grader\/test\//, /(^|\/)node_modules\//, /(^|\/)\.git\//, /answers\.md$/];

export function bundleFiles(lab: LabDef, root: string = KIT_ROOT): BundleFile[] {
  const files: BundleFile[] = [];
  const visit = (path: string): void => {
    const info = statSync(path);
    const name = path.split(sep).at(-1) ?? '';
    if (info.isDirectory()) {
      if (EXCLUDED_NAMES.has(name)) return;
      // A lab's tmp/ is where the programs write their data files: keep the folder, not its content.
      const entries = readdirSync(path).sort();
      const kept = name === 'tmp' ? entries.filter((entry) => entry === '.gitkeep') : entries;
      for (const entry of kept) visit(join(path, entry));
    } else if (info.isFile() && !excludedFile(name)) {
      files.push({ path: relative(root, path).split(sep).join('/'), mode: info.mode & 0o777 });
    }
  };
  for (const entry of allowed(lab)) visit(join(root, entry));
  const leaked = files.filter((file) => FORBIDDEN.some((pattern) => pattern.test(file.path)));
  if (leaked.length > 0) throw new Error(`the Gradescope bundle would hold ${leaked.map((file) => file.path).join(', ')}`);
  return files;
}
