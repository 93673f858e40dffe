/** `rsmlab grade LAB PATH`: the instructor's command; writes Gradescope's results.json, JUnit XML or an HTML report on request. */
import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { findLab } from '../../labs/labRegistry.ts';
import { DEFAULT_SEED } from '../../check/gradeSubmission.ts';
import type { GradeResult } from '../../check/types.ts';
import { colourEnabled } from '../../report/colors.ts';
import { formatGradeReport } from '../../report/terminalReport.ts';
import { toGradescope } from '../../report/gradescopeResults.ts';
import { toJunitXml } from '../../report/junitReport.ts';
import { formatRepeatSummary } from '../../report/repeatSummary.ts';
import { assertReportFolder } from '../../report/html/reportFolder.ts';
import { writeHtmlReport } from '../../report/html/writeHtmlReport.ts';
import { gradeWithProgress } from '../gradeRunner.ts';
import { parseCount, parseList, parseSeed } from '../options.ts';
import { checkListHelp } from '../checkListHelp.ts';
import { sandboxOption } from '../sandboxOption.ts';
import type { SandboxMode } from '../../sandbox/sandboxChoice.ts';

interface GradeOptions {
  json?: string;
  junit?: string;
  html?: string;
  seed: number;
  repeat: number;
  only?: string[];
  logs?: string;
  sandbox: SandboxMode;
}

export function gradeCommand(): Command {
  return new Command('grade')
    .description('grade a submission (exit 0 whenever grading completed, whatever the score)')
    .argument('<lab>', 'lab number or name: 1, lab1 or lab1-bank')
    .argument('<path>', 'submission: a folder or a notebook (.ipynb), or a .zip / .tar.gz of either')
    .option('--json <file>', 'write the result as Gradescope\'s results.json')
    .option('--junit <file>', 'write the result as JUnit XML for CI (one test suite per run)')
    .option('--html <dir>', 'write an HTML report (recordings, timelines, logs) into this folder; with --repeat, of the last run')
    .option('--seed <n>', 'seed for every random choice', parseSeed, DEFAULT_SEED)
    .option('--repeat <k>', 'grade K times with seeds N, N+1, ... and report how often each check passed', parseCount('--repeat'), 1)
    .option('--only <ids>', 'run only these checks (comma-separated ids or prefixes)', parseList)
    .option('--logs <dir>', 'keep process logs here instead of a temporary folder')
    .addOption(sandboxOption('auto'))
    .addHelpText('after', checkListHelp())
    .action(async (labName: string, path: string, options: GradeOptions) => {
      const lab = findLab(labName);
      if (options.html) assertReportFolder(options.html); // before grading, not after minutes of it
      const runs: GradeResult[] = [];
      for (let run = 0; run < options.repeat; run++) {
        if (options.repeat > 1) process.stderr.write(`run ${run + 1}/${options.repeat} (seed ${options.seed + run})\n`);
        runs.push(
          await gradeWithProgress({
            lab,
            source: path,
            seed: options.seed + run,
            only: options.only,
            logRoot: options.logs && options.repeat > 1 ? `${options.logs}/run-${run + 1}` : options.logs,
            reproduceCommand: `npx rsmlab grade ${labName} ${path}`,
            sandbox: options.sandbox,
          }),
        );
      }
      const colour = colourEnabled(process.stdout);
      const last = runs.at(-1) as GradeResult;
      process.stdout.write(`${options.repeat > 1 ? formatRepeatSummary(runs, { colour }) : formatGradeReport(last, { colour })}\n`);
      if (options.json) await writeFile(options.json, `${JSON.stringify(toGradescope(last), null, 2)}\n`);
      if (options.junit) await writeFile(options.junit, toJunitXml(runs));
      if (options.html) process.stderr.write(`Report: ${await writeHtmlReport(last, options.html)}\n`);
    });
}
