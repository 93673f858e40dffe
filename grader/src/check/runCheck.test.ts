import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { runCheck } from './runCheck.ts';
import { CheckFailure } from './checkFailure.ts';
import type { CheckDef } from './types.ts';
import type { Submission } from '../harness/submission.ts';
import { processesMarked } from '../../test/fixtureSubmissions.ts';

const scratch = mkdtempSync(join(tmpdir(), 'rsmlab-runcheck-test-'));
const submission: Submission = {
  source: scratch,
  dir: scratch,
  roles: { sleeper: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] } },
  dispose: async () => undefined,
};

function check(run: CheckDef['run'], timeoutMs = 5000): CheckDef {
  return { id: 'test.A.check', part: 'A', title: 'a check', points: 5, tags: [], faults: [], timeoutMs, run };
}

const options = (runMarker: string) => ({ seed: 1, submission, logRoot: scratch, runMarker, reproduce: 'rsmlab grade test --seed 1' });

describe('runCheck', () => {
  it('passes, fails with the message and the reproduce line, and stops what the check started', async () => {
    const marker = randomUUID();
    const passed = await runCheck(check(async (context) => void context.start('sleeper', [], { name: 'one' })), options(marker));
    expect(passed).toMatchObject({ status: 'passed', points: 5, maxPoints: 5 });
    const failed = await runCheck(check(async () => { throw new CheckFailure('expected X, observed Y'); }), options(marker));
    expect(failed.status).toBe('failed');
    expect(failed.points).toBe(0);
    expect(failed.message).toContain('expected X, observed Y');
    expect(failed.message).toContain('Reproduce: rsmlab grade test --seed 1');
    expect(processesMarked(marker)).toEqual([]);
  });

  it('fails with UNKNOWN at the time bound, and an abandoned check cannot start anything afterwards', async () => {
    const marker = randomUUID();
    let lateStart: unknown;
    const slow = check(async (context) => {
      await delay(600);
      try {
        context.start('sleeper', [], { name: 'late' });
      } catch (error) {
        lateStart = error;
      }
    }, 200);
    const result = await runCheck(slow, options(marker));
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/^UNKNOWN/);
    await expect.poll(() => lateStart, { timeout: 3000 }).toBeInstanceOf(CheckFailure);
    expect(processesMarked(marker)).toEqual([]);
  });

  it('turns an unexpected error into a failed UNKNOWN check, not a crash', async () => {
    const result = await runCheck(check(async () => { throw new TypeError('oops'); }), options(randomUUID()));
    expect(result.status).toBe('failed');
    expect(result.message).toContain('UNKNOWN: the grader hit an internal error');
  });
});
