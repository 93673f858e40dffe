/**
 * Runs the submission's `kvClient` once, as a script would, and collects what it printed on
 * stdout and how it ended, within a bound (a client that hangs is stopped and says so).
 */
import type { CheckContext } from '../../check/checkContext.ts';
import { formatTail } from '../../harness/waitForPort.ts';

const CLIENT_BOUND_MS = 30_000; // its own bound is about 10 s with every host dead

export interface ClientRun {
  args: readonly string[];
  stdout: string[];          // its stdout lines, without empty ones
  exit: number | undefined;  // its exit code; undefined when it was killed or stopped
  describe: () => string;    // what it did, for a message
}

export async function runClientProgram(context: CheckContext, args: string[], name: string, cwd: string): Promise<ClientRun> {
  const proc = context.start('kvClient', args, { name, cwd });
  const stdout: string[] = [];
  proc.onLine((line, stream) => {
    if (stream === 'stdout' && line.trim() !== '') stdout.push(line);
  });
  const timer = setTimeout(() => void proc.stop(300), CLIENT_BOUND_MS);
  const status = await proc.exited;
  clearTimeout(timer);
  await proc.outputEnded;
  const hung = status.signal !== null;
  const describe = (): string => {
    const ending = hung ? `did not end within ${CLIENT_BOUND_MS / 1000} s and was stopped` : `exited with code ${status.code}`;
    const printed = stdout.length === 0 ? 'printed nothing on stdout' : `printed on stdout: ${stdout.slice(0, 5).map((line) => JSON.stringify(line.slice(0, 200))).join(', ')}`;
    return `${ending}; it ${printed}.${stdout.length === 0 ? formatTail(proc.outputTail()) : ''}`;
  };
  return { args, stdout, exit: hung ? undefined : (status.code ?? undefined), describe };
}
