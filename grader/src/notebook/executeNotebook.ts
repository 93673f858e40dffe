/**
 * Runs a notebook top to bottom with real Jupyter and the project's tslab kernel, the way a student's
 * "Run all" does, and returns the executed copy. The source file is never written.
 *
 * Jupyter's part is executeNotebook.py (nbclient), started as a process group of its own. Jupyter
 * starts the kernel in yet another group; the script reports the kernel's pid so that it is killed
 * too, on every exit path (the kernel also stops by itself when Jupyter is gone: exitWithParent.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentError } from '../errors.ts';
import { launch, type ManagedProcess } from '../harness/processLauncher.ts';
import { liveGroups } from '../harness/processRegistry.ts';
import { assertJupyterReady, jupyterEnv, KERNEL_NAME, PYTHON } from './jupyterEnv.ts';
import { cellSource, errorText, readNotebook, type Notebook } from './notebookFile.ts';

const RUNNER = fileURLToPath(new URL('./executeNotebook.py', import.meta.url));
const MISSING_PACKAGES_EXIT = 3;  // the runner's exit code when Jupyter's Python packages are missing
const STOP_GRACE_MS = 5000;       // on SIGTERM, nbclient shuts the kernel down before exiting
const MAX_OUTPUT_LINES = 40;      // of a failed cell's output, in a failure message
const REPORT_LINE = /^rsmlab:(kernel-pid|cell|result) (.*)$/;

export interface ExecuteOptions {
  timeLimitMs?: number;     // the whole run, kernel start included (default 120 s)
  cellTimeLimitMs?: number; // each cell (default 60 s)
  cwd?: string;             // the kernel's working folder (default: the notebook's folder, as in Jupyter)
}

export type FailureKind =
  | 'error'        // the cell threw, or did not compile
  | 'timeout'      // the cell ran longer than cellTimeLimitMs
  | 'kernel-died'  // the kernel process ended while the cell ran
  | 'time-limit';  // the whole run passed timeLimitMs; this cell was running

export interface CellFailure {
  cellIndex: number;  // counting every cell (markdown too) from 0
  kind: FailureKind;
  output: string;     // what the cell said about it (error text, stderr), may be empty
  message: string;    // all of the above, worded for the person who wrote the notebook
}

export interface NotebookRun {
  notebook: Notebook;    // the executed copy; the cells after a failed one have no outputs
  failure?: CellFailure; // the first cell that failed; the cells after it did not run
  elapsedMs: number;     // kernel start included
}

/** What executeNotebook.py reported on stdout. */
interface RunnerReport {
  kernelPid?: number;
  runningCell?: number;  // the cell that started last
  result?: { failedCell: number | null; kind: keyof typeof WHY_THE_CELL_FAILED | 'kernel-start' | null };
}

export async function executeNotebook(notebookPath: string, options: ExecuteOptions = {}): Promise<NotebookRun> {
  const source = resolve(notebookPath);
  const original = readNotebook(source);
  assertJupyterReady(PYTHON);
  const timeLimitMs = options.timeLimitMs ?? 120_000;
  const workDir = mkdtempSync(join(tmpdir(), 'rsmlab-notebook-'));
  const executed = join(workDir, basename(source));
  const started = Date.now();
  try {
    const runner = launch({
      name: 'jupyter',
      command: PYTHON,
      args: ['-I', RUNNER, source, executed, KERNEL_NAME, seconds(options.cellTimeLimitMs ?? 60_000), seconds(timeLimitMs), options.cwd ?? dirname(source)],
      cwd: workDir,
      env: jupyterEnv(),
      logFile: join(workDir, 'jupyter.log'),
    });
    const report = listen(runner);
    const timedOut = await waitWithin(runner, timeLimitMs, report);
    const elapsedMs = Date.now() - started;
    assertKernelRan(runner, report, timedOut ? timeLimitMs : undefined);
    const notebook = report.result ? readNotebook(executed) : original;
    const failure = findFailure(notebook, report, timedOut ? timeLimitMs : undefined);
    return failure ? { notebook, failure, elapsedMs } : { notebook, elapsedMs };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Collects the runner's report lines as they come; the kernel's group joins those killed on exit. */
function listen(runner: ManagedProcess): RunnerReport {
  const report: RunnerReport = {};
  runner.onLine((line, stream) => {
    const match = stream === 'stdout' ? REPORT_LINE.exec(line) : null;
    if (!match) return;
    const [, tag, value = ''] = match;
    if (tag === 'kernel-pid') {
      report.kernelPid = Number(value);
      liveGroups.add(report.kernelPid);  // Jupyter made the kernel the leader of its own group
    } else if (tag === 'cell') report.runningCell = Number(value);
    else report.result = parseResult(value);
  });
  return report;
}

function parseResult(json: string): RunnerReport['result'] {
  try {
    return JSON.parse(json) as RunnerReport['result'];
  } catch {
    return undefined;  // a garbled line: reported below as a failure of the runner, with its output
  }
}

/**
 * Waits for the runner to finish; past the time limit, stops it (nbclient shuts the kernel down on
 * SIGTERM). Either way the kernel's group is killed before returning. Resolves true on time-out.
 */
async function waitWithin(runner: ManagedProcess, timeLimitMs: number, report: RunnerReport): Promise<boolean> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void runner.stop(STOP_GRACE_MS);
  }, timeLimitMs);
  try {
    await runner.exited;
  } finally {
    clearTimeout(timer);
    await runner.stop();  // the runner has exited; this kills whatever it left in its group
    killKernel(report.kernelPid);
  }
  return timedOut;
}

