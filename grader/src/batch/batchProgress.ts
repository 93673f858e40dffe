/**
 * Progress of a batch on stderr. On a terminal: one bar redrawn in place,
 * `[#####.....] 12/40  ETA 3m20s`. Otherwise one plain line per submission,
 * `graded alice (87/100) 12/40`, which logs and CI output keep readably.
 */
import { formatDuration } from './batchSummary.ts';
import type { BatchRow } from './gradebookCsv.ts';

export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
}

const BAR_CELLS = 20;

export class BatchProgress {
  private done = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private projectedEnd = 0;          // when the batch should end, as estimated at the last completion

  constructor(
    private readonly sink: ProgressSink,
    private readonly total: number,  // submissions this run grades
  ) {
    if (sink.isTTY && total > 0) {
      this.draw();
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    }
  }

  finished(row: BatchRow): void {
    this.done++;
    const perSubmission = (Date.now() - this.started) / this.done; // wall time, so parallel workers count
    this.projectedEnd = Date.now() + perSubmission * (this.total - this.done);
    if (this.sink.isTTY) this.draw();
    else this.sink.write(`${plainLine(row)} ${this.done}/${this.total}\n`);
  }

  /** Ends the bar's line so that what follows starts on a fresh one. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.sink.isTTY && this.total > 0) {
      this.draw();
      this.sink.write('\n');
    }
  }

  private draw(): void {
    const filled = Math.round((this.done / this.total) * BAR_CELLS);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_CELLS - filled)}] ${this.done}/${this.total}`;
    this.sink.write(`\r\u001b[2K${bar}  ETA ${this.eta()}`);
  }

  /** Counts down between completions toward the end estimated at the last one. */
  private eta(): string {
    if (this.done === this.total) return '0s';
    if (this.done === 0) return '--';
    return formatDuration(Math.max(0, this.projectedEnd - Date.now()));
  }
}

export function plainLine(row: BatchRow): string {
  if (row.status === 'error') return `error  ${row.name} (${row.message.split('\n')[0]})`;
  return `graded ${row.name} (${row.score}/${row.max})`;
}
