// Each lab4 fixture fails exactly the checks its bug breaks, leaving nothing running. One seed
// here, to keep the suite within its time: `npm run repeat-fixtures -- --lab lab4 20` runs twenty.
import { describe, it, expect } from 'vitest';
import { lab4Kv } from '../src/labs/lab4-kv/lab.ts';
import { buildFixture, explain, failedChecks, fixtureNames, gradeFixture, readFixture } from './fixtureSubmissions.ts';

describe.each(fixtureNames('lab4'))('lab4 fixture %s', (name) => {
  const spec = readFixture('lab4', name);
  const verdict = spec.failing.length === 0 ? 'gets full marks' : `fails exactly ${spec.failing.join(', ')}`;
  it(`${verdict} (seed 1)`, async () => {
    const { result, leftovers } = await gradeFixture(lab4Kv, buildFixture(lab4Kv, 'lab4', name), 1);
    expect(failedChecks(result), explain(result)).toEqual([...spec.failing].sort());
    for (const check of result.checks.filter((candidate) => candidate.status === 'failed')) {
      expect(check.message).not.toMatch(/internal error|UNKNOWN|\n\s+at .*\(.*:\d+:\d+\)/);
    }
    expect(leftovers).toEqual([]);
  }, 700_000); // past the sum of the six checks' own bounds (660 s)
});
