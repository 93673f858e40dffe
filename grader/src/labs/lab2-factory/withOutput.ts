/**
 * Adds to a failed lab 2 check what the programs themselves printed (besides `Listening on port`),
 * so that a server's own message, such as "not implemented (handout part B)", reaches the student
 * next to the grader's verdict.
 */
import type { CheckDef } from '../../check/types.ts';
import { CheckFailure } from '../../check/checkFailure.ts';
import type { CheckContext } from '../../check/checkContext.ts';

const LINES_PER_PROCESS = 4;

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
    const useful = lines.filter((line) => line.trim() !== '' && !/^Listening on port/.test(line) && !/^\s+at /.test(line) && !/^Node\.js v\d/.test(line));
    return useful.length === 0 ? [] : [`  ${name} printed:`, ...useful.slice(-LINES_PER_PROCESS).map((line) => `    | ${line.slice(0, 200)}`)];
  });
  return said.length === 0 ? '' : `\nWhat the programs printed last (their full logs are in the folder below):\n${said.join('\n')}`;
}
