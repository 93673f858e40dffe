/** Runs one check within its bound and turns whatever happened into a CheckResult. */
import { performance } from 'node:perf_hooks';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Submission } from '../harness/submission.ts';
import { createRng } from '../harness/rng.ts';
import { RsmlabError } from '../errors.ts';
import { CheckContext, type Measure, type Stall } from './checkContext.ts';
import { CheckFailure } from './checkFailure.ts';
import type { CheckDef, CheckResult } from './types.ts';
import { CheckRecorder, type RecordingPaths } from '../record/checkRecorder.ts';
import { StallCanary } from '../harness/stallCanary.ts';
import type { TimelineWire } from '../record/messageFraming.ts';

export interface CheckRunOptions {
  seed: number;
  submission: Submission;
  logRoot: string;           // each check logs into logRoot/<check id>/
  runMarker: string;
  reproduce: string;         // the command that reruns this check
  record?: { wire?: TimelineWire }; // when present: write the recording, timeline and diagram into the log folder
}

/** A failure seen together with a measured machine stall is set aside and the check run again, this many runs in all. */
const RUNS_WHEN_STALLED = 3;

export async function runCheck(check: CheckDef, options: CheckRunOptions): Promise<CheckResult> {
  const started = performance.now();
  const logDir = join(options.logRoot, check.id);
  const setAside: string[] = [];
  for (let run = 1; ; run++) {
    const outcome = await runOnce(check, options, logDir);
    const stall = outcome.failure && stallCouldExplain(outcome.failure, outcome.stall) ? outcome.stall?.description : undefined;
    if (stall !== undefined && run < RUNS_WHEN_STALLED) {
      const keptAt = `${logDir}.set-aside-${run}`;
      rmSync(keptAt, { recursive: true, force: true });
      renameSync(logDir, keptAt);
      setAside.push(`Run ${run} of this check failed while ${stall}, which says nothing sure about the program; it was set aside (logs in ${keptAt}) and the check run again.`);
      continue;
    }
    return toResult(check, options, outcome, setAside, performance.now() - started);
  }
}

/** Whether the machine stalled long enough, in one stretch or in all, for the failure to be its doing. */
function stallCouldExplain(failure: CheckFailure, stall: Stall | undefined): boolean {
  return stall !== undefined && stall.totalMs > failure.outlastsStallMs;
}

interface RunOutcome {
  failure: CheckFailure | undefined;
  stall: Stall | undefined;        // the stall the check measured, if any
  notes: string[];
  recorded: RecordingPaths | undefined;
  logDir: string;
  measures: Readonly<Record<string, Measure>>;
}

async function runOnce(check: CheckDef, options: CheckRunOptions, logDir: string): Promise<RunOutcome> {
  const recorder = options.record ? new CheckRecorder(check.id, options.record.wire) : undefined;
  const context = new CheckContext(
    options.seed,
    createRng(options.seed).fork(check.id),
    options.submission,
    logDir,
    options.runMarker,
    recorder,
  );
  let failure: CheckFailure | undefined;
  let crash: unknown; // an error the grader cannot turn into a verdict: rethrown once recorded
  const canary = StallCanary.start((ms) => context.reportStall(ms, `the machine ran none of its processes for ${(ms / 1000).toFixed(1)} s (a process of the grader's that prints every 100 ms was silent that long)`));
  try {
    await withinBound(check.run(context), check.timeoutMs);
  } catch (error) {
    try {
      failure = asCheckFailure(error);
    } catch (fatal) {
      crash = fatal;
    }
  } finally {
    await Promise.all([canary.stop(), context.cleanup()]);
  }
  if (crash !== undefined) {
    recorder?.verdict(false, `the grader could not run this check: ${crash instanceof Error ? crash.message : String(crash)}`);
    if (recorder) writeRecording(recorder, logDir);
    throw crash;
  }
  const flooded = context.floodedProcesses().map((name) => `${name} printed more output than the grader keeps; the rest was discarded.`);
  const notes = [...context.allNotes(), ...flooded];
  const stall = context.stallSeen();
  if (failure && stall !== undefined) notes.push(`The grader measured a stall during this run: ${stall.description}.`);
  recorder?.verdict(!failure, failure ? asStudentSees([failure.message, ...notes], options) : '');
  const recorded = recorder ? writeRecording(recorder, logDir) : undefined;
  return { failure, stall, notes, recorded, logDir, measures: context.measures() };
}

function toResult(check: CheckDef, options: CheckRunOptions, outcome: RunOutcome, setAside: readonly string[], durationMs: number): CheckResult {
  const { failure } = outcome;
  const message = asStudentSees(failure ? [failure.message, ...outcome.notes, ...setAside] : [...outcome.notes, ...setAside], options);
  return {
    id: check.id,
    title: check.title,
    part: check.part,
    tags: check.tags,
    points: failure ? 0 : check.points,
    maxPoints: check.points,
    status: failure ? 'failed' : 'passed',
    message: failure ? `${message}\nReproduce: ${options.reproduce}` : message,
    seed: options.seed,
    durationMs: Math.round(durationMs),
    logDir: outcome.logDir,
    reproduce: options.reproduce,
    ...outcome.recorded,
    ...(Object.keys(outcome.measures).length > 0 ? { measures: outcome.measures } : {}),
  };
}

/** The lines as one message that names the student's files as they know them, not by the grader's working copy. */
function asStudentSees(lines: readonly string[], options: CheckRunOptions): string {
  return lines.join('\n').replaceAll(`${options.submission.dir}/`, '');
}

/** Recording is the grader's own work: if it fails, the check's verdict stands without it. */
function writeRecording(recorder: CheckRecorder, logDir: string): RecordingPaths | undefined {
  try {
    return recorder.write(logDir);
  } catch (error) {
    process.emitWarning(`rsmlab: could not write the recording of ${recorder.check}: ${String(error)}`);
    return undefined;
  }
}

class BoundExceeded extends Error {}

async function withinBound(work: Promise<void>, boundMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BoundExceeded()), boundMs);
  });
  try {
    await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // the abandoned check may still fail later; nobody listens
  }
}

function asCheckFailure(error: unknown): CheckFailure {
  if (error instanceof CheckFailure) return error;
  if (error instanceof BoundExceeded) {
    return new CheckFailure('UNKNOWN: the check did not reach a verdict within its time bound (a timeout is never a pass).', true);
  }
  if (error instanceof RsmlabError) throw error; // the grader cannot run (e.g. libfaketime missing)
  const detail = error instanceof Error ? error.stack ?? error.message : String(error);
  return new CheckFailure(`UNKNOWN: the grader hit an internal error in this check; please report it.\n${detail}`, true);
}
