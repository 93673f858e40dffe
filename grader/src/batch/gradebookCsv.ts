/**
 * The gradebook: one row per submission with its score, the most it could get (bonus aside), the
 * bonus earned, the points of each check, and whether grading completed (ok) or not (error).
 */
import type { BatchStatus, StoredSubmission } from './batchResults.ts';

export interface BatchRow {
  name: string;
  status: BatchStatus;
  message: string;                        // why grading did not complete; empty when ok
  score: number;                          // points earned, bonus included (as Gradescope counts)
  max: number;                            // points of the non-bonus checks
  bonus: number;                          // bonus points earned
  checks: Map<string, { points: number; passed: boolean }>;
}

export function toRow(stored: StoredSubmission): BatchRow {
  const tests = stored.results.tests;
  const isBonus = (tags: readonly string[]): boolean => tags.includes('bonus');
  return {
    name: stored.record.submission,
    status: stored.record.status,
    message: stored.record.message,
    score: stored.results.score,
    max: tests.filter((test) => !isBonus(test.tags)).reduce((sum, test) => sum + test.max_score, 0),
    bonus: tests.filter((test) => isBonus(test.tags)).reduce((sum, test) => sum + test.score, 0),
    checks: new Map(tests.map((test) => [test.number, { points: test.score, passed: test.status === 'passed' }])),
  };
}

export function gradebookCsv(rows: readonly BatchRow[], checkIds: readonly string[]): string {
  const header = ['submission', 'score', 'max', 'bonus', ...checkIds, 'status'];
  const lines = rows.map((row) => [
    row.name, String(row.score), String(row.max), String(row.bonus),
    ...checkIds.map((id) => String(row.checks.get(id)?.points ?? '')),
    row.status,
  ]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}

const csvCell = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
