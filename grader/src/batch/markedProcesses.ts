/**
 * Finds and kills processes by a variable in their environment. Every grading child of a batch
 * carries `RSMLAB_BATCH_JOB=<batch>/<submission>/`, and so does every process it starts (they
 * inherit it), even those that left its process group: killing by marker reaches them all.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const BATCH_MARKER = 'RSMLAB_BATCH_JOB';

/**
 * The marker of one submission's grading. It ends with '/' so that, as a prefix, it matches that
 * grading alone: without it, ending the grading of `alice` would kill the one of `alice-late`.
 */
export const jobMarker = (batchId: string, submission: string): string => `${batchId}/${submission}/`;

/** The prefix of every marker of a batch. */
export const batchMarker = (batchId: string): string => `${batchId}/`;

/** Pids of live processes whose environment has `BATCH_MARKER=<value>` with value starting with `prefix`. */
export function markedProcesses(prefix: string): number[] {
  const needle = `${BATCH_MARKER}=${prefix}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').some((item) => item.startsWith(needle))) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** SIGKILLs every process (and the group it may lead) marked with `prefix`; synchronous, so usable on 'exit'. */
export function killMarked(prefix: string): number {
  const pids = markedProcesses(prefix);
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // not a group leader, or already gone
      }
    }
  }
  return pids.length;
}
