/**
 * `rsmlab bench LAB [DIR]`: measures a lab's servers as real processes, started with the grader's
 * role commands (so rsmlab.json submissions work), and writes a table, CSVs, SVG charts and
 * bench.json. Lab 2 only for now: the seed's write and read performance, set against a loopback floor.
 */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { findLab } from '../../labs/labRegistry.ts';
import { lab2Factory } from '../../labs/lab2-factory/lab.ts';
import { starterDir } from '../../kitPaths.ts';
import { prepareSubmission } from '../../harness/submission.ts';
import { killAllGroups } from '../../harness/processRegistry.ts';
import { RsmlabError, submissionError, usageError } from '../../errors.ts';
import { runLab2Bench } from '../../labs/lab2-factory/bench/lab2Bench.ts';
import { formatBenchTable, writeBenchFiles } from '../../labs/lab2-factory/bench/benchReport.ts';
import type { Wiring } from '../../labs/lab2-factory/bench/benchCluster.ts';
import { throwIfAborted } from '../../labs/lab2-factory/bench/closedLoop.ts';
import { EXIT } from '../exitCodes.ts';

interface BenchOptions {
  seconds: number;
  out: string;
  links: Wiring;
}

const MEASUREMENTS = 15; // floor 5, write 6, read 4: for the duration estimate

export function benchCommand(): Command {
  return new Command('bench')
    .description('measure a lab\'s servers (lab 2 for now): a table on stdout, CSVs, SVG charts and bench.json in --out')
    .argument('<lab>', 'lab number or name: 2, lab2 or lab2-factory')
    .argument('[dir]', 'folder with the lab\'s programs (default: the lab\'s starter folder)')
    .option('--seconds <n>', 'measured seconds per configuration, after a warm-up (the seed asks for 10 or more)', parseSeconds, 10)
    .option('--out <dir>', 'folder for write.csv, read.csv, floor.csv, the SVG charts and bench.json', 'bench-lab2')
    .option('--links <how>', 'how servers reach each other: direct (free ports passed as PORT) or proxy (through link proxies, as in the checks)', parseLinks, 'direct')
    .action(async (labName: string, dir: string | undefined, options: BenchOptions) => {
      requireLab2(labName);
      const lab = lab2Factory;
      const source = dir ?? (relative(process.cwd(), starterDir(lab.id)) || '.');
      const submission = await prepareSubmission(lab, source);
      const logDir = resolve(options.out, 'logs');
      const stop = new AbortController();
      const restoreSigint = interruptWith(stop);
      try {
        const server = submission.roles.server;
        if (!server) throw new Error('lab 2 has no server role');
        if (server.file && !existsSync(join(submission.dir, server.file))) throw submissionError(`${server.file} is missing from ${source}; the benchmark runs the server role`);
        const minutes = Math.ceil((MEASUREMENTS * (options.seconds + 1.5)) / 60);
        process.stderr.write(`rsmlab bench: ${MEASUREMENTS} measurements of ${options.seconds} s, about ${minutes} min; Ctrl-C stops everything\n`);
        const result = await runLab2Bench({
          source,
          server,
          dir: submission.dir,
          logDir,
          seconds: options.seconds,
          wiring: options.links,
          signal: stop.signal,
          onProgress: (line) => process.stderr.write(`rsmlab bench: ${line}\n`),
        }).catch((error: unknown) => {
          throwIfAborted(stop.signal);
          if (error instanceof RsmlabError && error.code === 'SUBMISSION') throw submissionError(error.message.replace(/^[^\n]*/, (first) => `${first} Server logs: ${logDir}`));
          throw error;
        });
        const files = await writeBenchFiles(result, resolve(options.out));
        process.stdout.write(`${formatBenchTable(result)}\n\nWrote ${files.map((file) => relative(process.cwd(), file)).join(', ')}\n`);
      } finally {
        restoreSigint();
        await submission.dispose();
      }
    });
}

/** Lab 2 has a benchmark; any other lab number is a usage error that says so. */
function requireLab2(name: string): void {
  const written = /^(?:lab)?(\d+)(?:-[a-z0-9-]*)?$/i.exec(name.trim())?.[1];
  const number = written === undefined ? findLab(name).number : Number(written); // findLab throws for a name that is no lab
  if (number !== 2) throw usageError(`no benchmark for lab ${number} yet; \`rsmlab bench\` measures lab 2: rsmlab bench lab2 [DIR]`);
}

/**
 * The first Ctrl-C aborts the run, which stops its servers and unwinds (the working copy is then
 * removed); a second one kills every process group at once and exits.
 */
function interruptWith(stop: AbortController): () => void {
  const saved = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  const onSigint = (): void => {
    if (!stop.signal.aborted) {
      process.stderr.write('\nrsmlab bench: stopping (Ctrl-C again to kill everything at once)\n');
      stop.abort();
      return;
    }
    killAllGroups();
    process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSigint);
  return () => {
    process.off('SIGINT', onSigint);
    for (const listener of saved) process.on('SIGINT', listener as () => void);
  };
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.2 || seconds > 3600) throw new InvalidArgumentError('--seconds must be a number from 0.2 to 3600.');
  return seconds;
}

function parseLinks(value: string): Wiring {
  if (value !== 'direct' && value !== 'proxy') throw new InvalidArgumentError('--links must be direct or proxy.');
  return value;
}
