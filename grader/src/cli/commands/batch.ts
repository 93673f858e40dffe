/**
 * `rsmlab batch LAB SUBMISSIONS_DIR --out DIR`: grades a whole class, each submission in its own
 * child process, with bounded parallelism, resumable after an interruption.
 */
import { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { DEFAULT_SEED } from '../../check/gradeSubmission.ts';
import { findLab } from '../../labs/labRegistry.ts';
import { batchMarker, killMarked } from '../../batch/markedProcesses.ts';
import { runBatch } from '../../batch/runBatch.ts';
import { checkListHelp } from '../checkListHelp.ts';
import { EXIT } from '../exitCodes.ts';
import { parseCount, parseList, parseSeed } from '../options.ts';
import { sandboxOption } from '../sandboxOption.ts';
import type { SandboxMode } from '../../sandbox/sandboxChoice.ts';
import { batchSandboxUid, MAX_BATCH_SLOTS } from '../../sandbox/sandboxPolicy.ts';
import { closedAncestor, killSandboxUid } from '../../sandbox/sandboxAccess.ts';
import { hasSolutions, solutionDir } from '../../kitPaths.ts';

interface BatchCommandOptions {
  out: string;
  jobs: number;
  seed: number;
  only?: string[];
  force?: boolean;
  retryErrors?: boolean;
  sandbox: SandboxMode;
}

const HELP = `
Each entry of SUBMISSIONS_DIR (a folder, .zip, .tar.gz, .tgz or .ipynb; dotfiles ignored) is one
submission, named by the entry without its extension. Written in DIR:
  NAME/results.json   Gradescope's results, as \`rsmlab grade --json\` writes them
  NAME/grade.log      what the grading process printed; NAME/logs/ the logs of every process
  gradebook.csv       one row per submission: score, max, bonus, points per check, status ok/error
  summary.md          score histogram, mean and median, the checks that fail most, errors (also printed)
Each submission is graded by its own \`rsmlab grade\` process, stopped past a generous bound.
Rerun the same command after an interruption: submissions already graded are skipped.`;

export function batchCommand(): Command {
  return new Command('batch')
    .description('grade every submission in a folder, in parallel, each in its own process (exit 0 when all were graded)')
    .argument('<lab>', 'lab number or name: 1, lab1 or lab1-bank')
    .argument('<submissions-dir>', 'folder holding one entry per submission')
    .requiredOption('--out <dir>', 'folder for the results, the gradebook and the summary')
    .option('--jobs <n>', `submissions graded at the same time (at most ${MAX_BATCH_SLOTS})`, parseCount('--jobs', 1, MAX_BATCH_SLOTS), 2)
    .option('--seed <n>', 'seed for every random choice (the same for every submission)', parseSeed, DEFAULT_SEED)
    .option('--only <ids>', 'run only these checks (comma-separated ids or prefixes)', parseList)
    .option('--force', 'grade again the submissions already graded in DIR')
    .option('--retry-errors', 'grade again the submissions whose grading did not complete')
    .addOption(sandboxOption('auto'))
    .addHelpText('after', HELP + checkListHelp())
    .action(async (labName: string, submissionsDir: string, options: BatchCommandOptions) => {
      const lab = findLab(labName);
      if (options.sandbox !== 'off') warnOfOpenFolders([submissionsDir, options.out]);
      const batchId = randomUUID();
      // Ctrl-C ends the process from the top-level handler, which kills every child's group; this
      // also kills what those children started in groups of their own (by marker, and, as sandboxed
      // programs start from a bare environment, by the job slots' sandbox uids), and says how to resume.
      const onExit = (code: number): void => {
        killMarked(batchMarker(batchId));
        for (let slot = 0; slot < options.jobs; slot++) killSandboxUid({ uid: batchSandboxUid(slot), warnings: [] });
        if (code === EXIT.interrupted) writeSync(2, `rsmlab: rerun the same command to grade the submissions not done yet (those done are kept in ${options.out}).\n`);
      };
      process.on('exit', onExit);
      try {
        const outcome = await runBatch({
          lab,
          submissionsDir,
          outDir: options.out,
          jobs: options.jobs,
          seed: options.seed,
          only: options.only,
          force: options.force === true,
          retryErrors: options.retryErrors === true,
          sandbox: options.sandbox,
          progress: process.stderr,
          batchId,
        });
        process.stdout.write(`\n${outcome.summary}`);
      } finally {
        process.off('exit', onExit);
        killMarked(batchMarker(batchId));
      }
    });
}

/**
 * A sandboxed submission runs as a uid of its own, which can still read what every user may read.
 * The grader copies each submission before grading it and writes the results itself, so the
 * class's folders (submissions, results) and the solutions can be closed to other users at no
 * cost; say so when they are not. (Any uid can read the grader's command lines in /proc.)
 */
function warnOfOpenFolders(classFolders: string[]): void {
  const open = [...classFolders, ...(hasSolutions() ? [solutionDir('')] : [])].filter((dir) => closedAncestor(dir) === undefined);
  for (const dir of open) {
    process.stderr.write(`rsmlab: warning: every user can reach ${dir}, so a submission being graded could read it; \`chmod o-rwx\` it (the grader copies each submission before running it)\n`);
  }
}
