/**
 * `rsmlab submit` without the command line: plans the files (submissionFiles.ts), refuses a
 * TypeScript submission that does not compile (typeCheck.ts), and writes one archive, a .zip or a
 * .tar.gz as `rsmlab grade` reads them, holding the files at its top and the manifest
 * `rsmlab-submission.json` (lab, kit version, time, and each file's size and SHA-256).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { c as createTar } from 'tar';
import type { LabDef } from '../labs/labDef.ts';
import { submissionError, usageError } from '../errors.ts';
import { KIT_ROOT } from '../kitPaths.ts';
import { planSubmission, SUBMISSION_MANIFEST, type SubmissionPlan } from './submissionFiles.ts';
import { formatCompileError, typeCheckFolder } from './typeCheck.ts';

/** A submission is a few source files, answers and a notebook; more than this is a mistake. */
export const MAX_SUBMISSION_BYTES = 16 * 1024 * 1024;
const SHOWN_COMPILE_ERRORS = 10;

export interface ManifestEntry {
  path: string;     // inside the archive, '/' separators
  size: number;     // bytes
  sha256: string;   // hex
}

export interface SubmissionManifest {
  format: 1;
  lab: string;              // e.g. 'lab1-bank'
  kitVersion: string;       // the kit's package.json version
  createdAt: string;        // ISO 8601, UTC
  kind: 'typescript' | 'manifest';  // typescript: compiled by the kit; manifest: rsmlab.json names the commands
  files: ManifestEntry[];   // every file of the archive but this manifest, sorted by path
}

export interface SubmitRequest {
  lab: LabDef;
  dir: string;                      // the student's folder
  out: string;                      // the archive to write: *.zip, *.tar.gz or *.tgz
  notebook?: string;                // --notebook: its module cells are the files, and it is packed
  now?: Date;                       // for tests
  note?: (line: string) => void;    // warnings and compile errors, as they come (stderr)
}

export interface SubmitResult {
  out: string;
  manifest: SubmissionManifest;
  warnings: string[];
  compileSkipped?: string;          // why the compile check did not run
}

export const kitVersion = (): string => (JSON.parse(readFileSync(join(KIT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export async function buildSubmission(request: SubmitRequest): Promise<SubmitResult> {
  const note = request.note ?? (() => {});
  const format = archiveFormat(request.out);
  const plan = await planSubmission(request.lab, request.dir, request.notebook);
  try {
    for (const warning of plan.warnings) note(`warning: ${warning}`);
    const compileSkipped = await compileCheck(plan, note);
    const manifest: SubmissionManifest = {
      format: 1,
      lab: request.lab.id,
      kitVersion: kitVersion(),
      createdAt: (request.now ?? new Date()).toISOString(),
      kind: plan.kind,
      files: [],
    };
    const contents = new Map<string, Uint8Array>();
    let total = 0;
    for (const file of plan.files) {
      const data = await readFile(file.from);
      total += data.length;
      if (total > MAX_SUBMISSION_BYTES) {
        throw submissionError(`the files to pack pass ${MAX_SUBMISSION_BYTES >> 20} MiB at ${file.path} (${data.length} bytes); remove data files or outputs from the folder or notebook`);
      }
      contents.set(file.path, data);
      manifest.files.push({ path: file.path, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    }
    contents.set(SUBMISSION_MANIFEST, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    await writeArchive(format, resolve(request.out), contents);
    return { out: request.out, manifest, warnings: plan.warnings, ...(compileSkipped ? { compileSkipped } : {}) };
  } finally {
    await plan.dispose();
  }
}

function archiveFormat(out: string): 'zip' | 'tar.gz' {
  if (out.endsWith('.zip')) return 'zip';
  if (out.endsWith('.tar.gz') || out.endsWith('.tgz')) return 'tar.gz';
  throw usageError(`--out ${out}: the archive's name must end in .zip, .tar.gz or .tgz`);
}

/** Type-checks the staged files; notes the first errors and refuses when there are any. */
async function compileCheck(plan: SubmissionPlan, note: (line: string) => void): Promise<string | undefined> {
  if (!plan.stage) return undefined;
  const report = await typeCheckFolder(plan.stage);
  if ('skipped' in report) {
    note(`warning: compile check skipped: ${report.skipped}`);
    return report.skipped;
  }
  const [first] = report.errors;
  if (!first) return undefined;
  for (const error of report.errors.slice(0, SHOWN_COMPILE_ERRORS)) note(formatCompileError(error));
  const more = report.errors.length > 1 ? ` (${report.errors.length} errors in all, listed above)` : '';
  throw submissionError(`${first.file} does not compile: ${formatCompileError(first).replace(/\.$/, '')}${more}; fix it and run rsmlab submit again`);
}

async function writeArchive(format: 'zip' | 'tar.gz', out: string, contents: Map<string, Uint8Array>): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  if (format === 'zip') {
    const entries: Zippable = {};
    for (const [path, data] of contents) entries[path] = [data, { level: 6 }];
    await writeFile(out, zipSync(entries));
    return;
  }
  // tar packs from disk: lay the archive's exact contents out in a temporary folder first.
  const layout = await mkdtemp(join(tmpdir(), 'rsmlab-submit-tar-'));
  try {
    for (const [path, data] of contents) {
      await mkdir(dirname(join(layout, path)), { recursive: true });
      await writeFile(join(layout, path), data);
    }
    await createTar({ gzip: true, file: out, cwd: layout, portable: true }, [...contents.keys()]);
  } finally {
    await rm(layout, { recursive: true, force: true });
  }
}
