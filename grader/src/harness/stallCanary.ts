/**
 * A measure of the machine, not of the program under test: a tiny process that prints a byte
 * every 100 ms while a check runs. When a second or more passes between two of its bytes, the
 * machine did not run its processes (or the grader) for that long — overload, swapping, a
 * stalled disk — and every timing of the check is suspect: the program may have been stalled
 * too, through no fault of its own. runCheck then runs a failed check again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const TICK_MS = 100;
export const STALL_MS = 1000;

// Exits by itself when the grader is gone: a write to the closed pipe fails.
const CANARY_SOURCE = `setInterval(() => process.stdout.write('.'), ${TICK_MS}); process.stdout.on('error', () => process.exit(0));`;

export class StallCanary {
  private last: number | undefined;       // performance.now() of the newest tick
  private longest = 0;                    // longest gap between two ticks, in ms

  private constructor(
    private readonly child: ChildProcess,
    private readonly onStall: (ms: number) => void,
  ) {
    child.stdout?.on('data', () => this.tick());
    child.on('error', () => undefined); // a canary that cannot start measures nothing; the check goes on
  }

  /** Starts a canary; `onStall` is called with each gap of STALL_MS or more between two ticks. */
  static start(onStall: (ms: number) => void): StallCanary {
    const child = spawn(process.execPath, ['-e', CANARY_SOURCE], { stdio: ['ignore', 'pipe', 'ignore'] });
    return new StallCanary(child, onStall);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The longest gap between two ticks so far, in ms. */
  longestGapMs(): number {
    return this.longest;
  }

  /** Kills it; resolves once it has exited, so that no process of the check outlives it. */
  async stop(): Promise<void> {
    this.child.stdout?.removeAllListeners('data');
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }

  private tick(): void {
    const now = performance.now();
    if (this.last !== undefined) {
      const gap = now - this.last;
      this.longest = Math.max(this.longest, gap);
      if (gap >= STALL_MS) this.onStall(gap);
    }
    this.last = now;
  }
}
