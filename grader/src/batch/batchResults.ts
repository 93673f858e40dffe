/**
 * What a batch keeps per submission in OUT/NAME/: results.json (Gradescope's format, exactly as
 * `rsmlab grade --json` writes it), batch.json (how it was graded: lab, seed, checks, ok or error),
 * grade.log and logs/. Both JSON files are written to a temporary name, then renamed, record first
 * and results.json last: a submission is done exactly when both are present and valid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckDef } from '../check/types.ts';
import type { GradescopeResults } from '../report/gradescopeResults.ts';

export type BatchStatus = 'ok' | 'error';

export interface BatchRecord {
  submission: string;       // the submission's name
  source: string;           // the entry graded
  lab: string;
  seed: number;
  checks: string[];         // ids of the checks graded, in order
  status: BatchStatus;      // 'error': grading did not complete; results.json then scores 0
  message: string;          // why, for an error; empty when ok
  durationMs: number;
  finishedAt: string;       // ISO time
}

export interface StoredSubmission {
  record: BatchRecord;
  results: GradescopeResults;
}

export const submissionDir = (outDir: string, name: string): string => join(outDir, name);
export const resultsFile = (outDir: string, name: string): string => join(outDir, name, 'results.json');
export const recordFile = (outDir: string, name: string): string => join(outDir, name, 'batch.json');

/** The stored grading of `name` if it is complete, valid, and graded with this lab, seed and checks. */
export function readCompleted(outDir: string, name: string, lab: string, seed: number, checks: readonly string[]): StoredSubmission | undefined {
  const record = readJson(recordFile(outDir, name));
  const results = readJson(resultsFile(outDir, name));
  if (!isRecord(record) || !isResults(results)) return undefined;
  if (record.lab !== lab || record.seed !== seed || record.checks.join(',') !== checks.join(',')) return undefined;
  if (results.tests.map((test) => test.number).join(',') !== checks.join(',')) return undefined;
  return { record, results };
}

export async function storeSubmission(outDir: string, stored: StoredSubmission): Promise<void> {
  await writeAtomically(recordFile(outDir, stored.record.submission), stored.record);
  await writeAtomically(resultsFile(outDir, stored.record.submission), stored.results);
}

/** Reads results a grading child wrote, or undefined when the file is missing or malformed. */
export function readResults(path: string): GradescopeResults | undefined {
  const parsed = readJson(path);
  return isResults(parsed) ? parsed : undefined;
}

/** The results of a grading that did not complete: every check failed with the reason, score 0. */
export function errorResults(lab: string, checks: readonly CheckDef[], message: string): GradescopeResults {
  return {
    score: 0,
    execution_time: 0,
    output: `${lab}: not graded: ${message}`,
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: checks.map((check) => ({
      name: `${check.id}: ${check.title}`,
      number: check.id,
      score: 0,
      max_score: check.points,
      status: 'failed',
      output: `Not graded: ${message}`,
      tags: [...check.tags],
      visibility: 'visible',
    })),
  };
}

async function writeAtomically(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.partial`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}

function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isRecord(value: unknown): value is BatchRecord {
  return isObject(value) && typeof value.submission === 'string' && typeof value.lab === 'string' && typeof value.seed === 'number'
    && Array.isArray(value.checks) && (value.status === 'ok' || value.status === 'error') && typeof value.message === 'string';
}

function isResults(value: unknown): value is GradescopeResults {
  return isObject(value) && typeof value.score === 'number' && Array.isArray(value.tests)
    && value.tests.every((test) => isObject(test) && typeof test.number === 'string' && typeof test.score === 'number'
      && typeof test.max_score === 'number' && (test.status === 'passed' || test.status === 'failed') && Array.isArray(test.tags));
}
