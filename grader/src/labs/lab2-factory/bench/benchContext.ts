/** What every part of one benchmark run shares: the server command, the run's settings, and its warnings. */
import type { RoleCommand } from '../../../harness/submission.ts';
import type { ClusterSpec, Wiring } from './benchCluster.ts';

export interface BenchContext {
  server: RoleCommand;             // the submission's server role, as the grader runs it
  dir: string;                     // the submission's working copy
  logDir: string;                  // server logs
  wiring: Wiring;
  seconds: number;                 // measured window of each configuration
  warmUpMs: number;                // load before each window, not counted
  signal?: AbortSignal;            // Ctrl-C
  onProgress: (line: string) => void;
  warnings: string[];              // things the reader of the figures must know (a server that did not replicate, ...)
}

export const clusterSpec = (context: BenchContext, name: string, count: number): ClusterSpec => ({
  server: context.server,
  dir: context.dir,
  logDir: context.logDir,
  name,
  count,
  wiring: context.wiring,
  signal: context.signal,
});

/** The warm-up for a window of `seconds`: a tenth of it, at least 200 ms and at most 1 s. */
export const warmUpFor = (seconds: number): number => Math.round(Math.min(1000, Math.max(200, seconds * 100)));
