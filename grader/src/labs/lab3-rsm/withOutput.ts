/**
 * Adds to a failed lab 3 check what the programs themselves printed last, other than the testers'
 * ENTER/LEAVE lines and `Listening on port`: a replica's own error (such as "not implemented ...
 * (handout part B)" or "dropped replica 2") then reaches the student next to the grader's verdict.
 */
import type { CheckDef } from '../../check/types.ts';
import { CheckFailure } from '../../check/checkFailure.ts';
import type { CheckContext } from '../../check/checkContext.ts';

const LINES_PER_PROCESS = 4;
const ROUTINE = /^(Listening on port|ENTER |LEAVE |DONE )|^\s+at |^Node\.js v\d/;

export function withOutput(check: CheckDef): CheckDef {
  return {
    ...check,
    async run(context: CheckContext): Promise<void> {
      try {
        await check.run(context);
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        throw new CheckFailure(error.message + whatProcessesSaid(context), error.unknown);
      }
    },
  };
}

function whatProcessesSaid(context: CheckContext): string {
  const said = context.outputTails().flatMap(({ name, lines }) => {
    const useful = lines.filter((line) => line.trim() !== '' && !ROUTINE.test(line));
    return useful.length === 0 ? [] : [`  ${name} printed:`, ...useful.slice(-LINES_PER_PROCESS).map((line) => `    | ${line.slice(0, 200)}`)];
  });
  return said.length === 0 ? '' : `\nWhat the programs printed last (their full logs are in the folder below):\n${said.join('\n')}`;
}
