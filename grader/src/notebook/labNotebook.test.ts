// An experiment's fault verbs (kill, restart), its end signal, and its time limit, on lab 2's solution notebook.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lab2Factory } from '../labs/lab2-factory/lab.ts';
import { readStatus } from '../labs/lab2-factory/factoryWorkload.ts';
import { solutionNotebookPath } from './buildNotebooks.ts';
import { NotebookLab, type Experiment } from './labNotebook.ts';

let printed: () => string;
beforeEach(() => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  printed = () => log.mock.calls.map((args) => args.join(' ')).join('\n');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const lab = new NotebookLab(lab2Factory, solutionNotebookPath(lab2Factory));
const refused = (port: number): Promise<unknown> => expect(readStatus(port, `port ${port}`)).rejects.toThrow(/ECONNREFUSED/);

describe('Experiment', () => {
  it('kills a server as kill -9 does, restarts it with the arguments it had, and stops it at the end', async () => {
    let run: Experiment | undefined;
    let restarted = 0;
    await lab.experiment(async (started) => {
      run = started;
      const port = await started.server('server', ['0', '7', '0'], 'f7');
      await expect(started.restart('f7')).rejects.toThrow("f7 is still running: kill it first (run.kill('f7'))");
      await started.kill('f7');
      await refused(port);
      restarted = await started.restart('f7');
      expect(await readStatus(restarted, 'f7')).toEqual({ factoryId: 7, primaryId: -1, lastIndex: -1, committedIndex: -1 });
      await expect(started.kill('f8')).rejects.toThrow('this experiment started no process named "f8"; it started: f7');
      expect(started.signal.aborted).toBe(false);
    });
    expect(run?.signal.aborted).toBe(true);
    await refused(restarted);
    expect(printed()).toMatch(/^f7 +\| Listening on port \d+ \.\.\.\nf7 +\| \(stopped \(SIGKILL\)\)\nf7 +\| Listening on port \d+ \.\.\.\nf7 +\| \(stopped \(SIGTERM\)\)$/);
  }, 30_000);

  it('past its time limit, stops every process, aborts its signal and starts nothing more', async () => {
    let port = 0;
    let late: Promise<number> | undefined;
    const body = async (run: Experiment): Promise<void> => {
      port = await run.server('server', ['0', '0', '0'], 'f0');
      await new Promise((resolve) => run.signal.addEventListener('abort', resolve));
      late = run.server('server', ['0', '1', '0'], 'f1');
      await late;
    };
    await expect(lab.experiment(body, { timeLimitMs: 4000 })).rejects.toThrow('the experiment did not finish within 4 s; every process it started was stopped');
    await expect(late).rejects.toThrow('the experiment has ended: f1 was not started');
    await refused(port);
  }, 30_000);
});
