/** `rsmlab submit LAB [DIR]`: the student's command; packs what the lab grades into one archive to hand in. */
import { Command } from 'commander';
import { relative } from 'node:path';
import { findLab } from '../../labs/labRegistry.ts';
import { starterDir } from '../../kitPaths.ts';
import { buildSubmission } from '../../submit/packSubmission.ts';

interface SubmitOptions {
  out?: string;
  notebook?: string;
}

export function submitCommand(): Command {
  return new Command('submit')
    .description('pack your files for a lab into one archive to hand in, after checking they are all there and compile')
    .argument('<lab>', 'lab number or name: 1, lab1 or lab1-bank')
    .argument('[dir]', 'your folder (defaults to the lab\'s starter folder)')
    .option('--out <file>', 'the archive to write, .zip or .tar.gz (default: labN-submission.zip here)')
    .option('--notebook <file>', 'submit this notebook too; its /** @module NAME */ cells replace the files NAME.ts of the folder')
    .addHelpText('after', `
What is packed: the files you complete (the starter's files minus the given ones), the .ts files
they import, ANSWERS.md, and the notebook (--notebook, or LAB-ID.ipynb in the folder); with
rsmlab.json, every file of the folder except build output and caches. The archive also holds
rsmlab-submission.json: lab, kit version, time, and each file's size and SHA-256.`)
    .action(async (labName: string, dir: string | undefined, options: SubmitOptions) => {
      const lab = findLab(labName);
      const folder = dir ?? (relative(process.cwd(), starterDir(lab.id)) || '.');
      const result = await buildSubmission({
        lab,
        dir: folder,
        out: options.out ?? `lab${lab.number}-submission.zip`,
        notebook: options.notebook,
        note: (line) => process.stderr.write(`${line}\n`),
      });
      const lines = result.manifest.files.map((file) => `  ${file.path.padEnd(24)} ${String(file.size).padStart(8)} bytes  sha256 ${file.sha256.slice(0, 12)}`);
      const checked = result.compileSkipped ? 'not compile-checked' : result.manifest.kind === 'typescript' ? 'compiled cleanly' : 'commands from rsmlab.json';
      process.stdout.write(`${lines.join('\n')}\nwrote ${result.out}: ${result.manifest.files.length} files for ${lab.id} (${checked}); hand in this file\n`);
    });
}
