/** `rsmlab labs`: the labs and their checks, generated from the check declarations. */
import { Command } from 'commander';
import { LABS } from '../../labs/labRegistry.ts';

export function labsCommand(): Command {
  return new Command('labs')
    .description('list the labs and their checks with points')
    .action(() => {
      for (const lab of LABS) {
        process.stdout.write(`lab${lab.number} (${lab.id}): ${lab.title}\n`);
        for (const check of lab.checks) {
          const bonus = check.tags.includes('bonus') ? ' [bonus]' : '';
          process.stdout.write(`  ${check.id.padEnd(28)} ${String(check.points).padStart(3)} pts${bonus}  ${check.title}\n`);
        }
      }
    });
}
