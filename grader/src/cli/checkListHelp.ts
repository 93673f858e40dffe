/** The labs and their checks, for --help: generated from the check declarations, so it cannot drift. */
import { LABS } from '../labs/labRegistry.ts';

export function checkListHelp(): string {
  const lines = ['', 'Labs and their checks (use ids or prefixes with --only):'];
  for (const lab of LABS) {
    lines.push(`  lab${lab.number} (${lab.id})`);
    for (const check of lab.checks) {
      const bonus = check.tags.includes('bonus') ? ', bonus' : '';
      lines.push(`    ${check.id}  (${check.points} pts${bonus})`);
    }
  }
  return lines.join('\n');
}
