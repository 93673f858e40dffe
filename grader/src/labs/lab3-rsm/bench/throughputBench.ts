/**
 * Lock throughput with `replicas` replicas: three testers of four lockers each, holding each lock
 * 0 ms, for a warm-up and then a measured window. A lock operation is an acquire that was granted
 * or a release: two per ENTER line printed within the window (the tester's own count, 2 per round).
 * With one replica the RSM replicates to nobody: that is the unreplicated server.
 */
import { submissionError } from '../../../errors.ts';
import { testerMicros, LockBenchCluster, type LockBenchSpec } from './lockBenchCluster.ts';
import { pause, waitUntil } from './waitUntil.ts';

const TESTERS = [1, 2, 3];
const LOCKERS = 4;                 // per tester
const TESTER_OPTIONS = ['--lockers', String(LOCKERS), '--rounds', '1000000', '--hold-ms', '0'];
const FIRST_GRANT_BOUND_MS = 30_000;

export interface ThroughputRow {
  replicas: number;
  clients: number;                 // lockers at once: testers × lockers
  seconds: number;                 // the measured window
  grants: number;                  // ENTER lines within it
  opsPerS: number;                 // 2 × grants / seconds
}

export async function measureThroughput(spec: LockBenchSpec, replicas: number, seconds: number, warmUpMs: number): Promise<ThroughputRow> {
  const cluster = await LockBenchCluster.start(spec, `throughput${replicas}`, replicas);
  try {
    const testers = TESTERS.map((clientId) => cluster.startTester(clientId, TESTER_OPTIONS));
    const allGranted = await waitUntil(() => testers.every((tester) => tester.enters.length > 0) || cluster.trouble() !== undefined, FIRST_GRANT_BOUND_MS, spec.signal);
    const label = `${replicas} replica${replicas === 1 ? '' : 's'}`;
    if (!allGranted) throw submissionError(`throughput with ${label}: a tester was granted no lock within ${FIRST_GRANT_BOUND_MS / 1000} s`);
    await pause(warmUpMs, spec.signal);
    const from = testerMicros();
    await pause(seconds * 1000, spec.signal);
    const to = testerMicros();
    const trouble = cluster.trouble();
    if (trouble) throw submissionError(`throughput with ${label}: ${trouble}`);
    const grants = testers.reduce((sum, tester) => sum + tester.enters.filter((at) => at >= from && at < to).length, 0);
    const window = (to - from) / 1e6;
    return { replicas, clients: TESTERS.length * LOCKERS, seconds: window, grants, opsPerS: (2 * grants) / window };
  } finally {
    await cluster.stop();
  }
}
