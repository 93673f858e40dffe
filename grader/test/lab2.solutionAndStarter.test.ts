// The lab2 reference solution gets full marks, bonus included; the untouched starter gets nothing
// on the replication and failure items and says why; nothing is left running either way.
import { describe, it, expect } from 'vitest';
import { lab2Factory } from '../src/labs/lab2-factory/lab.ts';
import { solutionDir, starterDir } from '../src/kitPaths.ts';
import { explain, failedChecks, gradeFixture } from './fixtureSubmissions.ts';

describe('lab2 reference solution', () => {
  it.each([1, 2])('gets full marks, bonus included (seed %i)', async (seed) => {
    const { result, leftovers } = await gradeFixture(lab2Factory, solutionDir('lab2-factory'), seed);
    expect(failedChecks(result), explain(result)).toEqual([]);
    expect(result.score).toBe(result.maxScore + result.bonusMaxScore);
    expect(result.maxScore).toBe(12);
    expect(result.bonusMaxScore).toBe(2);
    expect(leftovers).toEqual([]);
  }, 300_000);
});

describe('lab2 untouched starter', () => {
  it('fails every item, each with a message that names the missing part', async () => {
    const { result, leftovers } = await gradeFixture(lab2Factory, starterDir('lab2-factory'), 1);
    expect(failedChecks(result), explain(result)).toEqual([
      'lab2.A.client', 'lab2.A.log-and-records', 'lab2.B.replication', 'lab2.C.failures', 'lab2.D.rejoin',
    ]);
    expect(result.score).toBe(0);
    for (const check of result.checks) {
      expect(check.message).toContain(`--seed 1 --only ${check.id}`);
      expect(check.message).not.toMatch(/internal error|\n\s+at .*\(.*:\d+:\d+\)/);
    }
    expect(leftovers).toEqual([]);
  }, 300_000);
});
