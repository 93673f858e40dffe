/** The score table and per-check messages printed on a terminal (or plain when piped). */
import type { CheckDef, CheckResult, GradeResult } from '../check/types.ts';
import { paint } from './colors.ts';

export interface TerminalStyle {
  colour: boolean;
}

export function checkStartedLine(check: CheckDef, style: TerminalStyle): string {
  return paint(style.colour, 'gray', `  … ${check.id}  ${check.title}`);
}

export function checkDoneLine(result: CheckResult, style: TerminalStyle): string {
  const mark = result.status === 'passed' ? paint(style.colour, 'green', '✓') : paint(style.colour, 'red', '✗');
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  return `  ${mark} ${result.id}  ${result.points}/${result.maxPoints}  ${paint(style.colour, 'gray', seconds)}`;
}

/** The whole report: failures explained first, then the table, then the total. */
export function formatGradeReport(result: GradeResult, style: TerminalStyle): string {
  const lines: string[] = [];
  for (const check of result.checks.filter((candidate) => candidate.status === 'failed')) {
    lines.push('', paint(style.colour, 'red', `✗ ${check.id}: ${check.title}`));
    lines.push(...check.message.split('\n').map((line) => `  ${line}`));
    lines.push(paint(style.colour, 'gray', `  Logs: ${check.logDir}`));
  }
  lines.push('', formatScoreTable([result], style));
  if (result.warnings.length > 0) lines.push(...result.warnings.map((warning) => paint(style.colour, 'yellow', `warning: ${warning}`)));
  lines.push(paint(style.colour, 'gray', `Seed ${result.seed}; logs of every process in ${result.logRoot}`));
  return lines.join('\n');
}

/** One table for one or more graded submissions (rows: checks; columns: submissions). */
export function formatScoreTable(results: readonly GradeResult[], style: TerminalStyle, headers?: readonly string[]): string {
  const first = results[0];
  if (!first) return '';
  const names = headers ?? results.map((result) => result.submission);
  const idWidth = Math.max(5, ...first.checks.map((check) => check.id.length + (check.tags.includes('bonus') ? 8 : 0)));
  const width = Math.max(8, ...names.map((name) => name.length));
  const pad = (text: string, size: number): string => text + ' '.repeat(Math.max(0, size - visibleLength(text)));
  const header = `${pad('check', idWidth)}  ${names.map((name) => pad(name, width)).join('  ')}`;
  const rows = first.checks.map((check, index) => {
    const label = check.tags.includes('bonus') ? `${check.id} (bonus)` : check.id;
    const cells = results.map((result) => {
      const cell = result.checks[index];
      if (!cell) return pad('-', width);
      const text = `${cell.points}/${cell.maxPoints}`;
      return pad(paint(style.colour, cell.status === 'passed' ? 'green' : 'red', text), width);
    });
    return `${pad(label, idWidth)}  ${cells.join('  ')}`;
  });
  const earned = (result: GradeResult, bonus: boolean): number =>
    result.checks.filter((check) => check.tags.includes('bonus') === bonus).reduce((sum, check) => sum + check.points, 0);
  const totals = results.map((result) => pad(paint(style.colour, 'bold', `${earned(result, false)}/${result.maxScore}`), width));
  const bonuses = results.map((result) => pad(`${earned(result, true)}/${result.bonusMaxScore}`, width));
  const rule = '-'.repeat(idWidth + (width + 2) * results.length);
  const lines = [paint(style.colour, 'bold', header), rule, ...rows, rule, `${pad('total', idWidth)}  ${totals.join('  ')}`];
  if (first.bonusMaxScore > 0) lines.push(`${pad('bonus', idWidth)}  ${bonuses.join('  ')}`);
  return lines.join('\n');
}

const visibleLength = (text: string): number => text.replace(/\u001b\[\d+m/g, '').length;
