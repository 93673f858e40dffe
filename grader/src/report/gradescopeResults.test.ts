import { describe, expect, it } from 'vitest';
import { toGradescope } from './gradescopeResults.ts';
import type { CheckResult, GradeResult } from '../check/types.ts';

const check = (id: string, extra: Partial<CheckResult> = {}): CheckResult => ({
  id, title: `title of ${id}`, part: 'A', tags: [], points: 5, maxPoints: 5, status: 'passed', message: '', seed: 1,
  durationMs: 10, logDir: '/tmp/logs', reproduce: 'npx rsmlab grade', ...extra,
});
const result = (checks: CheckResult[]): GradeResult =>
  ({ lab: 'lab4-kv', submission: '/tmp/s', seed: 1, score: 10, maxScore: 10, bonusMaxScore: 0, executionTimeMs: 4200, logRoot: '/tmp/logs', warnings: [], checks });

describe('Gradescope results.json', () => {
  it('has one test per check, and the measured figures per check in extra_data', () => {
    const json = toGradescope(result([check('lab4.A.one-node', { measures: { answeredFraction: 1, linearizable: 'yes' } }), check('lab4.C.client-failover')]));
    expect(json.tests.map((test) => [test.number, test.score, test.max_score, test.status])).toEqual([
      ['lab4.A.one-node', 5, 5, 'passed'],
      ['lab4.C.client-failover', 5, 5, 'passed'],
    ]);
    expect(json.execution_time).toBe(4);
    expect(json.extra_data).toEqual({ measures: { 'lab4.A.one-node': { answeredFraction: 1, linearizable: 'yes' } } });
  });

  it('leaves extra_data out when no check measured anything', () => {
    expect('extra_data' in toGradescope(result([check('lab1.A.one-server')]))).toBe(false);
  });
});
