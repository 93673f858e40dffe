// A lab 3 check measures, on its link proxies, a replica that stops sending: the given heartbeat
// pings every 100 ms, so a second of silence means the machine (or a blocked handler) stalled it.
// A failure seen with such a stall is run again. Real replicas of the reference solution; one is
// paused with SIGSTOP, as a stalled machine would pause it.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { lab3Rsm } from '../src/labs/lab3-rsm/lab.ts';
import { solutionDir } from '../src/kitPaths.ts';
import { prepareSubmission } from '../src/harness/submission.ts';
import { runCheck } from '../src/check/runCheck.ts';
import { CheckFailure } from '../src/check/checkFailure.ts';
import { Findings } from '../src/check/findings.ts';
import type { CheckContext } from '../src/check/checkContext.ts';
import { RsmCluster } from '../src/labs/lab3-rsm/rsmCluster.ts';
import { RsmTap } from '../src/labs/lab3-rsm/rsmTap.ts';
import { awaitMaster } from '../src/labs/lab3-rsm/scenario.ts';
import { processesMarked } from './fixtureSubmissions.ts';

const PAUSE_MS = 1300;

/** Starts three replicas, waits for them to agree, pauses replica 1 for PAUSE_MS, and fails on purpose. */
async function pauseReplicaOne(context: CheckContext): Promise<void> {
  const cluster = await RsmCluster.create(context, { replicas: 3, testers: [] });
  const tap = new RsmTap(context);
  const replicas = await Promise.all([0, 1, 2].map((id) => cluster.startReplica(id)));
  const findings = new Findings();
  await awaitMaster(cluster, [0, 1, 2], 0, findings);
  findings.throwIfAny();
  tap.watchForStalls();
  await delay(300); // a few pings from every replica first
  replicas[1]?.proc.pause();
  await delay(PAUSE_MS);
  replicas[1]?.proc.resume();
  await delay(500);
  throw new CheckFailure('failed on purpose, after the pause');
}

describe('lab 3 stall watch', () => {
  it('measures a paused replica’s silence on the links and runs a failed check again, three runs in all', async () => {
    const submission = await prepareSubmission(lab3Rsm, solutionDir('lab3-rsm'));
    const logRoot = mkdtempSync(join(tmpdir(), 'rsmlab-stall-test-'));
    const runMarker = randomUUID();
    let runs = 0;
    try {
      const result = await runCheck(
        {
          id: 'lab3.test.paused-replica', part: 'A', title: 'a replica paused', points: 1, tags: [], faults: ['pause'], timeoutMs: 60_000,
          run: async (context) => {
            runs++;
            await pauseReplicaOne(context);
          },
        },
        { seed: 1, submission, logRoot, runMarker, reproduce: 'none' },
      );
      expect(runs).toBe(3);
      expect(result.status).toBe('failed');
      expect(result.message).toContain('failed on purpose, after the pause');
      const measured = /The grader measured a stall during this run: replica (\d) sent nothing on any link for (\d+\.\d) s/.exec(result.message);
      expect(measured?.[1]).toBe('1');
      expect(Number(measured?.[2])).toBeGreaterThanOrEqual(1.1);
      expect(result.message.match(/was set aside/g)).toHaveLength(2);
      expect(processesMarked(runMarker)).toEqual([]);
    } finally {
      await submission.dispose();
      rmSync(logRoot, { recursive: true, force: true });
    }
  }, 180_000);
});
