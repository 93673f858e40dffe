/** The rubric table of a handout, generated from the check declarations so that it cannot drift. */
import type { LabDef } from '../labs/labDef.ts';

export const RUBRIC_BEGIN = '<!-- BEGIN GENERATED: rubric -->';
export const RUBRIC_END = '<!-- END GENERATED: rubric -->';

export function rubricTable(lab: LabDef): string {
  const rows = lab.checks.map((check) => {
    const points = check.tags.includes('bonus') ? `${check.points} (bonus)` : String(check.points);
    return `| ${check.part} | \`${check.id}\` | ${check.title} | ${points} |`;
  });
  const regular = lab.checks.filter((check) => !check.tags.includes('bonus')).reduce((sum, check) => sum + check.points, 0);
  const bonus = lab.checks.filter((check) => check.tags.includes('bonus')).reduce((sum, check) => sum + check.points, 0);
  return [
    '| Part | Check | What it verifies | Points |',
    '|---|---|---|---|',
    ...rows,
    `| | | **Total** | **${regular}**${bonus > 0 ? ` (+ ${bonus} bonus)` : ''} |`,
  ].join('\n');
}

/** The handout with its rubric region replaced; undefined if the handout has no such region. */
export function withRubric(handout: string, lab: LabDef): string | undefined {
  const begin = handout.indexOf(RUBRIC_BEGIN);
  const end = handout.indexOf(RUBRIC_END);
  if (begin < 0 || end < begin) return undefined;
  return `${handout.slice(0, begin + RUBRIC_BEGIN.length)}\n${rubricTable(lab)}\n${handout.slice(end)}`;
}
