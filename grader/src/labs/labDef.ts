/** What the grader knows about a lab: its roles, the files it gives, its checks, and how to run it. */
import type { CheckDef } from '../check/types.ts';
import type { RunSession } from '../cli/runSession.ts';
import type { TimelineWire } from '../record/messageFraming.ts';

export interface RoleDef {
  file: string;             // default program of the role, run with tsx, e.g. 'coord.ts'
  description: string;      // for messages and --help
}

/** The options of `rsmlab run`, the same for every lab; a lab ignores what it has no use for. */
export interface RunOptions {
  servers: number;
  clients: number;
  coord: boolean;
  dir: string;
}

export interface LabDef {
  id: string;               // folder name, e.g. 'lab1-bank'
  number: number;           // 1 for lab1
  title: string;
  roles: Readonly<Record<string, RoleDef>>;   // the programs a submission provides
  givenFiles: readonly string[];              // files the grader replaces with its own copy
  checks: readonly CheckDef[];
  timelineWire?: TimelineWire;                // cuts link traffic into messages for recordings; one per chunk without it
  /** Starts the lab's programs for `rsmlab run`, as a student would from several terminals. */
  run(session: RunSession, options: RunOptions): Promise<void>;
}
