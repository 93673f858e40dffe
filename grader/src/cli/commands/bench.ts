/**
 * `rsmlab bench LAB [DIR]`: measures a lab's servers as real processes, started with the grader's
 * role commands (so rsmlab.json submissions work), and writes its figures to --out.
 * - lab 2: the seed's write and read performance, set against a loopback floor (a table, CSVs,
 *   SVG charts and bench.json);
 * - lab 3: master failover time and lock throughput, three replicas against one (a table and bench.json);
 * - lab 4: operations per second and messages between nodes per operation, 1 to 4 nodes (a table and bench.json).
 */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { findLab } from '../../labs/labRegistry.ts';
import type { LabDef } from '../../labs/labDef.ts';
import { starterDir } from '../../kitPaths.ts';
import { prepareSubmission, type Submission } from '../../harness/submission.ts';
import { killAllGroups } from '../../harness/processRegistry.ts';
import { RsmlabError, submissionError, usageError } from '../../errors.ts';
import { runLab2Bench } from '../../labs/lab2-factory/bench/lab2Bench.ts';
import { formatBenchTable, writeBenchFiles } from '../../labs/lab2-factory/bench/benchReport.ts';
import type { Wiring } from '../../labs/lab2-factory/bench/benchCluster.ts';
import { throwIfAborted } from '../../labs/lab2-factory/bench/closedLoop.ts';
import { formatLab3Bench, runLab3Bench } from '../../labs/lab3-rsm/bench/lab3Bench.ts';
import { formatLab4Bench, runLab4Bench } from '../../labs/lab4-kv/bench/lab4Bench.ts';
import { EXIT } from '../exitCodes.ts';

interface BenchOptions {
  seconds: number;
  out?: string;
  links: Wiring;
  runs: number;
}

/** What one lab's benchmark needs from the command line, once the submission is prepared. */
interface BenchRun {
  source: string;                  // what the user named
  submission: Submission;
  out: string;                     // absolute --out
  options: BenchOptions;
  signal: AbortSignal;
}

const BENCH_LABS = [2, 3, 4];
const LAB2_MEASUREMENTS = 15;      // floor 5, write 6, read 4: for the duration estimate

export function benchCommand(): Command {
  return new Command('bench')
    .description('measure a lab\'s servers: lab 2 (write and read performance), lab 3 (failover time, lock throughput) or lab 4 (throughput and messages per operation on 1 to 4 nodes); a table on stdout, files in --out')
    .argument('<lab>', 'lab number or name: 2, lab2, lab2-factory, 3, lab3, lab3-rsm, 4, lab4 or lab4-kv')
    .argument('[dir]', 'folder with the lab\'s programs (default: the lab\'s starter folder)')
    .option('--seconds <n>', 'measured seconds per configuration, after a warm-up (lab 2: the seed asks for 10 or more; lab 3: each throughput window; lab 4: each cluster size)', parseSeconds, 10)
    .option('--out <dir>', 'folder for the figures: bench.json, and for lab 2 CSVs and SVG charts (default: bench-lab2, bench-lab3 or bench-lab4)')
    .option('--links <how>', 'lab 2: how servers reach each other: direct (free ports passed as PORT) or proxy (through link proxies, as in the checks)', parseLinks, 'direct')
    .option('--runs <n>', 'lab 3: how many times the master is killed for the failover figure', parseRuns, 10)
    .action(async (labName: string, dir: string | undefined, options: BenchOptions) => {
      const lab = benchLab(labName);
      const source = dir ?? (relative(process.cwd(), starterDir(lab.id)) || '.');
      const submission = await prepareSubmission(lab, source);
      const stop = new AbortController();
      const restoreSigint = interruptWith(stop);
      try {
        const run: BenchRun = { source, submission, out: resolve(options.out ?? `bench-lab${lab.number}`), options, signal: stop.signal };
        await BENCHES[lab.number as 2 | 3 | 4](run).catch((error: unknown) => {
          throwIfAborted(stop.signal);
          const logDir = join(run.out, 'logs');
          if (error instanceof RsmlabError && error.code === 'SUBMISSION') throw submissionError(error.message.replace(/^[^\n]*/, (first) => `${first} Logs: ${logDir}`));
          throw error;
        });
      } finally {
        restoreSigint();
        await submission.dispose();
      }
    });
}

