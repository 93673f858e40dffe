/**
 * What a running check may use: the submission's roles as real processes, link proxies, a seeded
 * rng, a scratch folder, and notes for the student. Everything it starts is stopped by `cleanup`,
 * which the runner calls on every path.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, type ManagedProcess } from '../harness/processLauncher.ts';
import { LinkProxy, type LinkEvent, type LinkPolicy } from '../harness/linkProxy.ts';
import { clockSkewEnv } from '../harness/clockSkew.ts';
import { waitForPort } from '../harness/waitForPort.ts';
import { commandArgsFrom, type Submission } from '../harness/submission.ts';
import type { Rng } from '../harness/rng.ts';
import { CheckFailure } from './checkFailure.ts';
import { sandboxedEnvironment, wrapCommand } from '../sandbox/sandboxPolicy.ts';
import { grantFolder, grantPassage, killSandboxUid } from '../sandbox/sandboxAccess.ts';
import type { CheckRecorder } from '../record/checkRecorder.ts';

export interface StartOptions {
  name: string;              // label for logs and messages, unique within the check
  skewSeconds?: number;      // shift the process's wall clock
  startupMs?: number;        // bound on printing `Listening on port N ...`
  cwd?: string;              // its working folder (lab 4: the node's folder); the submission's folder by default
}

export type Measure = number | string | boolean;

/** A stall of the machine measured during a check: the longest one, described, and all of them added up. */
export interface Stall {
  longestMs: number;
  description: string;   // of the longest, e.g. `replica 0 sent nothing for 2.1 s`
  totalMs: number;
}

export interface StartedServer {
  proc: ManagedProcess;
  port: number;
}

/** The environment variable that marks every process a grading run starts (tests look for leftovers with it). */
export const RUN_MARKER = 'RSMLAB_RUN';

/** Bound on a role printing `Listening on port N ...`: tsx alone may take seconds on a busy machine. */
const STARTUP_MS = 20_000;

export class CheckContext {
  readonly dataDir: string;                    // scratch folder for the check's data files
  private readonly processes: ManagedProcess[] = [];
  private readonly proxies: LinkProxy[] = [];
  private readonly notes: string[] = [];
  private readonly linkEvents: LinkEvent[] = [];
  private readonly linkListeners = new Set<(event: LinkEvent) => void>();
  private cleanedUp = false;                   // set by cleanup(): an abandoned check may start nothing more
  private stall: Stall | undefined;   // the longest stall the check measured, and all of them together
  private readonly measured: Record<string, Measure> = {};          // figures reported beside the verdict

  constructor(
    readonly seed: number,
    readonly rng: Rng,
    readonly submission: Submission,
    readonly logDir: string,
    private readonly runMarker: string,
    readonly recorder?: CheckRecorder,           // records the check for its log folder, when recording is on
  ) {
    this.dataDir = join(logDir, 'data');
    mkdirSync(this.dataDir, { recursive: true });
    const sandbox = submission.sandbox;
    if (sandbox) {
      grantFolder(sandbox.policy, this.dataDir); // the roles write their data files here
      grantPassage(sandbox.policy, logDir);      // the logs stay the grader's
    }
  }

  /** A new folder under the data folder (a lab 4 node's working folder) holding `files`, that the roles may read and write in. */
  makeFolder(name: string, files: Readonly<Record<string, string>> = {}): string {
    const dir = join(this.dataDir, name);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    if (this.submission.sandbox) grantFolder(this.submission.sandbox.policy, dir);
    return dir;
  }

  /** Starts a role of the submission (or a given program) with the program's own arguments. */
  start(role: string, args: readonly string[], options: StartOptions): ManagedProcess {
    this.refuseAfterCleanup();
    const command = this.submission.roles[role];
    if (!command) throw new Error(`the lab has no role "${role}"`);
    if (command.file && !existsSync(join(this.submission.dir, command.file))) {
      throw new CheckFailure(`${command.file} is missing from the submission; it is needed to run the ${role} role.`);
    }
    const sandbox = this.submission.sandbox;
    const skew = clockSkewEnv(options.skewSeconds ?? 0);
    const proc = launch({
      name: options.name,
      command: command.command,
      args: [...(options.cwd ? commandArgsFrom(command, this.submission.dir) : command.args), ...args],
      cwd: options.cwd ?? this.submission.dir,
      env: {
        ...(sandbox ? {} : skew),
        [RUN_MARKER]: this.runMarker,
        FORCE_COLOR: '0',
        ...(sandbox ? { TMPDIR: sandbox.tmpDir } : {}),
      },
      logFile: join(this.logDir, `${options.name}.log`),
      ...(sandbox ? { baseEnv: sandboxedEnvironment(sandbox.tmpDir) } : {}),
      // Sandboxed, the clock skew is set after the wrappers, for the program alone (see wrapCommand).
      ...(sandbox ? { wrap: (cmd: string, cmdArgs: readonly string[]) => wrapCommand(sandbox.policy, cmd, cmdArgs, skew) } : {}),
    });
    this.processes.push(proc);
    this.recorder?.attach(proc);
    return proc;
  }

