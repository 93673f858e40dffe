/**
 * What a lab notebook's cells call (any lab): run the programs of the saved notebook as real
 * processes for one experiment, show what they printed, and run the lab's checks (notebookCheck.ts).
 *
 * A cell loads this file through loadLabNotebook.cjs (tslab cannot import kit modules statically)
 * and keeps only what the student reads or runs: the commands of the handout, one call per
 * experiment. The `/** @module NAME *\/` cells are never run by the kernel: tslab takes that JSDoc
 * tag as its own and only registers the cell as a module file, so `main()` does not start there.
 * Every process an experiment starts is stopped before the cell's promise settles, whatever
 * happened, so a cell can be re-run at once and nothing runs after the notebook.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { usageError } from '../errors.ts';
import { findLab } from '../labs/labRegistry.ts';
import type { LabDef } from '../labs/labDef.ts';
import { launch, type ExitStatus, type ManagedProcess } from '../harness/processLauncher.ts';
import { prepareSubmission, type RoleCommand, type Submission } from '../harness/submission.ts';
import { waitForPort } from '../harness/waitForPort.ts';
import { checkNotebook, saveFirst, type NotebookCheckOptions } from './notebookCheck.ts';
import { showBalances } from './balancesTable.ts';
import { showHtml } from './cellDisplay.ts';
import { quietLabImports } from './moduleCellImports.ts';

export { showBalances, showHtml };
export { showRecords, showStatus, startFactories, waitForLog } from './factoryNotebook.ts';
export { benchFactories } from './factoryBench.ts';
export { joinReplica, rpc, showReplicas, startReplicas, waitForMaster, waitForSeq } from './rsmNotebook.ts';
export { deadHost, startNodes } from './kvNotebook.ts';

const EXPERIMENT_LIMIT_MS = 60_000;  // one experiment, start to end; past it every process is stopped
const CLIENT_LIMIT_MS = 30_000;      // one program run to its end (a client with --count)
const STARTUP_MS = 20_000;           // for `Listening on port N ...`
const SHOWN_LINES = 8;               // lines of one process shown in the cell; all are in its log
const STOP_GRACE_MS = 1500;
const OUTPUT_GRACE_MS = 1000;        // for a process's last lines, once it has exited

/**
 * One lab's notebook: `openLab('lab1', 'lab1-bank.ipynb')`. The file name is resolved from the
 * kernel's folder, which is the notebook's; a Jupyter server that tells the kernel the notebook's
 * path (JPY_SESSION_NAME) is believed first.
 */
export function openLab(labName: string, notebookFile: string): NotebookLab {
  const path = notebookPath(notebookFile);
  if (!existsSync(path)) {
    throw usageError(`there is no notebook file ${path}: save this notebook, or give the name it is saved under, e.g. openLab('${labName}', 'my-copy.ipynb')`);
  }
  const lab = findLab(labName);
  quietLabImports(lab);  // tslab checks a module cell without the lab's other files: it need not say so in red
  return new NotebookLab(lab, path);
}

function notebookPath(file: string): string {
  const session = process.env.JPY_SESSION_NAME;
  if (session && isAbsolute(session) && session.endsWith('.ipynb')) return session;
  return resolve(process.cwd(), file);
}

export interface ExperimentOptions {
  timeLimitMs?: number;  // the whole experiment (default 60 s)
  saveFirst?: boolean;   // ask the front-end to save first, and say so when it could not
}

export class NotebookLab {
  constructor(
    readonly lab: LabDef,
    readonly notebook: string, // absolute path of the notebook file, as saved
  ) {}

