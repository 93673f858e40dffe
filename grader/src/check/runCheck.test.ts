import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { runCheck } from './runCheck.ts';
import { CheckFailure } from './checkFailure.ts';
import type { CheckDef } from './types.ts';
import type { Submission } from '../harness/submission.ts';
import { processesMarked } from '../../test/fixtureSubmissions.ts';
import { RsmlabError } from '../errors.ts';
import type { Timeline } from '../record/recordTypes.ts';

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

  it('records the check, passed or not, also when it timed out or the grader could not run it', async () => {
    const recording = { ...options(randomUUID()), record: {} };
    const timedOut = await runCheck(check(async (context) => {
      context.start('sleeper', [], { name: 'one' }).pause();
      await delay(1000);
    }, 300), recording);
    expect(timedOut.recording && existsSync(timedOut.recording)).toBeTruthy();
    const timeline = JSON.parse(readFileSync(timedOut.timeline as string, 'utf8')) as Timeline;
    expect(timeline.events.map((event) => event.kind)).toEqual(['start', 'pause', 'stop', 'exit', 'verdict']);
    expect(timeline.events.at(-1)?.text).toMatch(/^verdict: FAILED — UNKNOWN: the check did not reach a verdict/);
    expect(readFileSync(timedOut.timelineSvg as string, 'utf8')).toContain('class="pause"');
    const fatal = runCheck(check(async () => { throw new RsmlabError('ENVIRONMENT', 'libfaketime is missing'); }), recording);
    await expect(fatal).rejects.toThrow('libfaketime');
    expect(readFileSync(join(scratch, 'test.A.check', 'recording.cast'), 'utf8')).toContain('verdict: FAILED — the grader could not run this check: libfaketime is missing');
    const plain = await runCheck(check(async () => undefined), options(randomUUID()));
    expect(plain.recording).toBeUndefined();
  });

  it('runs a check again when a run failed with a measured stall, keeping the set-aside logs; a stall without failure counts', async () => {
    let runs = 0;
    const stalledOnce = check(async (context) => {
      runs++;
      if (runs === 1) {
        context.reportStall(2100, 'replica 0 sent nothing for 2.1 s');
        throw new CheckFailure('dumps differ');
      }
    });
    const result = await runCheck({ ...stalledOnce, id: 'test.A.stalled-once' }, options(randomUUID()));
    expect(runs).toBe(2);
    expect(result.status).toBe('passed');
    expect(result.message).toContain('Run 1 of this check failed while replica 0 sent nothing for 2.1 s');
    expect(existsSync(join(scratch, 'test.A.stalled-once.set-aside-1', 'data'))).toBe(true);

    runs = 0;
    const passedThroughStall = check(async (context) => { runs++; context.reportStall(1200, 'replica 1 sent nothing for 1.2 s'); });
    expect((await runCheck({ ...passedThroughStall, id: 'test.A.passed-stalled' }, options(randomUUID()))).status).toBe('passed');
    expect(runs).toBe(1);
  });

  it('fails a check that fails with a stall on every run, after three runs, saying so', async () => {
    let runs = 0;
    const alwaysStalled = check(async (context) => {
      runs++;
      context.reportStall(runs * 1000, `replica 0 sent nothing for ${runs} s`);
      throw new CheckFailure('a handler blocks');
    });
    const result = await runCheck({ ...alwaysStalled, id: 'test.A.always-stalled' }, options(randomUUID()));
    expect(runs).toBe(3);
    expect(result.status).toBe('failed');
    expect(result.message).toContain('a handler blocks');
    expect(result.message).toContain('The grader measured a stall during this run: replica 0 sent nothing for 3 s.');
    expect(result.message.match(/was set aside/g)).toHaveLength(2);
  });

  it('does not run a check again for a stall its failure outlasts (silent 20 s, stalled 2 s in all), but does for a longer one', async () => {
    let runs = 0;
    const neverListens = (stallMs: number) => check(async (context) => {
      runs++;
      context.reportStall(stallMs / 2, 'the machine ran none of its processes for a while');
      context.reportStall(stallMs / 2, 'the machine ran none of its processes for a while');
      throw new CheckFailure('srv did not print Listening within 20 s', false, 10_000);
    });
    const short = await runCheck({ ...neverListens(2000), id: 'test.A.short-stall' }, options(randomUUID()));
    expect(runs).toBe(1);
    expect(short.status).toBe('failed');
    expect(short.message).not.toContain('set aside');
    runs = 0;
    await runCheck({ ...neverListens(12_000), id: 'test.A.long-stall' }, options(randomUUID()));
    expect(runs).toBe(3);
  });
});
