/** The declarations every lab's checks are made of, and the results they produce. */
import type { Rng } from '../harness/rng.ts';
import type { CheckContext } from './checkContext.ts';

/** The fault vocabulary shared by all labs; a check lists the ones it injects. */
export type FaultKind =
  | 'delay' | 'reorder' | 'drop' | 'partition' | 'heal'
  | 'kill' | 'restart' | 'pause' | 'resume' | 'skewClock';

export interface CheckDef {
  id: string;               // stable id, `lab<N>.<part>.<name>`, e.g. 'lab1.B.concurrent-clients'
  part: string;             // the handout part, e.g. 'B'
  title: string;            // one line for tables and the handout's rubric
  points: number;
  tags: readonly string[];  // e.g. ['bonus'] for optional work
  faults: readonly FaultKind[];
  timeoutMs: number;        // the whole check's bound; past it the verdict is UNKNOWN (a failure)
  run(context: CheckContext): Promise<void>; // returns to pass, throws CheckFailure to fail
}

export type CheckStatus = 'passed' | 'failed';

export interface CheckResult {
  id: string;
  title: string;
  part: string;
  tags: readonly string[];
  points: number;           // points earned
  maxPoints: number;
  status: CheckStatus;
  message: string;          // why it failed (empty when passed) plus notes
  seed: number;
  durationMs: number;
  logDir: string;           // the logs of every process the check started
  reproduce: string;        // the command that reruns exactly this check
  recording?: string;       // the asciicast v2 recording of the check, when recorded (record/recordTypes.ts)
  timeline?: string;        // its timeline.json
  timelineSvg?: string;     // its space-time diagram
  measures?: Readonly<Record<string, number | string | boolean>>; // figures measured beside the verdict (lab 4: availability, traffic)
}

export interface GradeResult {
  lab: string;              // folder name, e.g. 'lab1-bank'
  submission: string;       // the path that was graded
  seed: number;
  score: number;            // points earned, bonus included
  maxScore: number;         // points of the non-bonus checks
  bonusMaxScore: number;
  executionTimeMs: number;
  logRoot: string;
  warnings: string[];       // problems that did not stop grading (e.g. no network isolation)
  checks: CheckResult[];
}

export type { Rng };
