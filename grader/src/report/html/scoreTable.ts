/** The score table at the top of the report: the terminal report's table, one row per check, linked to its section. */
import type { GradeResult } from '../../check/types.ts';
import { escapeHtml } from './htmlText.ts';

export function scoreTableHtml(result: GradeResult): string {
  const rows = result.checks.map((check) => {
    const bonus = check.tags.includes('bonus') ? ' <span class="note">(bonus)</span>' : '';
    const mark = check.status === 'passed' ? '✓' : '✗';
    return `<tr><td class="${check.status}">${mark}</td><td><a href="#${escapeHtml(check.id)}">${escapeHtml(check.id)}</a>${bonus}</td>`
      + `<td>${escapeHtml(check.title)}</td><td class="points">${check.points}/${check.maxPoints}</td></tr>`;
  });
  const earned = (bonus: boolean): number =>
    result.checks.filter((check) => check.tags.includes('bonus') === bonus).reduce((sum, check) => sum + check.points, 0);
  const totals = [`<tr class="total"><td></td><td>total</td><td></td><td class="points">${earned(false)}/${result.maxScore}</td></tr>`];
  if (result.bonusMaxScore > 0) totals.push(`<tr class="total"><td></td><td>bonus</td><td></td><td class="points">${earned(true)}/${result.bonusMaxScore}</td></tr>`);
  return [
    '<table class="scores">',
    '<thead><tr><th></th><th>check</th><th>what it proves</th><th>points</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n${totals.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}
