// A correct submission graded sandboxed gets full marks, and leaves no process of its uid behind.
import { describe, it, expect } from 'vitest';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gradeSubmission } from '../check/gradeSubmission.ts';
import { lab1Bank } from '../labs/lab1-bank/lab.ts';
import { solutionDir } from '../kitPaths.ts';
import { detectSandboxPolicy } from './sandboxPolicy.ts';
import { processesOfUid } from './sandboxAccess.ts';

const UID = 61993;
const policy = detectSandboxPolicy({ uid: UID });

describe.skipIf(policy.uid === undefined)('grading sandboxed', () => {
  it('gives the lab1 solution full marks (parts A and C, clock skew included)', async () => {
    const result = await gradeSubmission({
      lab: lab1Bank,
      source: solutionDir('lab1-bank'),
      seed: 1,
      only: ['lab1.A', 'lab1.C'],
      sandbox: policy,
      reproduceCommand: 'npx rsmlab grade lab1 solutions/lab1-bank',
    });
    const failed = result.checks.filter((check) => check.status === 'failed').map((check) => `${check.id}: ${check.message}`);
    expect(failed).toEqual([]);
    expect(result.score).toBe(result.maxScore);
    expect(result.checks.length).toBe(4);
    expect(processesOfUid(UID)).toEqual([]);
    // Nothing of its uid is left in /dev/shm (libfaketime leaves per-pid files when a process is killed).
    expect(readdirSync('/dev/shm').filter((entry) => statSync(join('/dev/shm', entry), { throwIfNoEntry: false })?.uid === UID)).toEqual([]);
    // The replicas ran as the sandbox uid: their data files are its own.
    expect(statSync(join(result.logRoot, 'lab1.A.one-server', 'data', 'a')).uid).toBe(UID);
    // This test process is not in a network namespace, and the result says so.
    expect(result.warnings.some((warning) => warning.startsWith('no network isolation'))).toBe(true);
    rmSync(result.logRoot, { recursive: true, force: true });
  }, 180_000);
});