function killKernel(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // nbclient already shut it down
  }
  liveGroups.delete(pid);
}

/**
 * Throws when the run tells nothing about the notebook because Jupyter or the kernel did not work.
 * `timeLimitMs` is given when the run was stopped at that limit.
 */
function assertKernelRan(runner: ManagedProcess, report: RunnerReport, timeLimitMs: number | undefined): void {
  if (report.result?.kind === 'kernel-start') {
    throw environmentError(`the tslab kernel did not start:\n${jupyterOutput(runner)}\nRun \`npm run setup\` to register it again.`);
  }
  if (timeLimitMs === undefined && !report.result) throw runnerError(runner);
  if (timeLimitMs !== undefined && report.runningCell === undefined) {
    throw environmentError(`the tslab kernel did not start within the notebook's time limit (${timeLimitMs / 1000} s):\n${jupyterOutput(runner)}`);
  }
}

/** Why a cell failed, by the kind executeNotebook.py reported. */
const WHY_THE_CELL_FAILED = {
  error: 'it failed',
  timeout: 'it ran longer than the time limit of one cell',
  'kernel-died': 'the kernel stopped while it ran (it crashed, or ran out of memory)',
} as const;

function findFailure(notebook: Notebook, report: RunnerReport, timeLimitMs: number | undefined): CellFailure | undefined {
  if (timeLimitMs !== undefined) {
    return describeFailure(notebook, report.runningCell ?? 0, 'time-limit', `the notebook did not finish within ${timeLimitMs / 1000} s`);
  }
  const { failedCell, kind } = report.result ?? {};
  if (failedCell === null || failedCell === undefined || !kind || kind === 'kernel-start') return undefined;
  return describeFailure(notebook, failedCell, kind, WHY_THE_CELL_FAILED[kind]);
}

function describeFailure(notebook: Notebook, cellIndex: number, kind: FailureKind, reason: string): CellFailure {
  const cell = notebook.cells[cellIndex];
  const output = cell ? withoutKernelFrames(errorText(cell)) : '';
  const quoted = cell ? cellSource(cell).split('\n').slice(0, 5).map((line) => `  | ${line}`).join('\n') : '';
  const message = [
    `cell ${cellIndex + 1} (counting every cell from 1): ${reason}; the cells after it did not run.`,
    quoted,
    output,
  ].filter(Boolean).join('\n');
  return { cellIndex, kind, output, message };
}

/** Drops the stack frames of the kernel's own machinery (tslab, node's vm), which say nothing about the cell. */
function withoutKernelFrames(text: string): string {
  const lines = text.split('\n').filter((line) => !/^\s+at .*(node:vm|node:internal|\/node_modules\/tslab\/)/.test(line));
  if (lines.length <= MAX_OUTPUT_LINES) return lines.join('\n');
  return [...lines.slice(0, MAX_OUTPUT_LINES), `... (${lines.length - MAX_OUTPUT_LINES} more lines)`].join('\n');
}

/** The last lines Jupyter and the kernel printed, without the report lines. */
const jupyterOutput = (runner: ManagedProcess): string => runner.outputTail().filter((line) => !REPORT_LINE.test(line)).join('\n');

function runnerError(runner: ManagedProcess): Error {
  const tail = jupyterOutput(runner);
  if (runner.status()?.code === MISSING_PACKAGES_EXIT) return environmentError(`${tail}\nRun \`npm run setup\` to install Jupyter.`);
  return new Error(`running the notebook with Jupyter failed (${RUNNER}):\n${tail}`);
}

const seconds = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));
