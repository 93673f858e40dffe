/**
 * Entry of the `rsmlab` command: one sub-command per file, one top-level error handler, and the
 * only place that calls process.exit.
 */
import { Command, CommanderError } from 'commander';
import { RsmlabError } from '../errors.ts';
import { killAllGroups } from '../harness/processRegistry.ts';
import { EXIT, EXIT_CODES_HELP } from './exitCodes.ts';
import { checkCommand } from './commands/check.ts';
import { gradeCommand } from './commands/grade.ts';
import { runCommand } from './commands/run.ts';
import { overviewCommand } from './commands/overview.ts';
import { labsCommand } from './commands/labs.ts';
import { docsCommand } from './commands/docs.ts';
import { notebookCommand } from './commands/notebook.ts';
import { exportCommand } from './commands/export.ts';
import { notebooksCommand } from './commands/notebooks.ts';
import { benchCommand } from './commands/bench.ts';
import { releaseCommand } from './commands/release.ts';
import { submitCommand } from './commands/submit.ts';
import { batchCommand } from './commands/batch.ts';
import { gradescopeCommand } from './commands/gradescope.ts';
import { handoutsCommand } from './commands/handouts.ts';
import { chosenSandbox, isolateNetwork, RanInNamespace } from './sandboxOption.ts';

/** Commands that run a submission's processes themselves (`batch` leaves that to its children). */
const RUNS_SUBMISSIONS = new Set(['grade', 'check']);

function buildProgram(): Command {
  const program = new Command('rsmlab')
    .description('Labs on replicated state machines: run the programs, check your work, grade submissions.')
    .version('0.1.0')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .hook('preAction', async (_program, action) => {
      const sandbox = chosenSandbox(action.getOptionValue('sandbox'));
      if (sandbox && RUNS_SUBMISSIONS.has(action.name())) await isolateNetwork(sandbox);
      stopEverythingOnSignals(); // here, not earlier: outside the namespace, signals are passed on to it
    });
  const commands = [
    overviewCommand(), runCommand(), checkCommand(), gradeCommand(), labsCommand(), docsCommand(),
    notebookCommand(), exportCommand(), notebooksCommand(), benchCommand(),
    submitCommand(), releaseCommand(), batchCommand(), gradescopeCommand(), handoutsCommand(),
  ];
  for (const command of commands) {
    program.addCommand(command.addHelpText('after', EXIT_CODES_HELP).exitOverride());
  }
  return program;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof RanInNamespace) return error.exitCode;
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof RsmlabError) {
    process.stderr.write(`rsmlab: ${error.message}\n`);
    if (error.code === 'ENVIRONMENT') return EXIT.environment;
    if (error.code === 'INTERRUPTED') return EXIT.interrupted;
    return EXIT.usage;
  }
  process.stderr.write(`rsmlab: internal error (please report it):\n${error instanceof Error ? error.stack : String(error)}\n`);
  return EXIT.internal;
}

function stopEverythingOnSignals(): void {
  const stop = (): void => {
    killAllGroups();
    process.stderr.write(`\nrsmlab: interrupted; every process it started was stopped.\n`);
    process.exit(EXIT.interrupted);
  };
  // `on`, not `once`: a second Ctrl-C while stopping must not kill the grader before it has killed the rest.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
}

async function main(): Promise<number> {
  try {
    await buildProgram().parseAsync(process.argv);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (error) {
    return exitCodeFor(error);
  }
}

const code = await main();
killAllGroups();
process.exit(code);
