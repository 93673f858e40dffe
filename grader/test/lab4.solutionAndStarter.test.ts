// The lab4 reference solution gets full marks with every history judged linearizable; the
// untouched starter fails every check with the stub's own "not implemented ... (handout part A)"
// line, quickly; nothing is left running either way.
import { describe, it, expect } from 'vitest';
import { lab4Kv } from '../src/labs/lab4-kv/lab.ts';
import { solutionDir, starterDir } from '../src/kitPaths.ts';
import { explain, failedChecks, gradeFixture } from './fixtureSubmissions.ts';

describe('lab4 reference solution', () => {
  it('gets full marks, every history linearizable, a majority always answering (seed 1)', async () => {
    const { result, leftovers } = await gradeFixture(lab4Kv, solutionDir('lab4-kv'), 1);
    expect(failedChecks(result), explain(result)).toEqual([]);
    expect(result.score).toBe(100);
    for (const check of result.checks.filter((candidate) => candidate.id !== 'lab4.C.client-failover')) {
      expect(check.measures?.linearizable, check.id).toBe('yes');
      expect(check.measures?.staleReads, check.id).toBe(0);
      expect(check.message, check.id).toMatch(/Answered \d+ of \d+ operations/);
    }
    expect(leftovers).toEqual([]);
  }, 600_000); // past the sum of the checks' own bounds: a grader that hangs fails here
});

describe('lab4 untouched starter', () => {
  it('fails every check, saying that part A is not implemented', async () => {
    const started = Date.now();
    const { result, leftovers } = await gradeFixture(lab4Kv, starterDir('lab4-kv'), 1);
    expect(failedChecks(result), explain(result)).toEqual(lab4Kv.checks.map((check) => check.id).sort());
    for (const check of result.checks) {
      expect(check.message).toMatch(/not implemented: .*\(handout part A\)/);
      expect(check.message).toContain(`--seed 1 --only ${check.id}`);
      expect(check.message).not.toMatch(/internal error|UNKNOWN|\n\s+at .*\(.*:\d+:\d+\)/);
    }
    expect(Date.now() - started).toBeLessThan(120_000); // a stub that says "not implemented" is not waited for
    expect(leftovers).toEqual([]);
  }, 300_000);
});
