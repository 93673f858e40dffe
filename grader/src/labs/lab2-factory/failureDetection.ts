/** Waiting, within a bound, for backups to notice that their primary is gone. */
import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { Findings } from '../../check/findings.ts';
import type { FactoryCluster } from './factoryCluster.ts';
import { readStatus } from './factoryWorkload.ts';

const NOTICE_BOUND_MS = 5000;   // the primary's connections are reset at once; this is ample
const POLL_MS = 50;

/** Polls each backup's status until its primary_id is −1; reports those that never get there. */
export async function awaitNoPrimary(cluster: FactoryCluster, backups: readonly number[], findings: Findings): Promise<void> {
  const deadline = performance.now() + NOTICE_BOUND_MS;
  for (const backup of backups) {
    let primaryId = (await readStatus(cluster.port(backup), `factory ${backup}`)).primaryId;
    while (primaryId !== -1 && performance.now() < deadline) {
      await delay(POLL_MS);
      primaryId = (await readStatus(cluster.port(backup), `factory ${backup}`)).primaryId;
    }
    if (primaryId !== -1) {
      findings.add('primary-not-reset', `Expected each backup to set primary_id to −1 once its primary's connection ended (handout, "Primary admin connections"), within ${NOTICE_BOUND_MS / 1000} s:`,
        `factory ${backup} still reports primary_id ${primaryId}`);
    }
  }
}
