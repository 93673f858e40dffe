/**
 * Progress of a grading while it runs. On a terminal, the running check is one line that redraws
 * itself: a spinner, the check, the seconds so far; when the check ends, that line becomes its
 * verdict. Anywhere else (a file, a pipe, CI), plain lines only: one when a check starts, one when
 * it ends.
 */
import type { CheckDef, CheckResult } from '../check/types.ts';
import { paint } from './colors.ts';
import { checkDoneLine, checkStartedLine } from './terminalReport.ts';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface LiveProgress {
  started(check: CheckDef): void;
  done(result: CheckResult): void;
  stop(): void;                    // clears the running line, e.g. when grading was interrupted
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 100;
const CLEAR_LINE = '\r\u001b[2K';

export function liveProgress(stream: ProgressStream, colour: boolean, now: () => number = Date.now): LiveProgress {
  const style = { colour };
  if (!stream.isTTY) {
    return {
      started: (check) => stream.write(`${checkStartedLine(check, style)}\n`),
      done: (result) => stream.write(`${checkDoneLine(result, style)}\n`),
      stop: () => undefined,
    };
  }
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (timer) stream.write(CLEAR_LINE);
    clearInterval(timer);
    timer = undefined;
  };
  return {
    started(check) {
      stop();
      const since = now();
      let frame = 0;
      const draw = (): void => {
        const seconds = ((now() - since) / 1000).toFixed(1);
        const spinner = SPINNER[frame++ % SPINNER.length] as string;
        stream.write(`${CLEAR_LINE}  ${paint(colour, 'cyan', spinner)} ${check.id}  ${paint(colour, 'gray', `${check.title}  ${seconds} s`)}`);
      };
      draw();
      timer = setInterval(draw, REDRAW_MS);
      timer.unref(); // never what keeps the grader alive
    },
    done(result) {
      stop();
      stream.write(`${checkDoneLine(result, style)}\n`);
    },
    stop,
  };
}
