/** `rsmlab release --out DIR`: the instructor's command; writes the student bundle into DIR. */
import { Command } from 'commander';
import { relative } from 'node:path';
import { LABS } from '../../labs/labRegistry.ts';
import { KIT_ROOT } from '../../kitPaths.ts';
import { usageError } from '../../errors.ts';
import { buildRelease } from '../../release/buildRelease.ts';

export function releaseCommand(): Command {
  return new Command('release')
    .description('build the student bundle: handouts, starter notebooks, starter code, the grader and its checks; no solutions, answer keys or tests')
    .option('--out <dir>', 'the folder to write the bundle into (new or empty)')
    .addHelpText('after', `
The bundle holds exactly: handouts/, notebooks/ (the starter notebooks), starter/ (every lab),
grader/bin and grader/src without tests, scripts/setup.sh, package-lock.json, and generated
package.json (scripts start, setup, typecheck), tsconfig.json, README.md and .gitignore. Before
writing, every line of solutions/ is looked for in it; one found stops the release.`)
    .action(async (options: { out?: string }) => {
      if (options.out === undefined) throw usageError('release needs --out DIR: the new or empty folder to write the student bundle into');
      const result = await buildRelease({ kitRoot: KIT_ROOT, outDir: options.out, labs: LABS });
      const where = relative(process.cwd(), result.outDir) || '.';
      process.stdout.write(`rsmlab ${result.version}: wrote the student bundle, ${result.files.length} files, to ${where}\n`
        + `Try it: cd ${where} && npm start\n`);
    });
}
