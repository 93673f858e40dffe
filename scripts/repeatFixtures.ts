/**
 * Proof of determinism: grades a lab's reference solution and every fixture on K seeds (seeds
 * FIRST..FIRST+K-1; K 20 and FIRST 1 by default) and prints, per submission, in how many runs the
 * set of failed checks was exactly the expected one. Two gradings run at once, seed by seed across
 * the submissions, so a run stopped early has graded every submission on about as many seeds.
 * Usage: npm run repeat-fixtures -- [--lab LAB] [--first SEED] [K] [fixture-name ...]   (LAB: lab1 by default)
 */
import { findLab } from '../grader/src/labs/labRegistry.ts';
import { solutionDir } from '../grader/src/kitPaths.ts';
import { buildFixture, failedChecks, fixtureNames, gradeFixture, readFixture } from '../grader/test/fixtureSubmissions.ts';

interface Target {
  name: string;
  source: string;
  expected: string[];
  matched: number;
  runs: number;
  leftovers: number;
  seconds: number[];
  surprises: string[];
}

const args = process.argv.slice(2);
const takeFlag = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args.splice(at, 2)[1];
};
const lab = findLab(takeFlag('--lab') ?? 'lab1');
const first = Number(takeFlag('--first') ?? 1);
const fixtureLab = `lab${lab.number}`;
const [countArg, ...names] = args;
const runs = Number(countArg ?? 20);
const chosen = names.length > 0 ? names : ['solution', ...fixtureNames(fixtureLab)];
const targets: Target[] = chosen.map((name) => ({
  name,
  ...(name === 'solution'
    ? { source: solutionDir(lab.id), expected: [] }
    : { source: buildFixture(lab, fixtureLab, name), expected: [...readFixture(fixtureLab, name).failing].sort() }),
  matched: 0,
  runs: 0,
  leftovers: 0,
  seconds: [],
  surprises: [],
}));

async function gradeOnce(target: Target, seed: number): Promise<void> {
  const { result, leftovers } = await gradeFixture(lab, target.source, seed);
  const failed = failedChecks(result);
  const asExpected = failed.join() === target.expected.join();
  target.runs += 1;
  target.seconds.push(result.executionTimeMs / 1000);
  target.leftovers += leftovers.length;
  if (asExpected) target.matched += 1;
  else target.surprises.push(`seed ${seed}: failed [${failed.join(', ')}]`);
  const left = leftovers.length > 0 ? `, ${leftovers.length} processes left running` : '';
  process.stderr.write(`${target.name} seed ${seed}: ${asExpected ? 'as expected' : `failed [${failed.join(', ')}]`} (${(result.executionTimeMs / 1000).toFixed(1)} s${left})\n`);
  if (!asExpected) for (const check of result.checks.filter((one) => one.status === 'failed')) process.stderr.write(`    ${check.id}: ${check.message.slice(0, 600)}\n`);
}

function summary(target: Target): string {
  const mean = target.seconds.reduce((sum, value) => sum + value, 0) / Math.max(1, target.seconds.length);
  return [
    `${target.name.padEnd(28)} ${target.matched}/${target.runs} runs as expected  (mean ${mean.toFixed(1)} s, leftover processes ${target.leftovers})`,
    ...target.surprises.map((line) => `    ${line}`),
  ].join('\n');
}

const queue = Array.from({ length: runs }, (_, index) => first + index).flatMap((seed) => targets.map((target) => ({ target, seed })));
await Promise.all(
  [1, 2].map(async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await gradeOnce(job.target, job.seed);
  }),
);
for (const target of targets) process.stdout.write(`${summary(target)}\n`);
process.exit(targets.some((target) => target.surprises.length > 0 || target.leftovers > 0) ? 1 : 0);
