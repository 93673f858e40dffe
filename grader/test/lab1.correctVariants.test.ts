// Correct lab1 submissions written in different ways all get full marks, bonus included, on every
// run (the variants on seed 1 here, to keep the suite within its time; the repeat script runs twenty).
import { describe, it, expect } from 'vitest';
import { lab1Bank } from '../src/labs/lab1-bank/lab.ts';
import { solutionDir } from '../src/kitPaths.ts';
import { buildFixture, explain, failedChecks, fixtureNames, gradeFixture, readFixture } from './fixtureSubmissions.ts';

const CORRECT = fixtureNames('lab1', (name) => !name.startsWith('broken-') && readFixture('lab1', name).failing.length === 0);

describe('lab1 reference solution', () => {
  it.each([1, 2])('gets full marks, bonus included (seed %i)', async (seed) => {
    const { result, leftovers } = await gradeFixture(lab1Bank, solutionDir('lab1-bank'), seed);
    expect(failedChecks(result), explain(result)).toEqual([]);
    expect(result.score).toBe(result.maxScore + result.bonusMaxScore);
    expect(leftovers).toEqual([]);
  }, 300_000);
});

describe.each(CORRECT)('lab1 correct variant %s', (name) => {
  it.each([1])('gets full marks, bonus included (seed %i)', async (seed) => {
    const { result } = await gradeFixture(lab1Bank, buildFixture(lab1Bank, 'lab1', name), seed);
    expect(failedChecks(result), explain(result)).toEqual([]);
  }, 300_000);
});
