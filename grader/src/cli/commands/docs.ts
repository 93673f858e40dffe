/** `rsmlab docs`: regenerate the parts of the handouts made from the code (the rubric tables). */
import { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { LABS } from '../../labs/labRegistry.ts';
import { handoutFile } from '../../kitPaths.ts';
import { withRubric } from '../../report/rubric.ts';
import { EXIT } from '../exitCodes.ts';

export function docsCommand(): Command {
  return new Command('docs')
    .description('regenerate the rubric table in each handout from the check declarations (exit 1 when a handout is missing or has no rubric markers)')
    .option('--check', 'change nothing; exit 1 if a handout is out of date', false)
    .action(async (options: { check: boolean }) => {
      let stale = 0;
      let unusable = 0; // handouts no run can bring up to date: exit 1 in both modes
      for (const lab of LABS) {
        const path = handoutFile(lab.id);
        const current = await readFile(path, 'utf8').catch(() => undefined);
        if (current === undefined) {
          process.stderr.write(`rsmlab: ${path} is missing; every lab of the kit has its handout there\n`);
          unusable += 1;
          continue;
        }
        const updated = withRubric(current, lab);
        if (updated === undefined) {
          process.stderr.write(`rsmlab: ${path} has no rubric markers; add the BEGIN/END GENERATED: rubric comment lines\n`);
          unusable += 1;
        } else if (updated !== current) {
          stale += 1;
          if (!options.check) await writeFile(path, updated);
          process.stdout.write(`${options.check ? 'out of date' : 'updated'}: ${path}\n`);
        }
      }
      if (unusable > 0 || (options.check && stale > 0)) process.exitCode = EXIT.checksFailed;
    });
}
