/** What `check` and `grade` share: grade with live progress on stderr (see liveProgress.ts). */
import { gradeSubmission } from '../check/gradeSubmission.ts';
import type { GradeResult } from '../check/types.ts';
import type { LabDef } from '../labs/labDef.ts';
import { colourEnabled } from '../report/colors.ts';
import { liveProgress } from '../report/liveProgress.ts';
import type { SandboxMode } from '../sandbox/sandboxChoice.ts';

export interface GradeRunOptions {
  lab: LabDef;
  source: string;
  seed: number;
  only?: string[];
  logRoot?: string;
  reproduceCommand: string;
  quiet?: boolean;         // no progress lines
  sandbox: SandboxMode;
}

export async function gradeWithProgress(options: GradeRunOptions): Promise<GradeResult> {
  if (options.quiet) return gradeSubmission(options);
  const progress = liveProgress(process.stderr, colourEnabled(process.stderr));
  try {
    return await gradeSubmission({ ...options, onCheckStart: progress.started, onCheckDone: progress.done });
  } finally {
    progress.stop();
  }
}
