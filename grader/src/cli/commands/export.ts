/** `rsmlab export NOTEBOOK DIR`: writes each module cell of a notebook (see moduleCells.ts) to DIR/NAME.ts. */
import { Command } from 'commander';
import { relative } from 'node:path';
import { exportModules } from '../../notebook/moduleCells.ts';

export function exportCommand(): Command {
  return new Command('export')
    .description('write each module cell of a notebook (a cell starting with /** @module NAME */) to DIR/NAME.ts, e.g. to check it')
    .argument('<notebook>', 'the notebook (.ipynb)')
    .argument('<dir>', 'the folder to write the files to; created if missing, files of the same name are replaced')
    .action((notebook: string, dir: string) => {
      for (const file of exportModules(notebook, dir)) process.stdout.write(`wrote ${relative(process.cwd(), file) || file}\n`);
    });
}
