// Each lab2 fixture fails exactly the checks its bug breaks (none for a correct variant), on every
// run (seed 1 here, to keep the suite within its time; `npm run repeat-fixtures -- --lab lab2 20`
// runs twenty), leaving nothing running.
import { describe, it, expect } from 'vitest';
import { lab2Factory } from '../src/labs/lab2-factory/lab.ts';
import { buildFixture, explain, failedChecks, fixtureNames, gradeFixture, readFixture } from './fixtureSubmissions.ts';

describe.each(fixtureNames('lab2'))('lab2 fixture %s', (name) => {
  const spec = readFixture('lab2', name);
  const verdict = spec.failing.length === 0 ? 'gets full marks' : `fails exactly ${spec.failing.join(', ')}`;
  it.each([1])(`${verdict} (seed %i)`, async (seed) => {
    const { result, leftovers } = await gradeFixture(lab2Factory, buildFixture(lab2Factory, 'lab2', name), seed);
    expect(failedChecks(result), explain(result)).toEqual([...spec.failing].sort());
    for (const check of result.checks.filter((candidate) => candidate.status === 'failed')) {
      expect(check.message).not.toMatch(/internal error|\n\s+at .*\(.*:\d+:\d+\)/);
    }
    expect(leftovers).toEqual([]);
  }, 300_000);
});
