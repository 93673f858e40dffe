/**
 * Runs the given lock testers (`lockTester CONFIG CLIENT_ID --lockers N --rounds R`) and judges
 * what they printed: every tester ends with DONE within the bound, no ERROR, and mutual
 * exclusion over all of them: for each lock, no two ENTER…LEAVE intervals overlap.
 */
import { performance } from 'node:perf_hooks';
import type { CheckContext } from '../../check/checkContext.ts';
import type { Findings } from '../../check/findings.ts';
import type { ManagedProcess } from '../../harness/processLauncher.ts';
import type { RsmCluster } from './rsmCluster.ts';

export interface TesterPlan {
  lockers: number;
  rounds: number;
  boundMs: number;           // every tester must have printed DONE and exited by then
}

export interface TesterRun {
  id: number;                // its CLIENT_ID
  name: string;              // 'tester1'
  proc: ManagedProcess;
  lines: string[];           // everything it printed on stdout
  startedAt: number;         // performance.now()
}

export function startTesters(context: CheckContext, cluster: RsmCluster, ids: readonly number[], plan: TesterPlan): TesterRun[] {
  return ids.map((id) => {
    const name = `tester${id}`;
    const args = [cluster.configOf(name), String(id), '--lockers', String(plan.lockers), '--rounds', String(plan.rounds)];
    const proc = context.start('lockTester', args, { name });
    const run: TesterRun = { id, name, proc, lines: [], startedAt: performance.now() };
    proc.onLine((line, stream) => {
      if (stream === 'stdout') run.lines.push(line);
    });
    return run;
  });
}

/** Waits until every tester exited and its output was read, or the bound passed; returns the names of those still running. */
export async function awaitTesters(testers: readonly TesterRun[], boundMs: number): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)));
  // Output can still arrive after the exit: the verdict needs every line, DONE last of all.
  await Promise.race([Promise.all(testers.flatMap((tester) => [tester.proc.exited, tester.proc.outputEnded])), bound]);
  clearTimeout(timer);
  return testers.filter((tester) => tester.proc.status() === undefined).map((tester) => tester.name);
}

/** Progress: each tester printed DONE and exited 0; an ERROR line is shown as it was printed. */
export function auditProgress(testers: readonly TesterRun[], stillRunning: readonly string[], boundMs: number, findings: Findings): void {
  for (const tester of testers) {
    const errors = tester.lines.filter((line) => line.startsWith('ERROR'));
    const done = tester.lines.find((line) => line.startsWith('DONE'));
    const status = tester.proc.status();
    if (errors.length > 0) {
      findings.add('tester-error', 'Expected every tester to finish without an error; a tester prints `ERROR` when a call of its RSM client fails:', `${tester.name} printed: ${errors[0]}`);
    } else if (stillRunning.includes(tester.name)) {
      findings.add('tester-hang', `Expected every tester to print DONE within ${boundMs / 1000} s (they normally need a few seconds); these were still running and were stopped:`,
        `${tester.name}, which had printed ${tester.lines.length} lines; its last: ${lastLines(tester)}`);
    } else if (!done || status?.code !== 0) {
      const how = status?.signal ? `was killed by ${status.signal}` : `exited with status ${status?.code ?? '?'}`;
      findings.add('tester-crash', 'Expected every tester to print DONE and exit with status 0:', `${tester.name} ${how} without DONE; its last output: ${lastLines(tester)}`);
    }
  }
}

const lastLines = (tester: TesterRun): string => tester.lines.slice(-2).map((line) => `\`${line}\``).join(', ') || 'nothing';

interface Interval {
  owner: string;             // `CLIENT_ID.LOCKER`, as the lock service knows it
  enter: number;             // µs since the epoch
  leave: number;             // Infinity when it never printed LEAVE
}

/** Mutual exclusion over every tester's ENTER/LEAVE lines; returns how many intervals it judged. */
export function auditMutualExclusion(testers: readonly TesterRun[], findings: Findings): number {
  const byLock = new Map<string, Interval[]>();
  let origin = Infinity;
  for (const tester of testers) {
    const open = new Map<string, Interval>(); // `${lock} ${owner}` -> its open interval
    for (const line of tester.lines) {
      const [word, lock, locker, time] = line.split(' ');
      if ((word !== 'ENTER' && word !== 'LEAVE') || lock === undefined || time === undefined) continue;
      const owner = `${tester.id}.${locker}`;
      const t = Number(time);
      if (word === 'ENTER') {
        const interval = { owner, enter: t, leave: Infinity };
        open.set(`${lock} ${owner}`, interval);
        byLock.set(lock, [...(byLock.get(lock) ?? []), interval]);
        origin = Math.min(origin, t);
      } else {
        const interval = open.get(`${lock} ${owner}`);
        if (interval) interval.leave = t;
        open.delete(`${lock} ${owner}`);
      }
    }
  }
  let judged = 0;
  for (const [lock, intervals] of byLock) {
    intervals.sort((a, b) => a.enter - b.enter);
    judged += intervals.length;
    let holder: Interval | undefined;
    for (const interval of intervals) {
      if (holder && interval.enter < holder.leave) {
        findings.add('two-holders', 'Expected at most one holder of a lock at any time (mutual exclusion), over the ENTER/LEAVE lines of every tester; two held the same lock:',
          `lock ${lock}: locker ${holder.owner} from ${ms(holder.enter, origin)} to ${ms(holder.leave, origin)}, and locker ${interval.owner} from ${ms(interval.enter, origin)} to ${ms(interval.leave, origin)} (times since the first ENTER)`);
      }
      if (!holder || interval.leave > holder.leave) holder = interval;
    }
  }
  return judged;
}

const ms = (micros: number, origin: number): string => (Number.isFinite(micros) ? `${((micros - origin) / 1000).toFixed(3)} ms` : 'its end (no LEAVE)');
