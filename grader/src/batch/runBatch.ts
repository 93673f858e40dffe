/**
 * `rsmlab batch`: grades every submission of a folder, each in its own child process, at most
 * `jobs` at a time, then writes the gradebook and the summary. A submission already graded (same
 * lab, seed and checks, its files complete) is not graded again unless `force` is set.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { selectChecks } from '../check/gradeSubmission.ts';
import type { CheckDef } from '../check/types.ts';
import { RsmlabError } from '../errors.ts';
import type { LabDef } from '../labs/labDef.ts';
import { errorResults, readCompleted, readResults, storeSubmission, submissionDir, type StoredSubmission } from './batchResults.ts';
import { BatchProgress, type ProgressSink } from './batchProgress.ts';
import { batchSummary } from './batchSummary.ts';
import { discoverSubmissions, type BatchEntry } from './discoverSubmissions.ts';
import { gradeChildCommand, runGradingChild, wallBoundMs, type ChildOutcome } from './gradeInChild.ts';
import { gradebookCsv, toRow, type BatchRow } from './gradebookCsv.ts';
import { runPool } from './workerPool.ts';
import { jobMarker } from './markedProcesses.ts';
import { batchSandboxUid, SANDBOX_UID_ENV } from '../sandbox/sandboxPolicy.ts';
import { killSandboxUid } from '../sandbox/sandboxAccess.ts';
import type { SandboxMode } from '../sandbox/sandboxChoice.ts';

export interface BatchOptions {
  lab: LabDef;
  submissionsDir: string;
  outDir: string;
  jobs: number;
  seed: number;
  only?: readonly string[];
  force: boolean;           // grade again what is already done
  retryErrors: boolean;     // grade again what is done with status error
  progress: ProgressSink;   // stderr in the CLI
  batchId?: string;         // marks the batch's processes (value prefix of BATCH_MARKER)
  abort?: AbortSignal;      // stops the batch: no new grading, running children stopped
  wallBoundMs?: number;     // per submission; computed from the checks' bounds by default
  sandbox: SandboxMode;     // passed to every `rsmlab grade`; each worker slot has a sandbox uid of its own
}

export interface BatchOutcome {
  rows: BatchRow[];         // one per submission, in name order
  regraded: string[];       // names graded by this run
  skipped: string[];        // names already done
  summary: string;          // the text of summary.md
}

export async function runBatch(options: BatchOptions): Promise<BatchOutcome> {
  const started = Date.now();
  const checks = selectChecks(options.lab, options.only);
  const checkIds = checks.map((check) => check.id);
  const outDir = resolve(options.outDir);
  const entries = await discoverSubmissions(options.submissionsDir, outDir);
  await mkdir(outDir, { recursive: true });
  const done = (entry: BatchEntry): StoredSubmission | undefined =>
    readCompleted(outDir, entry.name, options.lab.id, options.seed, checkIds);
  const todo = entries.filter((entry) => {
    if (options.force) return true;
    const stored = done(entry);
    return !stored || (options.retryErrors && stored.record.status === 'error');
  });
  const skipped = entries.filter((entry) => !todo.includes(entry)).map((entry) => entry.name);
  if (skipped.length > 0) options.progress.write(`resuming: ${skipped.length} of ${entries.length} submissions already graded in ${options.outDir} (--force grades them again)\n`);

  const progress = new BatchProgress(options.progress, todo.length);
  const batchId = options.batchId ?? randomUUID();
  const bound = options.wallBoundMs ?? wallBoundMs(checks);
  try {
    await runPool(todo, options.jobs, async (entry, slot) => {
      const stored = await gradeEntry(entry, { ...options, outDir, checks, batchId, bound, slot });
      if (stored) progress.finished(toRow(stored));
    }, () => options.abort?.aborted === true);
  } finally {
    progress.stop();
  }
  if (options.abort?.aborted) throw new RsmlabError('INTERRUPTED', `interrupted; rerun the same command to grade the submissions not done yet`);

  const rows = entries.map((entry) => {
    const stored = done(entry);
    if (!stored) throw new Error(`batch: no complete results for ${entry.name} after grading it`);
    return toRow(stored);
  });
  const summary = batchSummary(rows, { lab: options.lab.id, seed: options.seed, checkIds, regraded: todo.length, wallMs: Date.now() - started });
  await writeReplacing(join(outDir, 'gradebook.csv'), gradebookCsv(rows, checkIds));
  await writeReplacing(join(outDir, 'summary.md'), summary);
  return { rows, regraded: todo.map((entry) => entry.name), skipped, summary };
}

interface EntryContext extends BatchOptions {
  checks: readonly CheckDef[];
  batchId: string;
  bound: number;
  slot: number;             // the worker's slot: its sandbox uid
}

/** Grades one entry and stores its results; undefined when the batch was interrupted meanwhile. */
async function gradeEntry(entry: BatchEntry, context: EntryContext): Promise<StoredSubmission | undefined> {
  const dir = submissionDir(context.outDir, entry.name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const started = Date.now();
  const childJson = join(dir, 'results.json.child');
  let results;
  let message = '';
  if (entry.kind === 'other') {
    message = `${basename(entry.path)} is neither a folder, a notebook (.ipynb) nor a .zip, .tar.gz or .tgz archive`;
    await writeFile(join(dir, 'grade.log'), `rsmlab batch: ${message}\n`);
  } else {
    const sandboxUid = batchSandboxUid(context.slot);
    const outcome = await runGradingChild({
      command: gradeChildCommand({ lab: context.lab.id, entry: entry.path, jsonFile: childJson, logsDir: join(dir, 'logs'), seed: context.seed, only: context.only, sandbox: context.sandbox }),
      env: { [SANDBOX_UID_ENV]: String(sandboxUid) },
      cwd: dir,
      logFile: join(dir, 'grade.log'),
      marker: jobMarker(context.batchId, entry.name),
      wallBoundMs: context.bound,
      abort: context.abort,
    });
    // A sandboxed program starts from a bare environment, without the batch's marker: one started
    // as the grading was stopped may outlive it. The uid is this slot's alone, so all of it goes.
    killSandboxUid({ uid: sandboxUid, warnings: [] });
    if (outcome.kind === 'interrupted') return undefined;
    results = outcome.kind === 'exited' && outcome.code === 0 ? readResults(childJson) : undefined;
    if (results && results.tests.map((test) => test.number).join(',') !== context.checks.map((check) => check.id).join(',')) results = undefined;
    if (!results) message = failureMessage(outcome, context.bound);
    await rm(childJson, { force: true });
  }
  const stored: StoredSubmission = {
    record: {
      submission: entry.name,
      source: entry.path,
      lab: context.lab.id,
      seed: context.seed,
      checks: context.checks.map((check) => check.id),
      status: results ? 'ok' : 'error',
      message,
      durationMs: Date.now() - started,
      finishedAt: new Date().toISOString(),
    },
    results: results ?? errorResults(context.lab.id, context.checks, message),
  };
  await storeSubmission(context.outDir, stored);
  return stored;
}

function failureMessage(outcome: ChildOutcome, bound: number): string {
  const said = outcome.lastError.replace(/^rsmlab: /, '');
  if (outcome.kind === 'timeout') return `UNKNOWN: grading did not finish within ${Math.round(bound / 1000)} s; its processes were stopped`;
  if (outcome.code === 2) return said || 'the submission could not be read';
  if (outcome.code === 0) return 'the grading process wrote no valid results.json';
  const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
  return `the grading process ${how}${said ? `: ${said}` : ''}`;
}

async function writeReplacing(path: string, text: string): Promise<void> {
  await writeFile(`${path}.partial`, text);
  await rename(`${path}.partial`, path);
}
