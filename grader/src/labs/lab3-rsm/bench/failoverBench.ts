/**
 * One failover measurement: three replicas, two testers keeping the master busy, then the master
 * (replica 0) is killed. The figure is the time from the kill to the first lock that replica 1,
 * the next master, grants: the bench itself asks replica 1 for a fresh lock every few milliseconds
 * (each ask a new lock, so the first one replica 1 executes is granted) and stops at the first
 * GRANTED. Until replica 1's heartbeat counts replica 0 as down, it answers NOT_MASTER.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { submissionError } from '../../../errors.ts';
import { throwIfAborted } from '../../lab2-factory/bench/closedLoop.ts';
import { callReplica } from '../rsmWire.ts';
import { testerMicros, LockBenchCluster, type LockBenchSpec } from './lockBenchCluster.ts';
import { waitUntil } from './waitUntil.ts';

const WARM_ENTERS = 200;           // lock grants the testers reach before the kill: the master is busy
const WARM_BOUND_MS = 30_000;
const GRANT_BOUND_MS = 20_000;     // far past the heartbeat's 1.5 s: no grant by then is a broken failover
const PROBE_PAUSE_MS = 5;          // between two asks of replica 1
const TESTER_OPTIONS = ['--lockers', '4', '--rounds', '1000000', '--hold-ms', '1'];

export interface FailoverRun {
  grantMs: number;                 // from the kill to replica 1's first GRANTED
  asks: number;                    // the bench's invokes at replica 1 until then
}

export async function measureFailover(spec: LockBenchSpec, run: number): Promise<FailoverRun> {
  const cluster = await LockBenchCluster.start(spec, `failover${run}`, 3);
  try {
    const testers = [1, 2].map((clientId) => cluster.startTester(clientId, TESTER_OPTIONS));
    const granted = (): number => testers.reduce((sum, tester) => sum + tester.enters.length, 0);
    const warm = await waitUntil(() => granted() >= WARM_ENTERS || cluster.trouble() !== undefined, WARM_BOUND_MS, spec.signal);
    const trouble = cluster.trouble();
    if (trouble) throw submissionError(`failover run ${run}: before the kill, ${trouble}`);
    if (!warm) throw submissionError(`failover run ${run}: the testers were granted ${granted()} locks in ${WARM_BOUND_MS / 1000} s, fewer than the ${WARM_ENTERS} the bench waits for before it kills the master`);
    const killedAt = cluster.kill(0);
    return await firstGrant(cluster, run, killedAt, spec.signal);
  } finally {
    await cluster.stop();
  }
}

/** Asks replica 1 for fresh locks until one is granted. */
async function firstGrant(cluster: LockBenchCluster, run: number, killedAt: number, signal?: AbortSignal): Promise<FailoverRun> {
  const client = `bench-probe.${randomBytes(4).toString('hex')}`;
  const port = cluster.ports[1] as number;
  for (let asks = 1; testerMicros() - killedAt < GRANT_BOUND_MS * 1000; asks++) {
    throwIfAborted(signal);
    const op = { kind: 'acquire', lock: `bench-probe-${asks}`, owner: client };
    const outcome = await callReplica(port, 'invoke', { client, clientSeq: asks, op }, 1000);
    if (outcome.kind === 'reply' && outcome.reply.ok && outcome.reply.result === 'GRANTED') {
      return { grantMs: (testerMicros() - killedAt) / 1000, asks };
    }
    await delay(PROBE_PAUSE_MS);
  }
  throw submissionError(`failover run ${run}: replica 1 granted no lock within ${GRANT_BOUND_MS / 1000} s of the master's kill`);
}
