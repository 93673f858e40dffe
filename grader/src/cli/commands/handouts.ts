/** `rsmlab handouts --out DIR`: the handouts as web pages that open from disk, with their recorded demos. */
import { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { buildHandouts } from '../../handouts/buildHandouts.ts';

interface HandoutsOptions {
  out?: string;
}

export function handoutsCommand(): Command {
  return new Command('handouts')
    .description('build the handouts as HTML pages (one per lab and an index) with their recorded demos embedded')
    .option('--out <dir>', 'folder to write the pages to: new, empty, or a previous build (which is replaced)')
    .addHelpText('after', `
Example:
  npx rsmlab handouts --out handouts/html     then open handouts/html/index.html

Each page opens from disk with no network: the asciinema player is copied to DIR/assets and each
demo (a <!-- demo: NAME --> line in the Markdown) is embedded from handouts/demos/NAME.cast.
The demos are recordings of the grader's checks on the reference solutions; \`npm run demos\`
records them again.`)
    .action((options: HandoutsOptions) => {
      if (options.out === undefined || options.out.trim() === '') {
        throw usageError('handouts needs --out DIR, the folder to write the pages to (e.g. --out handouts/html)');
      }
      const build = buildHandouts(options.out);
      const demos = build.demos === 1 ? '1 demo' : `${build.demos} demos`;
      process.stdout.write(`${build.outDir}: ${build.pages.length} pages (${build.pages.join(', ')}), ${demos}; open ${build.outDir}/index.html\n`);
    });
}
