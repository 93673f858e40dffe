/**
 * Adds to a failed check what the programs themselves printed last, so that a program's own
 * message, such as "not implemented (handout part B)", reaches the student next to the grader's
 * verdict. Lines every run prints (`Listening on port`, stack frames, and what `routine` names,
 * e.g. lab 3 testers' ENTER/LEAVE) are left out.
 */
import type { CheckDef } from './types.ts';
import { CheckFailure } from './checkFailure.ts';
import type { CheckContext } from './checkContext.ts';
import { STACK_LINE } from '../harness/stackLines.ts';

const LINES_PER_PROCESS = 4;
const LISTENING = /^Listening on port/;

export function withOutput(check: CheckDef, routine?: RegExp): CheckDef {
  return {
    ...check,
    async run(context: CheckContext): Promise<void> {
      try {
        await check.run(context);
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        throw new CheckFailure(error.message + whatProcessesSaid(context, routine), error.unknown);
      }
    },
  };
}

function whatProcessesSaid(context: CheckContext, routine: RegExp | undefined): string {
  const said = context.outputTails().flatMap(({ name, lines }) => {
    const useful = lines.filter((line) => line.trim() !== '' && !LISTENING.test(line) && !STACK_LINE.test(line) && !routine?.test(line));
    return useful.length === 0 ? [] : [`  ${name} printed:`, ...useful.slice(-LINES_PER_PROCESS).map((line) => `    | ${line.slice(0, 200)}`)];
  });
  return said.length === 0 ? '' : `\nWhat the programs printed last (their full logs are in the folder below):\n${said.join('\n')}`;
}
