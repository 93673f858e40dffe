/**
 * `rsmlab overview`: the kit's main job after set-up. Grades every lab's reference solution and
 * untouched starter and prints one score table per lab: the solution should get full marks, the
 * starter the points of the given code only. In the student bundle (`rsmlab release`), which has
 * no solutions/, it grades the starters alone.
 */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { LABS } from '../../labs/labRegistry.ts';
import { solutionDir, starterDir } from '../../kitPaths.ts';
import { DEFAULT_SEED } from '../../check/gradeSubmission.ts';
import type { GradeResult } from '../../check/types.ts';
import { colourEnabled } from '../../report/colors.ts';
import { formatScoreTable } from '../../report/terminalReport.ts';
import { gradeWithProgress } from '../gradeRunner.ts';
import { EXIT } from '../exitCodes.ts';
import { parseSeed } from '../options.ts';

export function overviewCommand(): Command {
  return new Command('overview')
    .description('grade every lab\'s reference solution and untouched starter, and print the score tables')
    .option('--seed <n>', 'seed for every random choice', parseSeed, DEFAULT_SEED)
    .action(async (options: { seed: number }) => {
      const style = { colour: colourEnabled(process.stdout) };
      let solutionsPerfect = true;
      for (const lab of LABS) {
        const hasSolution = existsSync(solutionDir(lab.id));
        process.stderr.write(`lab${lab.number} (${lab.id}): grading ${hasSolution ? 'the reference solution, then ' : ''}the starter\n`);
        const results: GradeResult[] = [];
        for (const dir of hasSolution ? [solutionDir(lab.id), starterDir(lab.id)] : [starterDir(lab.id)]) {
          const source = relative(process.cwd(), dir) || '.';
          results.push(await gradeWithProgress({ lab, source, seed: options.seed, sandbox: 'off', reproduceCommand: `npx rsmlab grade ${lab.id} ${source}` }));
        }
        const solution = hasSolution ? results[0] : undefined;
        if (solution && solution.score < solution.maxScore + solution.bonusMaxScore) solutionsPerfect = false;
        process.stdout.write(`\nlab${lab.number}: ${lab.title}\n${formatScoreTable(results, style, hasSolution ? ['solution', 'starter'] : ['starter'])}\n\n`);
      }
      if (!solutionsPerfect) {
        process.stderr.write('rsmlab: a reference solution lost points; run `npx rsmlab check LAB solutions/LAB` to see why.\n');
        process.exitCode = EXIT.checksFailed;
      }
    });
}
