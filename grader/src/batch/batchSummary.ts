/**
 * summary.md of a batch: a score histogram drawn with text bars, mean and median, the checks that
 * fail most, and the submissions whose grading did not complete. Statistics count only the
 * submissions graded to the end; the others are listed with their reason.
 */
import type { BatchRow } from './gradebookCsv.ts';

export interface SummaryInfo {
  lab: string;
  seed: number;
  checkIds: readonly string[];
  regraded: number;          // submissions graded by this run (the others were already done)
  wallMs: number;            // this run's wall time
}

const BAR_WIDTH = 40;
const ROUND_WIDTHS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];

export function batchSummary(rows: readonly BatchRow[], info: SummaryInfo): string {
  const graded = rows.filter((row) => row.status === 'ok');
  const errored = rows.filter((row) => row.status === 'error');
  const max = rows[0]?.max ?? 0;
  const lines = [
    `# Batch grading of ${info.lab}: ${rows.length} submission${rows.length === 1 ? '' : 's'}`,
    '',
    `Seed ${info.seed}; ${info.checkIds.length} check${info.checkIds.length === 1 ? '' : 's'}; ${info.regraded} graded by this run in ${formatDuration(info.wallMs)}, ${rows.length - info.regraded} already done.`,
    '',
    `## Scores (out of ${max}, bonus included)`,
    '',
  ];
  if (graded.length === 0) lines.push('No submission was graded to the end.');
  else {
    lines.push('```', ...histogram(graded.map((row) => row.score), max), '```', '');
    const scores = graded.map((row) => row.score);
    lines.push(`Mean ${round(mean(scores))}, median ${round(median(scores))} over ${graded.length} graded submission${graded.length === 1 ? '' : 's'}.`);
  }
  lines.push('', '## Checks that fail most', '', ...failingChecks(graded, info.checkIds));
  lines.push('', '## Submissions that errored', '');
  if (errored.length === 0) lines.push('None.');
  else lines.push(...errored.map((row) => `- ${row.name}: ${row.message.split('\n')[0]}`));
  return `${lines.join('\n')}\n`;
}

/** Up to ten ranges of a round width below full marks, then one line for full marks (and more, with bonus). */
function histogram(scores: readonly number[], max: number): string[] {
  const width = ROUND_WIDTHS.find((candidate) => Math.ceil(max / candidate) <= 10) ?? Math.ceil(max / 10);
  const bins: { label: string; count: number }[] = [];
  for (let low = 0; low < max; low += width) {
    const high = Math.min(low + width, max) - 1;
    bins.push({ label: high > low ? `${low}–${high}` : `${low}`, count: scores.filter((score) => score >= low && score < high + 1).length });
  }
  bins.push({ label: `${max}+`, count: scores.filter((score) => score >= max).length });
  const most = Math.max(1, ...bins.map((bin) => bin.count));
  const labelWidth = Math.max(...bins.map((bin) => bin.label.length));
  return bins.map((bin) => `${bin.label.padStart(labelWidth)} | ${'#'.repeat(Math.round((bin.count / most) * BAR_WIDTH)).padEnd(BAR_WIDTH)} ${bin.count}`);
}

function failingChecks(graded: readonly BatchRow[], checkIds: readonly string[]): string[] {
  if (graded.length === 0) return ['No submission was graded to the end.'];
  const counts = checkIds
    .map((id) => ({ id, failed: graded.filter((row) => row.checks.get(id)?.passed === false).length }))
    .filter((entry) => entry.failed > 0)
    .sort((a, b) => b.failed - a.failed);
  if (counts.length === 0) return ['Every graded submission passed every check.'];
  return ['| check | failed | % of graded |', '|---|---:|---:|', ...counts.map((entry) => `| ${entry.id} | ${entry.failed} | ${Math.round((100 * entry.failed) / graded.length)}% |`)];
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const round = (value: number): string => String(Math.round(value * 10) / 10);

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
