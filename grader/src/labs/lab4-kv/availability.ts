/**
 * The seed's availability measures from a history: the fraction of operations answered, and after
 * each fault the downtime, the longest stretch without any answer between the fault and the next
 * fault (or the end of the run). Answers are the completions of answered operations.
 */
import type { KvOperation } from './linearizability/kvHistory.ts';

export interface FaultMark {
  label: string;             // e.g. 'kill node 2', 'partition 0,1 | 2,3'
  atUs: number;              // when the grader applied it, on the history's clock
}

export interface Availability {
  operations: number;
  answered: number;
  answeredFraction: number;  // answered / operations; 1 for an empty history
  downtimes: { label: string; longestGapMs: number }[];
}

export function measureAvailability(history: readonly KvOperation[], faults: readonly FaultMark[], endUs: number): Availability {
  const answers = history.filter((op) => op.result !== undefined && op.completedUs !== undefined).map((op) => op.completedUs as number).sort((a, b) => a - b);
  const ordered = [...faults].sort((a, b) => a.atUs - b.atUs);
  const downtimes = ordered.map((fault, index) => {
    const until = ordered[index + 1]?.atUs ?? endUs;
    return { label: fault.label, longestGapMs: longestGap(answers, fault.atUs, until) / 1000 };
  });
  return {
    operations: history.length,
    answered: answers.length,
    answeredFraction: history.length === 0 ? 1 : answers.length / history.length,
    downtimes,
  };
}

/** The longest stretch of [from, until] without a time of `sorted` in it, in µs. */
function longestGap(sorted: readonly number[], from: number, until: number): number {
  let longest = 0;
  let previous = from;
  for (const at of sorted) {
    if (at <= from) continue;
    if (at >= until) break;
    longest = Math.max(longest, at - previous);
    previous = at;
  }
  return Math.max(longest, until - previous);
}
