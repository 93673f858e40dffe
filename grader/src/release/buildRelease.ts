/**
 * Builds the student bundle (`rsmlab release`): the allow-listed files of the kit (bundleFiles.ts)
 * and the generated ones (studentFiles.ts, studentReadme.ts), checked in memory for solution lines
 * before anything is written, then written into a new or empty folder.
 */
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LabDef } from '../labs/labDef.ts';
import { usageError } from '../errors.ts';
import { COPIED_TOP_FOLDERS, copiedFiles, type BundleFile } from './bundleFiles.ts';
import { parseKitPackage, studentPackageJson, studentTsconfig, STUDENT_GITIGNORE } from './studentFiles.ts';
import { studentReadme } from './studentReadme.ts';
import { findLeaks, searchableText, secretLines } from './solutionLeaks.ts';

export interface ReleaseOptions {
  kitRoot: string;
  outDir: string;
  labs: readonly LabDef[];
}

export interface ReleaseResult {
  outDir: string;      // absolute
  version: string;     // the kit's version, in the bundle's package.json
  files: string[];     // every file written, relative to outDir, sorted
}

export async function buildRelease(options: ReleaseOptions): Promise<ReleaseResult> {
  const outDir = resolve(options.outDir);
  refuseInsideKit(options.kitRoot, outDir);
  await requireEmptyFolder(outDir);
  const { files, version } = plannedFiles(options.kitRoot, options.labs);
  refuseLeaks(options.kitRoot, files);
  for (const file of files) {
    const target = join(outDir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    await chmod(target, file.mode);
  }
  return { outDir, version, files: files.map((file) => file.path) };
}

/** Every file of the bundle with its content, sorted by path; nothing is written. */
export function plannedFiles(kitRoot: string, labs: readonly LabDef[]): { files: BundleFile[]; version: string } {
  const kitPackage = parseKitPackage(readFileSync(join(kitRoot, 'package.json'), 'utf8'));
  const generated = (path: string, text: string): BundleFile => ({ path, content: Buffer.from(text), mode: 0o644 });
  const readme = studentReadme({
    version: kitPackage.version,
    labs,
    starterFiles: (lab) => readdirSync(join(kitRoot, 'starter', lab.id)).sort(),
    hasSubmit: existsSync(join(kitRoot, 'grader/src/cli/commands/submit.ts')),
  });
  const files = [
    ...copiedFiles(kitRoot, labs),
    generated('package.json', studentPackageJson(kitPackage)),
    generated('tsconfig.json', studentTsconfig(readFileSync(join(kitRoot, 'tsconfig.json'), 'utf8'))),
    generated('README.md', readme),
    generated('.gitignore', STUDENT_GITIGNORE),
  ].sort((a, b) => a.path.localeCompare(b.path));
  return { files, version: kitPackage.version };
}

/** A last guard: no line of solutions/ may reach the bundle, whatever the allow-list says. */
function refuseLeaks(kitRoot: string, files: readonly BundleFile[]): void {
  const bundle = files.map((file) => ({ path: file.path, text: searchableText(file.path, file.content) }));
  const leaks = findLeaks(secretLines(kitRoot), bundle);
  const first = leaks[0];
  if (first) {
    throw usageError(`the bundle would give away ${leaks.length} line(s) of the solutions, first "${first.line}" `
      + `(${first.solutionFile}) in ${first.bundleFile}; nothing was written`);
  }
}

/** A bundle written inside a folder the bundle copies would be copied into the next one. */
function refuseInsideKit(kitRoot: string, outDir: string): void {
  const inKit = relative(resolve(kitRoot), outDir);
  const top = inKit.split(sep)[0] ?? '';
  if (inKit === '') throw usageError(`--out ${outDir} is the kit itself; choose a new folder (out/ is fine)`);
  if (!inKit.startsWith('..') && !isAbsolute(inKit) && COPIED_TOP_FOLDERS.includes(top)) {
    throw usageError(`--out ${outDir} is inside the kit's ${top}/ folder, which the bundle copies; choose a folder elsewhere (out/ is fine)`);
  }
}

async function requireEmptyFolder(outDir: string): Promise<void> {
  if (!existsSync(outDir)) return;
  if (!(await stat(outDir)).isDirectory()) throw usageError(`--out ${outDir} is a file; give a new or empty folder`);
  if ((await readdir(outDir)).length > 0) throw usageError(`--out ${outDir} is not empty; give a new or empty folder`);
}
