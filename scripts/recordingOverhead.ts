/**
 * Recording overhead (issue 6): grades the lab 1 reference solution K times with every check
 * recorded (recording.cast, timeline.json, timeline.svg) and K times without, alternating, and
 * prints the mean grading time each way and the overhead in percent (target: under 10%).
 * Usage: npm run bench:recording -- [--runs K] [--only CHECK_ID ...]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradeSubmission } from '../grader/src/check/gradeSubmission.ts';
import { lab1Bank } from '../grader/src/labs/lab1-bank/lab.ts';
import { solutionDir } from '../grader/src/kitPaths.ts';
import type { GradeResult } from '../grader/src/check/types.ts';
import type { Timeline } from '../grader/src/record/recordTypes.ts';
import { renderTimelineSvg } from '../grader/src/record/timelineSvg.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at === -1 ? 4 : Number(args[at + 1]);
const only = args.flatMap((arg, index) => (args[index - 1] === '--only' ? [arg] : []));

interface Run {
  record: boolean;
  ms: number;        // the whole grading, as gradeSubmission measures it
  passed: number;    // checks passed, to see that both ways graded alike
  drawMs: number;    // recorded runs: drawing every check's diagram again from its timeline.json
  messages: number;  // recorded runs: messages in all timelines
}

async function gradeOnce(record: boolean): Promise<Run> {
  const logRoot = mkdtempSync(join(tmpdir(), 'rsmlab-recording-bench-'));
  try {
    const result = await gradeSubmission({
      lab: lab1Bank, source: solutionDir(lab1Bank.id), seed: 1, logRoot, record, reproduceCommand: 'bench',
      ...(only.length > 0 ? { only } : {}),
    });
    return { record, ms: result.executionTimeMs, passed: result.checks.filter((check) => check.status === 'passed').length, ...redraw(result) };
  } finally {
    rmSync(logRoot, { recursive: true, force: true });
  }
}

/** The grader's most expensive recording step, timed alone: the diagrams, drawn again. */
function redraw(result: GradeResult): { drawMs: number; messages: number } {
  const timelines = result.checks.flatMap((check) => (check.timeline ? [JSON.parse(readFileSync(check.timeline, 'utf8')) as Timeline] : []));
  const started = performance.now();
  for (const timeline of timelines) renderTimelineSvg(timeline);
  return { drawMs: performance.now() - started, messages: timelines.reduce((sum, timeline) => sum + timeline.messages.length, 0) };
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

async function main(): Promise<void> {
  if (!(runs >= 1)) throw new Error('--runs needs a number >= 1');
  const done: Run[] = [];
  for (let i = 0; i < 2 * runs; i++) {
    const record = i % 2 === 0; // on, off, on, off...
    const run = await gradeOnce(record);
    done.push(run);
    const drawn = record ? `; ${run.messages} messages, diagrams drawn in ${run.drawMs.toFixed(0)} ms` : '';
    console.log(`run ${i + 1}/${2 * runs}: recording ${record ? 'on ' : 'off'}  ${(run.ms / 1000).toFixed(2)} s  (${run.passed} checks passed${drawn})`);
  }
  const on = mean(done.filter((run) => run.record).map((run) => run.ms));
  const off = mean(done.filter((run) => !run.record).map((run) => run.ms));
  console.log(`\nmean grading time, lab1 reference solution${only.length > 0 ? ` (${only.join(', ')})` : ''}, ${runs} runs each:`);
  console.log(`  recording on : ${(on / 1000).toFixed(2)} s`);
  console.log(`  recording off: ${(off / 1000).toFixed(2)} s`);
  console.log(`  overhead     : ${(((on - off) / off) * 100).toFixed(1)} %`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
