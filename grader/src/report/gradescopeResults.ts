/**
 * Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
 * score, execution_time (seconds), output, and one entry per test with name, score, max_score,
 * status, output, tags and visibility.
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
  tests: GradescopeTest[];
}

export function toGradescope(result: GradeResult): GradescopeResults {
  return {
    score: result.score,
    execution_time: Math.round(result.executionTimeMs / 1000),
    output: `${result.lab}: ${result.score}/${result.maxScore} points (bonus up to ${result.bonusMaxScore} more), seed ${result.seed}.`,
    visibility: 'visible',
    stdout_visibility: 'hidden',
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
