/** `rsmlab check LAB [PATH]`: the student's command; the same checks as grading, explained. */
import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { findLab } from '../../labs/labRegistry.ts';
import { starterDir } from '../../kitPaths.ts';
import { DEFAULT_SEED } from '../../check/gradeSubmission.ts';
import { colourEnabled } from '../../report/colors.ts';
import { formatGradeReport } from '../../report/terminalReport.ts';
import { toJunitXml } from '../../report/junitReport.ts';
import { assertReportFolder } from '../../report/html/reportFolder.ts';
import { writeHtmlReport } from '../../report/html/writeHtmlReport.ts';
import { gradeWithProgress } from '../gradeRunner.ts';
import { EXIT } from '../exitCodes.ts';
import { parseList, parseSeed } from '../options.ts';
import { checkListHelp } from '../checkListHelp.ts';
import { sandboxOption } from '../sandboxOption.ts';
import type { SandboxMode } from '../../sandbox/sandboxChoice.ts';

interface CheckOptions {
  junit?: string;
  html: string | false;     // the report's folder; false with --no-html
  seed: number;
  only?: string[];
  logs?: string;
  sandbox: SandboxMode;
}

export function checkCommand(): Command {
  return new Command('check')
    .description('check your work on a lab with the grader\'s own checks (PATH defaults to the lab\'s starter folder)')
    .argument('<lab>', 'lab number or name: 1, lab1 or lab1-bank')
    .argument('[path]', 'your folder or notebook (.ipynb), or a .zip / .tar.gz of either')
    .option('--seed <n>', 'seed for every random choice (the failing-check message gives the one to reuse)', parseSeed, DEFAULT_SEED)
    .option('--only <ids>', 'run only these checks (comma-separated ids or prefixes, e.g. lab1.B)', parseList)
    .option('--logs <dir>', 'keep process logs here instead of a temporary folder')
    .option('--junit <file>', 'also write the result as JUnit XML, for a CI workflow')
    .option('--html <dir>', 'write the HTML report (recordings, timelines, logs) into this folder', 'rsmlab-report')
    .option('--no-html', 'do not write the HTML report')
    .addOption(sandboxOption('off'))
    .addHelpText('after', checkListHelp())
    .action(async (labName: string, path: string | undefined, options: CheckOptions) => {
      const lab = findLab(labName);
      const source = path ?? (relative(process.cwd(), starterDir(lab.id)) || '.');
      if (options.html) assertReportFolder(options.html); // before grading, not after minutes of it
      const result = await gradeWithProgress({
        lab,
        source,
        seed: options.seed,
        only: options.only,
        logRoot: options.logs,
        reproduceCommand: `npx rsmlab check ${labName} ${source}`,
        sandbox: options.sandbox,
      });
      process.stdout.write(`${formatGradeReport(result, { colour: colourEnabled(process.stdout) })}\n`);
      if (options.junit) await writeFile(options.junit, toJunitXml([result]));
      if (options.html) process.stdout.write(`Report: ${await writeHtmlReport(result, options.html)}\n`);
      const requiredFailed = result.checks.some((check) => check.status === 'failed' && !check.tags.includes('bonus'));
      process.exitCode = requiredFailed ? EXIT.checksFailed : EXIT.ok;
    });
}
