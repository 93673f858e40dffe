// Each lab3 fixture fails exactly the checks its bug breaks, leaving nothing running. One seed
// here, to keep the suite within its time: `npm run repeat-fixtures -- --lab lab3 20` runs twenty.
import { describe, it, expect } from 'vitest';
import { lab3Rsm } from '../src/labs/lab3-rsm/lab.ts';
import { buildFixture, explain, failedChecks, fixtureNames, gradeFixture, readFixture } from './fixtureSubmissions.ts';

describe.each(fixtureNames('lab3'))('lab3 fixture %s', (name) => {
  const spec = readFixture('lab3', name);
  const verdict = spec.failing.length === 0 ? 'gets full marks' : `fails exactly ${spec.failing.join(', ')}`;
  it(`${verdict} (seed 1)`, async () => {
    const { result, leftovers } = await gradeFixture(lab3Rsm, buildFixture(lab3Rsm, 'lab3', name), 1);
    expect(failedChecks(result), explain(result)).toEqual([...spec.failing].sort());
    for (const check of result.checks.filter((candidate) => candidate.status === 'failed')) {
      expect(check.message).not.toMatch(/internal error|UNKNOWN|\n\s+at .*\(.*:\d+:\d+\)/);
    }
    expect(leftovers).toEqual([]);
  }, 600_000); // past the sum of the four checks' own bounds
});
