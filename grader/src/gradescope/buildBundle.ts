/**
 * `rsmlab gradescope LAB`: the zip that Gradescope's "Configure Autograder" page takes. Gradescope's
 * specification (https://gradescope-autograders.readthedocs.io/en/latest/specs/) asks for `setup.sh`
 * and `run_autograder` at the root of the zip, and extracts the zip's whole content into
 * /autograder/source. So the kit's files sit at the root of the zip too, next to the two scripts:
 * on Gradescope they become /autograder/source/package.json, /autograder/source/grader/..., which is
 * where setup.sh runs `npm ci` and run_autograder runs the grader.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import type { LabDef } from '../labs/labDef.ts';
import { KIT_ROOT } from '../kitPaths.ts';
import { bundleFiles } from './bundleFiles.ts';
import { renderScript, SCRIPT_NAMES } from './scriptTemplates.ts';

export interface BundleSummary {
  file: string;             // the zip written
  entries: string[];        // every file in it, scripts first
  bytes: number;
}

const UNIX = 3;                             // "made by" Unix, so that unzip applies the modes below
const FIXED_TIME = new Date('2026-01-01T00:00:00Z'); // same kit, same bytes
const REGULAR_FILE = 0o100000;                // S_IFREG, so that zipinfo shows a plain file
const attributes = (mode: number): { os: number; attrs: number; mtime: Date } => ({ os: UNIX, attrs: ((REGULAR_FILE | (mode & 0o777)) << 16) >>> 0, mtime: FIXED_TIME });

export function bundleEntries(lab: LabDef, root: string = KIT_ROOT): Zippable {
  const entries: Zippable = {};
  for (const name of SCRIPT_NAMES) {
    entries[name] = [new TextEncoder().encode(renderScript(name, lab)), attributes(0o755)];
  }
  for (const file of bundleFiles(lab, root)) {
    if (file.path in entries) throw new Error(`the kit's ${file.path} would replace the bundle's own script`);
    entries[file.path] = [readFileSync(join(root, file.path)), attributes(file.mode)];
  }
  return entries;
}

export async function buildGradescopeBundle(lab: LabDef, out: string): Promise<BundleSummary> {
  const entries = bundleEntries(lab);
  const zip = zipSync(entries, { level: 9 });
  await writeFile(out, zip);
  return { file: out, entries: Object.keys(entries), bytes: zip.byteLength };
}
