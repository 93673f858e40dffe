/** `rsmlab notebooks [LAB...] [--check]`: regenerate the notebooks of the labs named (default: every lab) from their files (buildNotebooks.ts), or verify them. */
import { Command } from 'commander';
import { relative } from 'node:path';
import { findLab, LABS } from '../../labs/labRegistry.ts';
import { hasSolutions, KIT_ROOT } from '../../kitPaths.ts';
import { usageError } from '../../errors.ts';
import { buildNotebooks, plannedNotebooks } from '../../notebook/buildNotebooks.ts';
import { EXIT } from '../exitCodes.ts';

export function notebooksCommand(): Command {
  return new Command('notebooks')
    .description('regenerate each lab\'s notebooks from its files: the starter\'s into notebooks/LAB.ipynb\'s module cells, the solution\'s into solutions/LAB/LAB.ipynb')
    .argument('[labs...]', 'only these labs (e.g. lab3); default: every lab')
    .option('--check', 'change nothing; exit 1 if a notebook is out of date', false)
    .action((names: string[], options: { check: boolean }) => {
      if (!hasSolutions()) {
        // Regenerating would write the starter's code over the module cells of the student's notebook.
        throw usageError('`rsmlab notebooks` rebuilds the kit\'s notebooks from the reference solutions, which the student kit does not have; your notebooks are left as they are. To take your code out of a notebook, use `rsmlab export`.');
      }
      const labs = names.length > 0 ? names.map(findLab) : LABS;
      const stale = labs.flatMap((lab) => (options.check ? plannedNotebooks(lab).filter((file) => file.expected !== file.current) : buildNotebooks(lab)));
      for (const file of stale) process.stdout.write(`${options.check ? 'out of date' : 'updated'}: ${relative(KIT_ROOT, file.path)}\n`);
      if (options.check && stale.length > 0) {
        process.stderr.write(`rsmlab: run \`npx rsmlab notebooks${names.map((name) => ` ${name}`).join('')}\` to regenerate them\n`);
        process.exitCode = EXIT.checksFailed;
      }
    });
}
