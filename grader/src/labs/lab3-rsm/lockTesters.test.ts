import { describe, expect, test } from 'vitest';
import { Findings } from '../../check/findings.ts';
import type { ManagedProcess } from '../../harness/processLauncher.ts';
import { auditMutualExclusion, type TesterRun } from './lockTesters.ts';
import { LockModel } from './lockModel.ts';

const tester = (id: number, lines: string[]): TesterRun => ({ id, name: `tester${id}`, proc: {} as ManagedProcess, lines, startedAt: 0, lastLineAt: 0 });
const failure = (findings: Findings): string => {
  try {
    findings.throwIfAny();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('lab 3 mutual exclusion audit', () => {
  test('back-to-back holders of a lock, across testers, are fine', () => {
    const findings = new Findings();
    const judged = auditMutualExclusion([
      tester(1, ['ENTER s0 0 1000', 'LEAVE s0 0 3000', 'ENTER c1.0 0 3500', 'LEAVE c1.0 0 4000']),
      tester(2, ['ENTER s0 1 3200', 'LEAVE s0 1 5000', 'DONE 4 operations in 5 ms']),
    ], findings);
    expect(judged).toBe(3);
    expect(findings.isEmpty()).toBe(true);
  });

  test('two holders at once: the lock, both lockers and the overlapping times', () => {
    const findings = new Findings();
    auditMutualExclusion([
      tester(1, ['ENTER s1 2 1000', 'LEAVE s1 2 4000']),
      tester(3, ['ENTER s1 0 2500', 'LEAVE s1 0 5000']),
    ], findings);
    expect(failure(findings)).toContain('lock s1: locker 1.2 from 0.000 ms to 3.000 ms, and locker 3.0 from 1.500 ms to 4.000 ms');
  });

  test('an ENTER without LEAVE holds the lock to the end', () => {
    const findings = new Findings();
    auditMutualExclusion([tester(1, ['ENTER s0 0 1000']), tester(2, ['ENTER s0 0 9000', 'LEAVE s0 0 9500'])], findings);
    expect(failure(findings)).toContain('locker 1.0 from 0.000 ms to its end (no LEAVE)');
  });
});

describe('lab 3 lock model', () => {
  test('replays in seq order, at most once per client request', () => {
    const model = new LockModel();
    const acquire = (seq: number, client: string, clientSeq: number, lock: string): string | undefined =>
      model.apply({ seq, client, clientSeq, op: { kind: 'acquire', lock, owner: client } });
    expect(acquire(1, 'a', 1, 's0')).toBe('GRANTED');
    expect(acquire(2, 'b', 1, 's0')).toBe('RETRY');
    expect(acquire(2, 'b', 1, 's0')).toBeUndefined(); // seq 2 again: not the next one
    expect(acquire(3, 'a', 1, 's1')).toBe('DUPLICATE');
    expect(model.apply({ seq: 4, client: 'a', clientSeq: 2, op: { kind: 'release', lock: 's0', owner: 'a' } })).toBe('OK');
    expect(acquire(5, 'b', 2, 's0')).toBe('GRANTED');
  });
});
