/**
 * The process groups started by this grader and not yet killed. Whatever way the grader ends
 * (normal exit, uncaught error, Ctrl-C, SIGTERM), every group left here is sent SIGKILL.
 */

export const liveGroups = new Set<number>();

export function killAllGroups(): void {
  for (const pid of liveGroups) {
    for (const signal of ['SIGCONT', 'SIGKILL'] as const) {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    }
  }
  liveGroups.clear();
}

// 'exit' handlers must be synchronous; process.kill is.
process.on('exit', killAllGroups);