  /**
   * Runs `body` with the programs of the saved notebook (its module cells written over the
   * starter's files, the given files the grader's own, as grading does) in a private folder, then
   * stops every process it started and removes the folder. Bounded by `timeLimitMs`. Work that
   * starts processes of its own (a benchmark) stops them when `run.signal` aborts, as the experiment ends.
   * `saveFirst`: have the front-end save the notebook first, for a cell that runs the student's code.
   */
  async experiment<T>(body: (run: Experiment) => Promise<T>, options: ExperimentOptions = {}): Promise<T> {
    const timeLimitMs = options.timeLimitMs ?? EXPERIMENT_LIMIT_MS;
    if (options.saveFirst) await saveFirst(this.notebook, 'runs');
    const submission = await prepareSubmission(this.lab, this.notebook);
    const ended = new AbortController();
    const run = new Experiment(submission, mkdtempSync(join(tmpdir(), `rsmlab-notebook-${this.lab.id}-`)), ended.signal);
    let timer: NodeJS.Timeout | undefined;
    const overtime = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the experiment did not finish within ${timeLimitMs / 1000} s; every process it started was stopped`)), timeLimitMs);
    });
    const running = (async () => body(run))();  // a body that throws at once is cleaned up after too
    try {
      return await Promise.race([running, overtime]);
    } finally {
      clearTimeout(timer);
      ended.abort();
      await run.stopAll();
      await settledWithin(running, STOP_GRACE_MS);  // past the time limit, the body may be stopping processes of its own (run.signal)
      await submission.dispose();
      rmSync(run.logDir, { recursive: true, force: true });
    }
  }

  /** The check cell: saves the notebook if the front-end can, then grades the saved file (notebookCheck.ts). */
  check(options: NotebookCheckOptions = {}): Promise<void> {
    return checkNotebook(this.lab, this.notebook, options);
  }
}

/** The processes of one experiment, started as from terminals; each line they print is shown labelled. */
export class Experiment {
  private readonly started: Started[] = [];  // every process, oldest first
  private readonly cleanups: (() => Promise<void>)[] = [];  // run by stopAll(), after the processes stop

  constructor(
    private readonly submission: Submission,
    readonly logDir: string,       // one log per process
    readonly signal: AbortSignal,  // aborted when the experiment ends: work that starts processes of its own stops them then
  ) {}

  /** The folder the programs run in (`tmp/a` of the handout is inside it). */
  get dir(): string {
    return this.submission.dir;
  }

  /** How a program of the lab is run (`server`, `srv`): the command the checks use, before its own arguments. */
  command(role: string): RoleCommand {
    const command = this.submission.roles[role];
    if (!command) throw new Error(`the lab has no program "${role}"; it has: ${Object.keys(this.submission.roles).join(', ')}`);
    return command;
  }

  /** Starts a program that listens (`srv`, `coord`) and resolves with its port. */
  async server(role: string, args: readonly string[], name: string): Promise<number> {
    return waitForPort(this.start(role, args, name), STARTUP_MS);
  }

  /** Starts a program that listens in folder `cwd` (a lab 4 node's own), and resolves with the process and its port. */
  async serverIn(cwd: string, role: string, args: readonly string[], name: string): Promise<{ proc: ManagedProcess; port: number }> {
    const proc = this.start(role, args, name, cwd);
    return { proc, port: await waitForPort(proc, STARTUP_MS) };
  }

  /** Has `cleanup` run when the experiment ends, once its processes have stopped (a cluster's link proxies). */
  onEnd(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  /** Runs a program to its end (a client with `--count`); stopped past `timeLimitMs`. */
  async runToEnd(role: string, args: readonly string[], name: string, timeLimitMs = CLIENT_LIMIT_MS): Promise<ExitStatus> {
    const proc = this.start(role, args, name);
    const timer = setTimeout(() => {
      console.log(`${label(name)} (still running after ${timeLimitMs / 1000} s: stopped)`);
      void proc.stop(STOP_GRACE_MS);
    }, timeLimitMs);
    try {
      return await ended(proc);  // with its last lines shown (showOutput)
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the running process `name` at once, as `kill -9` does (it cleans nothing up), and waits until it is gone. */
  async kill(name: string): Promise<void> {
    const named = this.named(name);
    const running = named.filter(({ proc }) => proc.status() === undefined);
    if (running.length === 0) console.log(`${label(name)} (not running any more: nothing to kill)`);
    for (const { proc } of running) {
      proc.kill();
      await proc.exited;
    }
  }

  /** Starts the server `name` again, after it was killed, with the program and arguments it had; resolves with its port. */
  async restart(name: string): Promise<number> {
    const last = this.named(name).at(-1) as Started;
    if (last.proc.status() === undefined) throw new Error(`${name} is still running: kill it first (run.kill('${name}'))`);
    return waitForPort(this.start(last.role, last.args, name, last.cwd), STARTUP_MS);
  }

  /** A program's file in the experiment's folder, e.g. `tmp/a`, as text ('' when missing). */
  readFile(path: string): string {
    try {
      return readFileSync(join(this.dir, path), 'utf8');
    } catch {
      return '';
    }
  }

  /** Prints files the way `cat` would, each under its name. */
  showFiles(paths: readonly string[]): void {
    for (const path of paths) console.log(`==> ${path} <==\n${this.readFile(path) || '(missing or empty)\n'}`);
  }

  /** Stops every process still running, newest first (clients before the servers they talk to). */
  async stopAll(): Promise<void> {
    for (const { proc } of [...this.started].reverse()) await proc.stop(STOP_GRACE_MS);
    for (const cleanup of this.cleanups.splice(0)) await cleanup().catch(() => undefined);
  }

  /** The processes started under `name`, oldest first; none is a mistake in the cell. */
  private named(name: string): Started[] {
    const named = this.started.filter(({ proc }) => proc.name === name);
    if (named.length === 0) throw new Error(`this experiment started no process named "${name}"; it started: ${[...new Set(this.started.map(({ proc }) => proc.name))].join(', ') || 'none'}`);
    return named;
  }

  private start(role: string, args: readonly string[], name: string, cwd?: string): ManagedProcess {
    if (this.signal.aborted) throw new Error(`the experiment has ended: ${name} was not started`);
    const command = this.command(role);
    const earlier = this.started.filter(({ proc }) => proc.name === name).length;
    // Run in another folder, a word that names a file of the programs' folder (kvServer.ts) is made absolute.
    const fromDir = (word: string): string => (!isAbsolute(word) && existsSync(join(this.dir, word)) ? join(this.dir, word) : word);
    const proc = launch({
      name,
      command: command.command,
      args: [...(cwd ? command.args.map(fromDir) : command.args), ...args],
      cwd: cwd ?? this.dir,
      env: { FORCE_COLOR: '0' },
      logFile: join(this.logDir, earlier === 0 ? `${name}.log` : `${name}.${earlier + 1}.log`),  // a restart keeps the first log
    });
    this.started.push({ proc, role, args: [...args], ...(cwd ? { cwd } : {}) });
    showOutput(proc);
    return proc;
  }
}

interface Started {
  proc: ManagedProcess;
  role: string;                // as given to server() or runToEnd()
  args: readonly string[];     // the program's own arguments
  cwd?: string;                // its folder, when not the programs' folder
}

/** Waits until `promise` settles, or `ms` pass. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise.then(() => undefined, () => undefined), elapsed]);
  clearTimeout(timer);
}

/**
 * The exit status once the process has exited and its output has been read: a pipe may deliver its
 * last lines after the exit. A child that keeps the pipes open is not waited for past OUTPUT_GRACE_MS.
 */
async function ended(proc: ManagedProcess): Promise<ExitStatus> {
  const status = await proc.exited;
  await settledWithin(proc.outputEnded, OUTPUT_GRACE_MS);
  return status;
}

/**
 * Shows a process's first lines in the cell, then how many more it printed and the last of them
 * (a tester's DONE or ERROR line), then how it ended.
 */
function showOutput(proc: ManagedProcess): void {
  let lines = 0;
  let last = '';
  proc.onLine((line) => {
    lines += 1;
    last = line;
    if (lines <= SHOWN_LINES) console.log(`${label(proc.name)} ${line}`);
  });
  void ended(proc).then((status) => {
    if (lines > SHOWN_LINES + 1) console.log(`${label(proc.name)} ... and ${lines - SHOWN_LINES - 1} more lines, then:`);
    if (lines > SHOWN_LINES) console.log(`${label(proc.name)} ${last}`);
    const how = status.signal ? `stopped (${status.signal})` : `exited with code ${status.code}`;
    console.log(`${label(proc.name)} (${how})`);
  });
}

const label = (name: string): string => `${name.padEnd(6)}|`;
