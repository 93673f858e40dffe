// The untouched starter and submissions that hang, crash, flood or do not compile: each gets a
// clear failed check, grading ends within its bound, and no process is left behind.
import { describe, it, expect } from 'vitest';
import { lab1Bank } from '../src/labs/lab1-bank/lab.ts';
import { starterDir } from '../src/kitPaths.ts';
import { buildFixture, explain, failedChecks, fixtureNames, gradeFixture, readFixture } from './fixtureSubmissions.ts';

describe('lab1 untouched starter', () => {
  it('gets the warm-up points only, and says why the rest fails', async () => {
    const { result, leftovers } = await gradeFixture(lab1Bank, starterDir('lab1-bank'), 1);
    expect(failedChecks(result), explain(result)).toEqual([
      'lab1.B.concurrent-clients', 'lab1.C.fresh-timestamp', 'lab1.C.skewed-clocks', 'lab1.D.replica-killed', 'lab1.D.replica-rejoins',
    ]);
    expect(result.score).toBe(20);
    const ordering = result.checks.find((check) => check.id === 'lab1.B.concurrent-clients');
    expect(ordering?.message).toContain('ERROR not implemented');
    expect(ordering?.message).toContain('--seed 1 --only lab1.B.concurrent-clients');
    expect(leftovers).toEqual([]);
  }, 300_000);
});

describe.each(fixtureNames('lab1', (name) => name.startsWith('broken-')))('lab1 broken submission %s', (name) => {
  const spec = readFixture('lab1', name);
  // A broken program fails the same way whatever the seed: one seed is enough.
  it.each([1])('fails its checks with a clear message, within the bound, leaving nothing running (seed %i)', async (seed) => {
    const started = Date.now();
    const { result, leftovers } = await gradeFixture(lab1Bank, buildFixture(lab1Bank, 'lab1', name), seed);
    expect(failedChecks(result), explain(result)).toEqual([...spec.failing].sort());
    for (const check of result.checks.filter((candidate) => candidate.status === 'failed')) {
      expect(check.message).not.toMatch(/internal error|\n\s+at .*\(.*:\d+:\d+\)/);
    }
    expect(leftovers).toEqual([]);
    expect(Date.now() - started).toBeLessThan(280_000); // seven checks, each at most 20 s waiting for a port that never comes
  }, 360_000);
});
