/**
 * Batch benchmark (issue 5): a class of 40 lab1 submissions (correct, buggy and hostile, as
 * folders, archives and a notebook) graded by `rsmlab batch --jobs N` twice, and each one by
 * `rsmlab grade` alone. Prints the wall time and mean per submission of each batch, and every
 * submission whose verdicts differ between the three gradings (there must be none).
 * Usage: npm run bench:batch -- [--jobs N] [--out DIR] [--skip-alone]
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lab1Bank } from '../grader/src/labs/lab1-bank/lab.ts';
import { KIT_ROOT, solutionDir, starterDir } from '../grader/src/kitPaths.ts';
import { buildFixture, fixtureNames } from '../grader/test/fixtureSubmissions.ts';

interface Verdicts {
  score: number;
  checks: string;   // "id=status" for every check, in order
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : (args[at + 1] ?? fallback);
};
const jobs = Number(option('--jobs', '2'));
const outDir = resolve(option('--out', 'bench-batch'));
const skipAlone = args.includes('--skip-alone');
const CLASS_SIZE = 40;

/** The class: every lab1 and hostile fixture once, the solution in each form, then archives to reach 40. */
function buildClass(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const folders: string[] = [];
  const add = (name: string, source: string): void => {
    cpSync(source, join(dir, name), { recursive: true, dereference: true });
    folders.push(name);
  };
  add('solution', solutionDir(lab1Bank.id));
  add('starter', starterDir(lab1Bank.id));
  for (const folder of ['lab1', 'hostile']) {
    for (const name of fixtureNames(folder)) add(`${folder}-${name}`, buildFixture(lab1Bank, folder, name));
  }
  copyFileSync(join(solutionDir(lab1Bank.id), `${lab1Bank.id}.ipynb`), join(dir, 'solution-notebook.ipynb'));
  const entries = [...folders, 'solution-notebook.ipynb'];
  for (let index = 0; entries.length < CLASS_SIZE; index++) {
    const folder = folders[index % folders.length] as string;
    const zip = index % 2 === 0;
    const archive = `${folder}-archived${zip ? '.zip' : '.tar.gz'}`;
    if (zip) execFileSync('zip', ['-qr', join(dir, archive), '.'], { cwd: join(dir, folder) });
    else execFileSync('tar', ['czf', join(dir, archive), '-C', join(dir, folder), '.']);
    entries.push(archive);
  }
  return entries;
}

function rsmlab(commandArgs: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), ...commandArgs], { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((done) => child.once('close', done));
}

function verdicts(resultsFile: string): Verdicts | undefined {
  if (!existsSync(resultsFile)) return undefined;
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { score: number; tests: { number: string; status: string }[] };
  return { score: results.score, checks: results.tests.map((test) => `${test.number}=${test.status}`).join(' ') };
}

const entryName = (entry: string): string => entry.replace(/\.(zip|tar\.gz|tgz|ipynb)$/, '');

async function timedBatch(classDir: string, label: string): Promise<number> {
  const started = Date.now();
  const code = await rsmlab(['batch', 'lab1', classDir, '--out', join(outDir, label), '--jobs', String(jobs)]);
  const seconds = (Date.now() - started) / 1000;
  if (code !== 0) throw new Error(`${label}: rsmlab batch exited with ${code}`);
  process.stdout.write(`${label}: ${CLASS_SIZE} submissions, --jobs ${jobs}: ${seconds.toFixed(0)} s wall, ${(seconds / CLASS_SIZE).toFixed(1)} s per submission\n`);
  return seconds;
}

rmSync(outDir, { recursive: true, force: true });
const classDir = join(outDir, 'class');
const entries = buildClass(classDir);
const first = await timedBatch(classDir, 'batch-1');
const second = await timedBatch(classDir, 'batch-2');

const differences: string[] = [];
for (const [index, entry] of entries.entries()) {
  const name = entryName(entry);
  const inBatch = [verdicts(join(outDir, 'batch-1', name, 'results.json')), verdicts(join(outDir, 'batch-2', name, 'results.json'))];
  let alone: Verdicts | undefined;
  if (!skipAlone) {
    const json = join(outDir, 'alone', `${name}.json`);
    mkdirSync(join(outDir, 'alone'), { recursive: true });
    await rsmlab(['grade', 'lab1', join(classDir, entry), '--json', json]);
    alone = verdicts(json);
    process.stdout.write(`alone ${index + 1}/${entries.length}: ${name} ${alone?.score ?? 'no result'}\n`);
  }
  const all = skipAlone ? inBatch : [...inBatch, alone];
  if (all.some((v) => v === undefined) || new Set(all.map((v) => JSON.stringify(v))).size !== 1) {
    differences.push(`${name}: ${all.map((v) => (v ? `${v.score} [${v.checks}]` : 'no result')).join('  |  ')}`);
  }
}

const report = [
  `# rsmlab batch benchmark (${new Date().toISOString()})`,
  '',
  `${CLASS_SIZE} lab1 submissions, --jobs ${jobs}, sandbox default (auto).`,
  `- batch 1: ${first.toFixed(0)} s wall, ${(first / CLASS_SIZE).toFixed(1)} s per submission`,
  `- batch 2: ${second.toFixed(0)} s wall, ${(second / CLASS_SIZE).toFixed(1)} s per submission`,
  `- verdicts compared: batch 1, batch 2${skipAlone ? '' : ', each graded alone'}: ${differences.length === 0 ? 'identical for every submission' : `${differences.length} differ`}`,
  ...differences.map((line) => `  - ${line}`),
  '',
].join('\n');
writeFileSync(join(outDir, 'report.md'), report);
process.stdout.write(`\n${report}`);
process.exitCode = differences.length === 0 ? 0 : 1;
