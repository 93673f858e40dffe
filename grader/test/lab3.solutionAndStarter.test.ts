// The lab3 reference solution gets full marks, bonus included; the untouched starter fails every
// check, parts A to C each with the stub's own "not implemented ... (handout part X)" line; nothing
// is left running either way.
import { describe, it, expect } from 'vitest';
import { lab3Rsm } from '../src/labs/lab3-rsm/lab.ts';
import { solutionDir, starterDir } from '../src/kitPaths.ts';
import { explain, failedChecks, gradeFixture } from './fixtureSubmissions.ts';

describe('lab3 reference solution', () => {
  it.each([1, 2])('gets full marks, bonus included (seed %i)', async (seed) => {
    const { result, leftovers } = await gradeFixture(lab3Rsm, solutionDir('lab3-rsm'), seed);
    expect(failedChecks(result), explain(result)).toEqual([]);
    expect(result.score).toBe(result.maxScore + result.bonusMaxScore);
    expect(result.maxScore).toBe(100);
    expect(result.bonusMaxScore).toBe(20);
    expect(leftovers).toEqual([]);
  }, 600_000); // past the sum of the four checks' own bounds: a grader that hangs fails here
});

describe('lab3 untouched starter', () => {
  it('fails every check, parts A to C saying which part is not implemented', async () => {
    const { result, leftovers } = await gradeFixture(lab3Rsm, starterDir('lab3-rsm'), 1);
    expect(failedChecks(result), explain(result)).toEqual([
      'lab3.A.no-failure', 'lab3.B.replica-killed', 'lab3.C.master-killed', 'lab3.D.join-then-master-killed',
    ]);
    expect(result.score).toBe(0);
    for (const check of result.checks) {
      expect(check.message).toContain(`--seed 1 --only ${check.id}`);
      expect(check.message).not.toMatch(/internal error|UNKNOWN|\n\s+at .*\(.*:\d+:\d+\)/);
      if (check.part !== 'D') expect(check.message).toMatch(/not implemented: .*\(handout part A\)/);
    }
    expect(leftovers).toEqual([]);
  }, 600_000); // past the sum of the four checks' own bounds: a grader that hangs fails here
});
