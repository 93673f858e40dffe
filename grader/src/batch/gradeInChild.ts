/**
 * Grades one submission in a child process of its own (`rsmlab grade ... --json FILE`), so that a
 * crash, a hang or a runaway submission cannot reach the other gradings or the batch itself. The
 * child leads its own process group; past its wall bound the group gets SIGTERM, then SIGKILL after
 * a grace period, and every process still carrying the job's marker is killed too.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckDef } from '../check/types.ts';
import { liveGroups } from '../harness/processRegistry.ts';
import { KIT_ROOT } from '../kitPaths.ts';
import { BATCH_MARKER, killMarked } from './markedProcesses.ts';
import type { SandboxMode } from '../sandbox/sandboxChoice.ts';

export interface ChildCommand {
  command: string;
  args: string[];
}

export interface GradeChildSpec {
  lab: string;              // lab id, e.g. 'lab1-bank'
  entry: string;            // the submission's path (folder, archive or notebook)
  jsonFile: string;         // where the child writes Gradescope's results.json
  logsDir: string;          // the child's --logs folder
  seed: number;
  only?: readonly string[];
  sandbox: SandboxMode;
}

/**
 * The command that grades one submission. With a sandbox, that `rsmlab grade` puts itself in a
 * network namespace of its own and runs the submission under its worker's uid and limits.
 */
export function gradeChildCommand(spec: GradeChildSpec): ChildCommand {
  const args = [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), 'grade', spec.lab, spec.entry, '--json', spec.jsonFile, '--seed', String(spec.seed), '--logs', spec.logsDir, '--sandbox', spec.sandbox];
  if (spec.only && spec.only.length > 0) args.push('--only', spec.only.join(','));
  return { command: process.execPath, args };
}

/** A generous bound for a whole grading: every check's own bound, half again, plus a minute to prepare. */
export function wallBoundMs(checks: readonly CheckDef[]): number {
  return Math.round(checks.reduce((sum, check) => sum + check.timeoutMs, 0) * 1.5) + 60_000;
}

export interface ChildRun {
  command: ChildCommand;
  cwd: string;
  logFile: string;          // the child's stdout and stderr
  marker: string;           // value of BATCH_MARKER in the child's environment
  env?: Record<string, string>; // added to the child's environment
  wallBoundMs: number;
  graceMs?: number;         // between SIGTERM and SIGKILL
  abort?: AbortSignal;      // stops the child as on its wall bound, outcome 'interrupted'
}

export interface ChildOutcome {
  kind: 'exited' | 'timeout' | 'interrupted';
  code: number | null;
  signal: string | null;
  durationMs: number;
  lastError: string;        // the child's last `rsmlab: ...` line, else its last stderr line
}

const LOG_CAP_BYTES = 8 * 1024 * 1024;

export async function runGradingChild(run: ChildRun): Promise<ChildOutcome> {
  const started = Date.now();
  mkdirSync(dirname(run.logFile), { recursive: true });
  const log = createWriteStream(run.logFile);
  const child = spawn(run.command.command, run.command.args, {
    cwd: run.cwd,
    env: { ...process.env, ...run.env, [BATCH_MARKER]: run.marker, NO_COLOR: '1', FORCE_COLOR: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid !== undefined) liveGroups.add(pid);
  let logged = 0;
  let lastError = '';
  let stderrTail = '';
  const keep = (chunk: Buffer): void => {
    if (logged < LOG_CAP_BYTES) log.write(chunk.subarray(0, LOG_CAP_BYTES - logged));
    logged += chunk.length;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', (chunk: Buffer) => {
    keep(chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4096);
    const lines = stderrTail.split('\n').map((line) => line.trim()).filter(Boolean);
    lastError = lines.filter((line) => line.startsWith('rsmlab: ')).at(-1) ?? lines.at(-1) ?? '';
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('error', (error) => {
      lastError = `could not start the grading process: ${error.message}`;
      resolve({ code: 127, signal: null });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  let kind: ChildOutcome['kind'] = 'exited';
  const timer = setTimeout(() => {
    kind = 'timeout';
    void stopGroup(pid, exited, run.graceMs ?? 3000);
  }, run.wallBoundMs);
  const onAbort = (): void => {
    if (kind === 'exited') kind = 'interrupted';
    void stopGroup(pid, exited, run.graceMs ?? 3000);
  };
  run.abort?.addEventListener('abort', onAbort, { once: true });
  if (run.abort?.aborted) onAbort();

  const status = await exited;
  clearTimeout(timer);
  run.abort?.removeEventListener('abort', onAbort);
  if (pid !== undefined) {
    signalGroup(pid, 'SIGKILL'); // whatever of its group outlived it
    liveGroups.delete(pid);
  }
  await killMarkedAndWait(run.marker); // and whatever it started in groups of their own
  await Promise.race([closed, sleep(2000)]);
  if (logged > LOG_CAP_BYTES) log.write(`\n[batch: ${logged - LOG_CAP_BYTES} more bytes of output dropped]\n`);
  await new Promise<void>((resolve) => log.end(resolve));
  return { kind, ...status, durationMs: Date.now() - started, lastError };
}

/** SIGKILLs the marked processes until none is left (a killed process lingers until the kernel has torn it down), at most 5 s. */
async function killMarkedAndWait(marker: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (killMarked(marker) > 0 && Date.now() < deadline) await sleep(50);
}

async function stopGroup(pid: number | undefined, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  const gone = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!gone) signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
