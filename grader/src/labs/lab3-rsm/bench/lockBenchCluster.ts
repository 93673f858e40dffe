/**
 * The replicas and lock testers of one lab 3 benchmark run, as real processes that share one
 * CONFIG, as a student starts them from several terminals: direct loopback links and no proxy in
 * between, so the figures are the submission's own. Ports are reserved first; a start that fails
 * because someone else took a port in between is retried.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, type ManagedProcess } from '../../../harness/processLauncher.ts';
import { formatTail, waitForPort } from '../../../harness/waitForPort.ts';
import type { RoleCommand } from '../../../harness/submission.ts';
import { submissionError } from '../../../errors.ts';
import { isPortTaken, reserveFreePorts } from '../../lab2-factory/freePorts.ts';
import { throwIfAborted } from '../../lab2-factory/bench/closedLoop.ts';
import { configText } from '../configText.ts';

export interface LockBenchSpec {
  lockServer: RoleCommand;         // the submission's roles, as the grader runs them
  lockTester: RoleCommand;
  dir: string;                     // the submission's working copy
  logDir: string;                  // one log file per process
  signal?: AbortSignal;            // Ctrl-C: stops every process at once
}

const STARTUP_MS = 20_000;         // tsx may take seconds to start on a loaded machine
const START_ATTEMPTS = 3;

/** Microseconds on the machine's monotonic clock: the testers' clock for ENTER and LEAVE. */
export const testerMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** A lock tester whose ENTER times are kept as they are printed. */
export interface BenchTester {
  proc: ManagedProcess;
  enters: number[];                // the <t> of every ENTER line, µs on the testers' clock
  errors: string[];                // its ERROR lines
}

export class LockBenchCluster {
  private readonly testers: BenchTester[] = [];

  private constructor(
    private readonly spec: LockBenchSpec,
    readonly name: string,          // names this run in log files, e.g. 'failover-3'
    readonly ports: number[],       // ports[id]: where replica id listens
    readonly config: string,        // the CONFIG file every process reads
    private readonly replicas: ManagedProcess[],
  ) {}

  /** Starts replicas 0 … count − 1 and waits until each one listens. */
  static async start(spec: LockBenchSpec, name: string, count: number): Promise<LockBenchCluster> {
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(spec.signal);
      const ports = await reserveFreePorts(count);
      const config = join(spec.dir, `bench-${name}.config`);
      writeFileSync(config, `# written by rsmlab bench\n${configText(ports)}`);
      const replicas = ports.map((_, id) => launchRole(spec, spec.lockServer, [config, String(id)], `replica ${id} (${name})`, `${name}-replica${id}.log`));
      const cluster = new LockBenchCluster(spec, name, ports, config, replicas);
      const listening = await Promise.allSettled(replicas.map((proc) => waitForPort(proc, STARTUP_MS)));
      const failed = listening.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (!failed) return cluster;
      await cluster.stop();
      const reason = (failed.reason as Error).message;
      throwIfAborted(spec.signal);
      if (!isPortTaken(reason) || attempt === START_ATTEMPTS) throw submissionError(`a replica did not start (${name}): ${reason}`);
    }
  }

  /** Starts `./lockTester CONFIG CLIENT_ID` with `options` (e.g. --lockers 4). */
  startTester(clientId: number, options: readonly string[]): BenchTester {
    const proc = launchRole(this.spec, this.spec.lockTester, [this.config, String(clientId), ...options], `tester ${clientId} (${this.name})`, `${this.name}-tester${clientId}.log`);
    const tester: BenchTester = { proc, enters: [], errors: [] };
    proc.onLine((line, stream) => {
      if (stream !== 'stdout') return;
      const enter = /^ENTER \S+ \S+ (\d+)$/.exec(line);
      if (enter) tester.enters.push(Number(enter[1]));
      else if (line.startsWith('ERROR')) tester.errors.push(line);
    });
    this.testers.push(tester);
    return tester;
  }

  /** Kills replica `id` at once (SIGKILL, as a crash) and returns when the kill was sent, µs on the testers' clock. */
  kill(id: number): number {
    const at = testerMicros();
    this.replicas[id]?.kill();
    return at;
  }

  /** Why the run cannot be measured: a tester that printed ERROR or exited, with its last lines; undefined when all is well. */
  trouble(): string | undefined {
    for (const tester of this.testers) {
      const [error] = tester.errors;
      if (error !== undefined) return `${tester.proc.name} stopped: ${error}`;
      if (tester.proc.status() !== undefined) return `${tester.proc.name} exited.${formatTail(tester.proc.outputTail().filter((line) => !/^(ENTER|LEAVE) /.test(line)), 6)}`;
    }
    return undefined;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.testers, ...this.replicas.map((proc) => ({ proc }))].map(({ proc }) => proc.stop(500)));
  }
}

function launchRole(spec: LockBenchSpec, role: RoleCommand, args: string[], name: string, logName: string): ManagedProcess {
  return launch({ name, command: role.command, args: [...role.args, ...args], cwd: spec.dir, env: { FORCE_COLOR: '0' }, logFile: join(spec.logDir, logName) });
}
