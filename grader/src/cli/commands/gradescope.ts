/** `rsmlab gradescope LAB --out FILE`: the autograder zip to upload to a Gradescope assignment. */
import { Command } from 'commander';
import { findLab } from '../../labs/labRegistry.ts';
import { buildGradescopeBundle } from '../../gradescope/buildBundle.ts';

interface GradescopeOptions {
  out: string;
}

export function gradescopeCommand(): Command {
  return new Command('gradescope')
    .description('build the autograder zip for a Gradescope programming assignment (setup.sh, run_autograder, the grader and the lab\'s starter; no solutions)')
    .argument('<lab>', 'lab number or name: 1, lab1 or lab1-bank')
    .option('--out <file>', 'where to write the zip', 'autograder.zip')
    .addHelpText('after', `
Upload the zip on the assignment's "Configure Autograder" page (Ubuntu base image). Gradescope runs
setup.sh once (Node.js 20, faketime, npm ci), then run_autograder for every submission: it grades
/autograder/submission and writes /autograder/results/results.json, with score 0 and the reason
when the submission cannot be graded. To try it without Gradescope, unzip it into DIR/source, put a
submission into DIR/submission and run DIR/source/run_autograder with RSMLAB_AUTOGRADER_ROOT=DIR.`)
    .action(async (labName: string, options: GradescopeOptions) => {
      const lab = findLab(labName);
      const summary = await buildGradescopeBundle(lab, options.out);
      const kib = Math.ceil(summary.bytes / 1024);
      process.stdout.write(`${summary.file}: Gradescope autograder for ${lab.id}, ${summary.entries.length} files, ${kib} KiB\n`);
    });
}