  /** Starts a role that listens, and waits for its port. */
  async startServer(role: string, args: readonly string[], options: StartOptions): Promise<StartedServer> {
    const proc = this.start(role, args, options);
    const port = await waitForPort(proc, options.startupMs ?? STARTUP_MS);
    return { proc, port };
  }

  async startProxy(name: string, targetPort: number, policy: Partial<LinkPolicy> = {}): Promise<LinkProxy> {
    this.refuseAfterCleanup();
    const proxy = await LinkProxy.start({
      name,
      target: { host: '127.0.0.1', port: targetPort },
      rng: this.rng.fork(`proxy:${name}`),
      policy,
      onEvent: (event) => {
        this.linkEvents.push(event);
        this.recorder?.linkEvent(event);
        for (const listener of this.linkListeners) listener(event);
      },
      ...(this.recorder ? { onPolicyChange: this.recorder.policyChange.bind(this.recorder) } : {}),
    });
    this.proxies.push(proxy);
    if (this.cleanedUp) await proxy.close(); // cleanup ran while it was starting
    return proxy;
  }

  /** A line shown with the check's result, passed or failed. */
  note(text: string): void {
    this.notes.push(text);
    this.recorder?.note(text);
  }

  /**
   * Says that the check measured a stall of the machine (processes or the grader not scheduled for
   * longer than the timeouts the lab's given code relies on) of `ms`, described as e.g. `replica 0
   * sent nothing for 2.1 s`. A failure of such a run says nothing sure about the program, unless
   * it outlasts the stalls added up (CheckFailure.outlastsStallMs): runCheck runs the check again.
   */
  reportStall(ms: number, description: string): void {
    const totalMs = (this.stall?.totalMs ?? 0) + ms;
    this.stall = this.stall === undefined || ms > this.stall.longestMs ? { longestMs: ms, description, totalMs } : { ...this.stall, totalMs };
  }

  /** The longest stall reported (with the time of all stalls together), if any. */
  stallSeen(): Stall | undefined {
    return this.stall;
  }

  /** A figure the check measured (availability, traffic, ...), reported beside its verdict and in results.json. */
  measure(name: string, value: Measure): void {
    this.measured[name] = value;
  }

  measures(): Readonly<Record<string, Measure>> {
    return this.measured;
  }

  allNotes(): readonly string[] {
    return this.notes;
  }

  /** The last lines each process printed (all of them, in start order), for failure messages. */
  outputTails(): { name: string; lines: string[] }[] {
    return this.processes.map((proc) => ({ name: proc.name, lines: proc.outputTail() }));
  }

  /** Processes whose output passed the capture cap, for a note in the result. */
  floodedProcesses(): string[] {
    return this.processes.filter((proc) => proc.outputWasTruncated()).map((proc) => proc.name);
  }

  /** Calls `listener` on every event of every link from now on: the hook for faults triggered by protocol events. */
  onLinkEvent(listener: (event: LinkEvent) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  /**
   * A check abandoned at its time bound keeps running in the background until its own waits end;
   * it must not start processes or links once everything it had was stopped.
   */
  private refuseAfterCleanup(): void {
    if (this.cleanedUp) throw new CheckFailure('the check was stopped at its time bound; nothing more may start');
  }

  events(): readonly LinkEvent[] {
    return this.linkEvents;
  }

  async cleanup(): Promise<void> {
    this.cleanedUp = true;
    await Promise.all(this.proxies.map((proxy) => proxy.close()));
    await Promise.all(this.processes.map((proc) => proc.stop(300)));
    // A process that left its group (setsid, double fork) is still the sandbox uid's.
    if (this.submission.sandbox) killSandboxUid(this.submission.sandbox.policy);
  }
}