async function benchLab2({ source, submission, out, options, signal }: BenchRun): Promise<void> {
  const server = submission.roles.server;
  if (!server) throw new Error('lab 2 has no server role');
  requireFile(server.file, submission, source, 'server');
  const minutes = Math.ceil((LAB2_MEASUREMENTS * (options.seconds + 1.5)) / 60);
  progress(`${LAB2_MEASUREMENTS} measurements of ${options.seconds} s, about ${minutes} min; Ctrl-C stops everything`);
  const result = await runLab2Bench({
    source,
    server,
    dir: submission.dir,
    logDir: join(out, 'logs'),
    seconds: options.seconds,
    wiring: options.links,
    signal,
    onProgress: progress,
  });
  const files = await writeBenchFiles(result, out);
  process.stdout.write(`${formatBenchTable(result)}\n\nWrote ${files.map((file) => relative(process.cwd(), file)).join(', ')}\n`);
}

async function benchLab3({ source, submission, out, options, signal }: BenchRun): Promise<void> {
  const { lockServer, lockTester } = submission.roles;
  if (!lockServer || !lockTester) throw new Error('lab 3 has no lockServer or lockTester role');
  requireFile(lockServer.file, submission, source, 'lockServer');
  const seconds = Math.ceil(options.runs * 6 + 2 * (options.seconds + 4));
  progress(`${options.runs} failover${options.runs === 1 ? '' : 's'}, then 2 throughput windows of ${options.seconds} s: about ${Math.ceil(seconds / 60)} min; Ctrl-C stops everything`);
  const result = await runLab3Bench({
    source,
    lockServer,
    lockTester,
    dir: submission.dir,
    logDir: join(out, 'logs'),
    runs: options.runs,
    seconds: options.seconds,
    signal,
    onProgress: progress,
  });
  await mkdir(out, { recursive: true });
  const file = join(out, 'bench.json');
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${formatLab3Bench(result)}\n\nWrote ${relative(process.cwd(), file)}\n`);
}

async function benchLab4({ source, submission, out, options, signal }: BenchRun): Promise<void> {
  const { kvServer } = submission.roles;
  if (!kvServer) throw new Error('lab 4 has no kvServer role');
  requireFile(kvServer.file, submission, source, 'kvServer');
  progress(`4 cluster sizes, ${options.seconds} s each after a 1 s warm-up: about ${Math.ceil((4 * (options.seconds + 6)) / 60)} min; Ctrl-C stops everything`);
  const result = await runLab4Bench({ source, submission, logDir: join(out, 'logs'), seconds: options.seconds, signal, onProgress: progress });
  await mkdir(out, { recursive: true });
  const file = join(out, 'bench.json');
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${formatLab4Bench(result)}\n\nWrote ${relative(process.cwd(), file)}\n`);
}

const BENCHES = { 2: benchLab2, 3: benchLab3, 4: benchLab4 } as const;

const progress = (line: string): void => void process.stderr.write(`rsmlab bench: ${line}\n`);

function requireFile(file: string | undefined, submission: Submission, source: string, role: string): void {
  if (file && !existsSync(join(submission.dir, file))) throw submissionError(`${file} is missing from ${source}; the benchmark runs the ${role} role`);
}

/** The lab named, when it has a benchmark; any other lab is a usage error that says which ones do. */
function benchLab(name: string): LabDef {
  const lab = findLab(name); // throws for a name that is no lab
  if (!BENCH_LABS.includes(lab.number)) throw usageError(`no benchmark for lab ${lab.number}; \`rsmlab bench\` measures lab 2 (rsmlab bench lab2 [DIR]), lab 3 (rsmlab bench lab3 [DIR]) and lab 4 (rsmlab bench lab4 [DIR])`);
  return lab;
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

function parseRuns(value: string): number {
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new InvalidArgumentError('--runs must be a whole number from 1 to 100.');
  return runs;
}

function parseLinks(value: string): Wiring {
  if (value !== 'direct' && value !== 'proxy') throw new InvalidArgumentError('--links must be direct or proxy.');
  return value;
}
