/** What `check` and `grade` share: grade once or K times with live progress lines on stderr. */
import { gradeSubmission } from '../check/gradeSubmission.ts';
import type { GradeResult } from '../check/types.ts';
import type { LabDef } from '../labs/labDef.ts';
import { colourEnabled } from '../report/colors.ts';
import { checkDoneLine, checkStartedLine } from '../report/terminalReport.ts';

export interface GradeRunOptions {
  lab: LabDef;
  source: string;
  seed: number;
  only?: string[];
  logRoot?: string;
  reproduceCommand: string;
  quiet?: boolean;         // no progress lines
}

export async function gradeWithProgress(options: GradeRunOptions): Promise<GradeResult> {
  const style = { colour: colourEnabled(process.stderr) };
  const progress = (line: string): void => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  return gradeSubmission({
    ...options,
    onCheckStart: (check) => progress(checkStartedLine(check, style)),
    onCheckDone: (result) => progress(checkDoneLine(result, style)),
  });
}
