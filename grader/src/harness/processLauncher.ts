/**
 * Starts the processes of a submission as real OS processes, each the leader of its own process
 * group, with captured and capped output, a log file, and kill/pause/resume/stop verbs that reach
 * the whole group (a role may fork). Every group is recorded in a registry so that it is killed on
 * every exit path of the grader, including a crash or Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { liveGroups } from './processRegistry.ts';

export interface LaunchSpec {
  name: string;                    // label used in logs and messages, e.g. 'a' or 'coord'
  command: string;                 // executable (looked up on PATH)
  args: readonly string[];
  cwd: string;
  env?: Record<string, string>;    // added to the base environment
  baseEnv?: NodeJS.ProcessEnv;     // the environment it starts from: the grader's by default
  logFile: string;                 // stdout and stderr, interleaved, one line each prefixed by stream
  outputCapBytes?: number;         // bytes of output kept; the rest is read and discarded
  wrap?: CommandWrapper;           // turns command + args into what actually runs (e.g. under sandbox limits)
}

/** Rewrites a command line, e.g. `prlimit ... -- setpriv ... -- CMD ARGS`; the wrapper must exec CMD in place. */
export type CommandWrapper = (command: string, args: readonly string[]) => { command: string; args: string[] };

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

type LineListener = (line: string, stream: 'stdout' | 'stderr') => void;

/** What the grader did to a process, or its exit: for recordings. */
export type ProcessEvent =
  | { kind: 'kill' | 'pause' | 'resume' | 'stop' }
  | { kind: 'exit'; status: ExitStatus };
type EventListener = (event: ProcessEvent) => void;

const DEFAULT_OUTPUT_CAP = 1024 * 1024;
const TAIL_LINES = 30;

export class ManagedProcess {
  readonly name: string;
  readonly exited: Promise<ExitStatus>;  // settles when the process has exited
  readonly outputEnded: Promise<void>;   // settles once stdout and stderr have both closed (lines may come after `exited`)
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private readonly listeners = new Set<LineListener>();
  private readonly eventListeners = new Set<EventListener>(); // control verbs and the exit, as they happen
  private readonly tail: string[] = [];  // the last lines of output, for messages
  private keptBytes = 0;                 // output bytes written to the log so far
  private truncated = false;             // output passed the cap
  private exitStatus: ExitStatus | undefined;

  constructor(private readonly spec: LaunchSpec) {
    this.name = spec.name;
    mkdirSync(dirname(spec.logFile), { recursive: true });
    this.log = createWriteStream(spec.logFile);
    const run = spec.wrap ? spec.wrap(spec.command, spec.args) : { command: spec.command, args: [...spec.args] };
    this.child = spawn(run.command, run.args, {
      cwd: spec.cwd,
      env: { ...(spec.baseEnv ?? process.env), ...spec.env },
      detached: true,                    // its own process group, so a kill reaches its children
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = this.child.pid;
    if (pid !== undefined) liveGroups.add(pid);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.record('stderr', `rsmlab: could not start \`${spec.command}\`: ${error.message}`);
        this.settle({ code: 127, signal: null }, resolve);
      });
      this.child.once('exit', (code, signal) => this.settle({ code, signal }, resolve));
    });
    this.captureLines(this.child.stdout, 'stdout');
    this.captureLines(this.child.stderr, 'stderr');
    this.outputEnded = Promise.all([this.child.stdout, this.child.stderr].map(closed)).then(() => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The exit status once the process has exited, else undefined. */
  status(): ExitStatus | undefined {
    return this.exitStatus;
  }

  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` on each control verb used from now on (kill, pause, resume, stop) and on the exit. */
  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The last lines the process printed, oldest first. */
  outputTail(): string[] {
    return [...this.tail];
  }

  outputWasTruncated(): boolean {
    return this.truncated;
  }

  kill(): void {
    this.tell({ kind: 'kill' });
    this.signalGroup('SIGKILL');
  }

  pause(): void {
    this.tell({ kind: 'pause' });
    this.signalGroup('SIGSTOP');
  }

  resume(): void {
    this.tell({ kind: 'resume' });
    this.signalGroup('SIGCONT');
  }

  /** SIGTERM, then SIGKILL if the process is still there after the grace period. */
  async stop(graceMs = 1000): Promise<ExitStatus> {
    if (this.exitStatus) {
      this.signalGroup('SIGKILL'); // the leader is gone; children it forked may not be
      return this.exitStatus;
    }
    this.tell({ kind: 'stop' });
    this.signalGroup('SIGCONT');   // a paused process cannot handle SIGTERM
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    const status = await this.exited;
    clearTimeout(timer);
    this.signalGroup('SIGKILL');
    return status;
  }

  /** A listener that throws is a grader bug; it must not stop the verb or the exit from happening. */
  private tell(event: ProcessEvent): void {
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (error) {
        process.emitWarning(`process ${this.name}: onEvent listener threw: ${String(error)}`);
      }
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
    if (signal === 'SIGKILL') liveGroups.delete(pid);
  }

  private settle(status: ExitStatus, resolve: (status: ExitStatus) => void): void {
    if (this.exitStatus) return;
    this.exitStatus = status;
    const how = status.signal ? `killed by ${status.signal}` : `exited with code ${status.code}`;
    this.log.write(`[rsmlab] ${this.name} ${how}\n`);
    this.tell({ kind: 'exit', status });
    // Pipes may still deliver buffered output after 'exit'; close the log once both have ended.
    let open = 2;
    const done = (): void => {
      if (--open === 0) this.log.end();
    };
    if (this.child.stdout?.readableEnded ?? true) done();
    else this.child.stdout?.once('close', done);
    if (this.child.stderr?.readableEnded ?? true) done();
    else this.child.stderr?.once('close', done);
    resolve(status);
  }

  private captureLines(stream: NodeJS.ReadableStream | null, kind: 'stdout' | 'stderr'): void {
    if (!stream) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      if (this.truncated) return; // keep draining so the process never blocks on a full pipe
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.record(kind, line);
      if (partial.length > 64 * 1024) {
        this.record(kind, partial);
        partial = '';
      }
    });
    stream.on('end', () => {
      if (partial && !this.truncated) this.record(kind, partial);
    });
    stream.on('error', () => undefined);
  }

  private record(kind: 'stdout' | 'stderr', line: string): void {
    if (this.truncated) return;
    const cap = this.spec.outputCapBytes ?? DEFAULT_OUTPUT_CAP;
    this.keptBytes += line.length + 1;
    if (this.keptBytes > cap) {
      this.truncated = true;
      this.log.write(`[rsmlab] ${this.name} printed more than ${cap} bytes; the rest of its output was discarded\n`);
      return;
    }
    this.log.write(kind === 'stderr' ? `! ${line}\n` : `${line}\n`);
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    for (const listener of this.listeners) listener(line, kind);
  }
}

/** Settles when `stream` has closed (at once when there is none). */
function closed(stream: NodeJS.ReadableStream | null): Promise<void> {
  if (!stream || (stream as { closed?: boolean }).closed) return Promise.resolve();
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

export function launch(spec: LaunchSpec): ManagedProcess {
  return new ManagedProcess(spec);
}
