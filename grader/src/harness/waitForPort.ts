/** Waits for a process to announce its port with the kit's `Listening on port N ...` line. */
import type { ManagedProcess } from './processLauncher.ts';
import { CheckFailure } from '../check/checkFailure.ts';
import { STACK_LINE } from './stackLines.ts';

const LISTENING = /Listening on port (\d+)/;

export function waitForPort(proc: ManagedProcess, timeoutMs: number): Promise<number> {
  return waitForLine(proc, LISTENING, timeoutMs, "'Listening on port N ...'").then((match) => Number(match[1]));
}

/** Resolves with the first output line matching `pattern`; fails if the process exits or the bound passes first. */
export function waitForLine(
  proc: ManagedProcess,
  pattern: RegExp,
  timeoutMs: number,
  description: string,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const tail = (): string => formatTail(proc.outputTail());
    const timer = setTimeout(() => {
      cleanup();
      // Silent for the whole bound: a stall shorter than half of it cannot explain that.
      reject(new CheckFailure(`${proc.name} did not print ${description} within ${timeoutMs / 1000} s.${tail()}`, false, timeoutMs / 2));
    }, timeoutMs);
    const stopListening = proc.onLine((line) => {
      const match = pattern.exec(line);
      if (!match) return;
      cleanup();
      resolve(match);
    });
    void proc.exited.then((status) => {
      cleanup();
      const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
      reject(new CheckFailure(`${proc.name} ${how} before printing ${description}.${tail()}`));
    });
    function cleanup(): void {
      clearTimeout(timer);
      stopListening();
    }
  });
}

/** A process's last output lines for a message, without stack frames. */
export function formatTail(lines: readonly string[], count = 12): string {
  const useful = lines.filter((line) => line.trim() !== '' && !STACK_LINE.test(line));
  if (useful.length === 0) return ' It printed nothing.';
  const shown = useful.slice(-count).map((line) => `    | ${line.slice(0, 300)}`);
  return `\n  Its last output:\n${shown.join('\n')}`;
}
