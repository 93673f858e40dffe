/**
 * Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
 * score, execution_time (seconds), output, and one entry per test with name, score, max_score,
 * status, output, tags and visibility; the figures checks measured (lab 4) go in extra_data.
 */
import type { GradeResult } from '../check/types.ts';

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  tags: string[];
  visibility: 'visible' | 'hidden' | 'after_due_date' | 'after_published';
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  visibility: 'visible';
  stdout_visibility: 'hidden';
  extra_data?: { measures: Record<string, Readonly<Record<string, number | string | boolean>>> }; // per check id, when a check measured figures
  tests: GradescopeTest[];
}

export function toGradescope(result: GradeResult): GradescopeResults {
  const measured = result.checks.filter((check) => check.measures !== undefined).map((check) => [check.id, check.measures ?? {}] as const);
  return {
    score: result.score,
    execution_time: Math.round(result.executionTimeMs / 1000),
    output: `${result.lab}: ${result.score}/${result.maxScore} points (bonus up to ${result.bonusMaxScore} more), seed ${result.seed}.`,
    visibility: 'visible',
    stdout_visibility: 'hidden',
    ...(measured.length > 0 ? { extra_data: { measures: Object.fromEntries(measured) } } : {}),
    tests: result.checks.map((check) => ({
      name: `${check.id}: ${check.title}`,
      number: check.id,
      score: check.points,
      max_score: check.maxPoints,
      status: check.status,
      output: check.message,
      tags: [...check.tags],
      visibility: 'visible',
    })),
  };
}
