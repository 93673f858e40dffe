import { describe, expect, test } from 'vitest';
import { Findings } from '../../check/findings.ts';
import type { RsmCluster } from './rsmCluster.ts';
import type { Invoked, Replicated, RsmTap } from './rsmTap.ts';
import { auditAtMostOnce, auditReplicatedBeforeAnswer } from './wireAudits.ts';

const op = { kind: 'acquire', lock: 's1', owner: '2.1' };
const ack = (t: number) => ({ reply: { id: 1, ok: true, result: {} }, receivedAt: t - 0.5, t });
const replicate = (from: number, to: number, seq: number, ackedAt?: number): Replicated =>
  ({ link: `${from}→${to}`, from, to, seq, client: '2.1.6a4d405d', clientSeq: 7, op, t: 0, ...(ackedAt === undefined ? {} : { answer: ack(ackedAt) }) });
const invoke = (replica: number, answeredAt: number): Invoked =>
  ({ link: `tester2→${replica}`, tester: 'tester2', replica, client: '2.1.6a4d405d', clientSeq: 7, op, t: 0, answer: { reply: { id: 1, ok: true, result: 'GRANTED' }, receivedAt: answeredAt, t: answeredAt + 0.2 } });
const tapOf = (replicates: Replicated[], invokes: Invoked[] = []): RsmTap => ({ replicates, invokes, joins: [] }) as unknown as RsmTap;
const cluster = (killed: Record<number, number> = {}): RsmCluster =>
  ({ ids: [0, 1, 2], startedAt: () => 0, killedAt: (id: number) => killed[id] }) as unknown as RsmCluster;
const message = (findings: Findings): string => {
  try {
    findings.throwIfAny();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('lab 3 wire audits', () => {
  test('one request acknowledged under two seqs was executed twice', () => {
    const findings = new Findings();
    auditAtMostOnce(tapOf([replicate(0, 1, 41, 5), replicate(1, 2, 41, 9), replicate(1, 2, 43, 12)]), findings);
    expect(message(findings)).toContain('acquire s1 from client 2.1 (clientSeq 7): as #41 (replica 0 → replica 1, acknowledged) and as #43 (replica 1 → replica 2, acknowledged)');
  });

  test('the same seq sent again (catch-up) is not a second execution', () => {
    const findings = new Findings();
    auditAtMostOnce(tapOf([replicate(0, 1, 41, 5), replicate(1, 2, 41, 9), replicate(1, 2, 41, 10)]), findings);
    expect(findings.isEmpty()).toBe(true);
  });

  test('an answer before a live replica acknowledged is reported; after every acknowledgement it is fine', () => {
    const early = new Findings();
    auditReplicatedBeforeAnswer(tapOf([replicate(0, 1, 41, 5), replicate(0, 2, 41, 9)], [invoke(0, 7)]), cluster(), early);
    expect(message(early)).toContain('replica 0 answered "GRANTED" to acquire s1 from client 2.1 (clientSeq 7) before replica 2 had executed it: its acknowledgement reached the master 2.0 ms after the answer left');
    const fine = new Findings();
    auditReplicatedBeforeAnswer(tapOf([replicate(0, 1, 41, 5), replicate(0, 2, 41, 6)], [invoke(0, 7)]), cluster(), fine);
    expect(fine.isEmpty()).toBe(true);
  });

  test('a replica killed before the answer need not have acknowledged', () => {
    const findings = new Findings();
    auditReplicatedBeforeAnswer(tapOf([replicate(0, 1, 41, 5), replicate(0, 2, 41)], [invoke(0, 7)]), cluster({ 2: 6 }), findings);
    expect(findings.isEmpty()).toBe(true);
  });
});
