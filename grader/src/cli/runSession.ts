/**
 * The processes of `rsmlab run`, in one terminal: each line labelled and coloured by process,
 * everything stopped together on Ctrl-C or when one of them fails to start.
 */
import { join } from 'node:path';
import { launch, type ManagedProcess } from '../harness/processLauncher.ts';
import { waitForPort } from '../harness/waitForPort.ts';
import { commandArgsFrom, type RoleCommand } from '../harness/submission.ts';
import { colourEnabled, paint, type Colour } from '../report/colors.ts';

const PALETTE: readonly Colour[] = ['cyan', 'magenta', 'yellow', 'blue', 'green', 'red'];

export class RunSession {
  private readonly processes: ManagedProcess[] = [];
  private readonly colour = colourEnabled(process.stdout);

  constructor(
    readonly dir: string,
    private readonly roles: Record<string, RoleCommand>,
    private readonly logDir: string,
  ) {}

  /**
   * Starts a role with its arguments, in the submission's folder or in `cwd` (a lab 4 node's own
   * folder, the role's file then named by its full path); its output appears labelled with `name`.
   */
  start(role: string, args: readonly string[], name: string, cwd?: string): ManagedProcess {
    const command = this.roles[role];
    if (!command) throw new Error(`no role "${role}"`);
    const commandArgs = cwd ? commandArgsFrom(command, this.dir) : command.args;
    const proc = launch({
      name,
      command: command.command,
      args: [...commandArgs, ...args],
      cwd: cwd ?? this.dir,
      logFile: join(this.logDir, `${name}.log`),
    });
    const label = paint(this.colour, PALETTE[this.processes.length % PALETTE.length] as Colour, `${name.padEnd(6)}|`);
    proc.onLine((line, stream) => {
      (stream === 'stderr' ? process.stderr : process.stdout).write(`${label} ${line}\n`);
    });
    void proc.exited.then((status) => {
      const how = status.signal ? `killed by ${status.signal}` : `exited with code ${status.code}`;
      process.stdout.write(`${label} ${paint(this.colour, 'gray', `(${how})`)}\n`);
    });
    this.processes.push(proc);
    return proc;
  }

  /** Starts a role that listens and returns its port. */
  async startServer(role: string, args: readonly string[], name: string, cwd?: string): Promise<number> {
    return waitForPort(this.start(role, args, name, cwd), 20_000);
  }

  /** Resolves when every process has exited (clients with --count, or after stopAll). */
  async allExited(): Promise<void> {
    await Promise.all(this.processes.map((proc) => proc.exited));
  }

  /** Stops the processes newest first, so clients finish their last request before the servers go. */
  async stopAll(): Promise<void> {
    for (const proc of [...this.processes].reverse()) await proc.stop(1500);
  }
}
