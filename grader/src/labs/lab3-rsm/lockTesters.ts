/**
 * Runs the given lock testers (`lockTester CONFIG CLIENT_ID --lockers N --rounds R`) and judges
 * what they printed: every tester ends with DONE, no ERROR, and mutual exclusion over all of them:
 * for each lock, no two ENTER…LEAVE intervals overlap. A run that hangs is told from a slow one by
 * silence: the testers are stopped once none has printed a line for a while (or, whatever they
 * print, after a total bound), so a busy machine slows a correct run down without failing it.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { CheckContext } from '../../check/checkContext.ts';
import type { Findings } from '../../check/findings.ts';
import type { ManagedProcess } from '../../harness/processLauncher.ts';
import type { RsmCluster } from './rsmCluster.ts';

export interface TesterPlan {
  lockers: number;
  rounds: number;
  quietMs: number;           // the testers are hung once none has printed a line for this long
  totalMs: number;           // and stopped after this long whatever they print
}

/** Testers stopped before they were done, and which bound stopped them. */
export interface Unfinished {
  names: string[];
  bound: 'quiet' | 'total';
}

export interface TesterRun {
  id: number;                // its CLIENT_ID
  name: string;              // 'tester1'
  proc: ManagedProcess;
  lines: string[];           // everything it printed on stdout
  startedAt: number;         // performance.now()
  lastLineAt: number;        // performance.now() of its latest stdout line; startedAt before the first
}

export function startTesters(context: CheckContext, cluster: RsmCluster, ids: readonly number[], plan: TesterPlan): TesterRun[] {
  return ids.map((id) => {
    const name = `tester${id}`;
    const args = [cluster.configOf(name), String(id), '--lockers', String(plan.lockers), '--rounds', String(plan.rounds)];
    const proc = context.start('lockTester', args, { name });
    const startedAt = performance.now();
    const run: TesterRun = { id, name, proc, lines: [], startedAt, lastLineAt: startedAt };
    proc.onLine((line, stream) => {
      if (stream !== 'stdout') return;
      run.lines.push(line);
      run.lastLineAt = performance.now();
    });
    return run;
  });
}

const POLL_MS = 100;

/** Waits until every tester exited and its output was read, or a bound of `plan` passed; returns the testers still running then. */
export async function awaitTesters(testers: readonly TesterRun[], plan: TesterPlan): Promise<Unfinished | undefined> {
  let finished = false;
  // Output can still arrive after the exit: the verdict needs every line, DONE last of all.
  const allFinished = Promise.all(testers.flatMap((tester) => [tester.proc.exited, tester.proc.outputEnded])).then(() => void (finished = true));
  const start = performance.now();
  while (!finished) {
    await Promise.race([allFinished, delay(POLL_MS)]);
    const now = performance.now();
    const lastLine = Math.max(start, ...testers.map((tester) => tester.lastLineAt));
    const bound = now - lastLine > plan.quietMs ? 'quiet' : now - start > plan.totalMs ? 'total' : undefined;
    if (!finished && bound) return { bound, names: testers.filter((tester) => tester.proc.status() === undefined).map((tester) => tester.name) };
  }
  return undefined;
}

/** Progress: each tester printed DONE and exited 0; an ERROR line is shown as it was printed. */
export function auditProgress(testers: readonly TesterRun[], unfinished: Unfinished | undefined, plan: TesterPlan, findings: Findings): void {
  const expected = unfinished?.bound === 'quiet'
    ? `Expected the testers to keep going until DONE; none printed a line for ${plan.quietMs / 1000} s (a correct run pauses for a few seconds at most, even while a new master takes over), and these were still running and were stopped:`
    : `Expected every tester to print DONE within ${plan.totalMs / 1000} s (they normally need a few seconds); these were still running and were stopped:`;
  for (const tester of testers) {
    const errors = tester.lines.filter((line) => line.startsWith('ERROR'));
    const done = tester.lines.find((line) => line.startsWith('DONE'));
    const status = tester.proc.status();
    if (errors.length > 0) {
      findings.add('tester-error', 'Expected every tester to finish without an error; a tester prints `ERROR` when a call of its RSM client fails:', `${tester.name} printed: ${errors[0]}`);
    } else if (unfinished?.names.includes(tester.name)) {
      findings.add('tester-hang', expected, `${tester.name}, which had printed ${tester.lines.length} lines; its last: ${lastLines(tester)}`);
    } else if (!done || status?.code !== 0) {
      const how = status?.signal ? `was killed by ${status.signal}` : `exited with status ${status?.code ?? '?'}`;
      findings.add('tester-crash', 'Expected every tester to print DONE and exit with status 0:', `${tester.name} ${how} without DONE; its last output: ${lastLines(tester)}`);
    }
  }
}

const lastLines = (tester: TesterRun): string => tester.lines.slice(-2).map((line) => `\`${line}\``).join(', ') || 'nothing';

interface Interval {
  owner: string;             // `CLIENT_ID.LOCKER`, as the lock service knows it
  enter: number;             // µs on the machine's monotonic clock (the testers' TIME)
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
