/**
 * Lab 2's benchmark in a notebook cell: `rsmlab bench lab2` (lab2Bench.ts, the one implementation)
 * run on the programs of an experiment, its table printed and its three charts drawn in the cell.
 * Servers that cannot take an order are said to be so, not thrown: the next cells still run.
 */
import { RsmlabError } from '../errors.ts';
import { readThroughputChart, writeLatencyChart, writeThroughputChart } from '../labs/lab2-factory/bench/benchCharts.ts';
import { formatBenchTable } from '../labs/lab2-factory/bench/benchReport.ts';
import { runLab2Bench, type Lab2BenchResult } from '../labs/lab2-factory/bench/lab2Bench.ts';
import { showHtml } from './cellDisplay.ts';
import type { Experiment } from './labNotebook.ts';

export interface NotebookBenchOptions {
  seconds: number;  // measured window of each of the 15 configurations (`--seconds`)
}

/**
 * Measures the experiment's `server` program as `rsmlab bench lab2 --seconds N` does, printing
 * progress, then the table, then the charts; when the servers do not work, the reason instead.
 * Stops its servers when the experiment ends. Resolves with nothing, so the cell shows no value.
 */
export async function benchFactories(run: Experiment, options: NotebookBenchOptions): Promise<void> {
  let result: Lab2BenchResult;
  try {
    result = await runLab2Bench({
      source: 'the notebook\'s programs',
      server: run.command('server'),
      dir: run.dir,
      logDir: run.logDir,
      seconds: options.seconds,
      wiring: 'direct',
      signal: run.signal,
      onProgress: (line) => console.log(`bench: ${line}`),
    });
  } catch (error) {
    if (!(error instanceof RsmlabError) || error.code !== 'SUBMISSION') throw error;
    console.log(`The benchmark stopped: ${error.message}`);
    return;
  }
  console.log(`\n${formatBenchTable(result)}`);
  const charts = [writeLatencyChart(result), writeThroughputChart(result), readThroughputChart(result)];
  showHtml(`<div style="display:flex;flex-wrap:wrap;gap:8px">${charts.map((svg) => `<div>${svg}</div>`).join('')}</div>`);
}
