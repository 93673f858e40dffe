/** For `grade --repeat K`: how many of the K runs each check passed, the measure of a check's determinism. */
import type { GradeResult } from '../check/types.ts';
import { paint } from './colors.ts';
import type { TerminalStyle } from './terminalReport.ts';

export interface RepeatCount {
  id: string;
  passed: number;
  runs: number;
}

export function countPasses(runs: readonly GradeResult[]): RepeatCount[] {
  const first = runs[0];
  if (!first) return [];
  return first.checks.map((check) => ({
    id: check.id,
    passed: runs.filter((run) => run.checks.find((candidate) => candidate.id === check.id)?.status === 'passed').length,
    runs: runs.length,
  }));
}

export function formatRepeatSummary(runs: readonly GradeResult[], style: TerminalStyle): string {
  const counts = countPasses(runs);
  const width = Math.max(...counts.map((count) => count.id.length));
  const lines = counts.map(({ id, passed, runs: total }) => {
    const steady = passed === 0 || passed === total;
    const verdict = steady ? (passed === total ? 'always passed' : 'always failed') : 'FLAKY';
    return `${id.padEnd(width)}  ${String(passed).padStart(3)}/${total}  ${paint(style.colour, steady ? 'green' : 'red', verdict)}`;
  });
  const seconds = runs.map((run) => run.executionTimeMs / 1000);
  const mean = seconds.reduce((sum, value) => sum + value, 0) / Math.max(1, seconds.length);
  const seeds = `${runs[0]?.seed}..${runs.at(-1)?.seed}`;
  return [`${runs[0]?.lab}: ${runs[0]?.submission}, ${runs.length} runs (seeds ${seeds})`, ...lines, `wall time per run: mean ${mean.toFixed(1)} s, max ${Math.max(...seconds).toFixed(1)} s`].join('\n');
}
