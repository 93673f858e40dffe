// Each buggy lab1 fixture fails exactly the checks its bug breaks, on every run (seed 1 here, to
// keep the suite within its time; `npm run repeat-fixtures` runs twenty), and leaves no process behind.
import { describe, it, expect } from 'vitest';
import { lab1Bank } from '../src/labs/lab1-bank/lab.ts';
import { buildFixture, explain, failedChecks, fixtureNames, gradeFixture, readFixture } from './fixtureSubmissions.ts';

const BUGGY = fixtureNames('lab1', (name) => !name.startsWith('broken-') && readFixture('lab1', name).failing.length > 0);

describe.each(BUGGY)('lab1 fixture %s', (name) => {
  const spec = readFixture('lab1', name);
  it.each([1])(`fails exactly ${spec.failing.join(', ')} (seed %i)`, async (seed) => {
    const { result, leftovers } = await gradeFixture(lab1Bank, buildFixture(lab1Bank, 'lab1', name), seed);
    expect(failedChecks(result), explain(result)).toEqual([...spec.failing].sort());
    expect(leftovers).toEqual([]);
  }, 300_000);
});
