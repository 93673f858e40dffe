/**
 * Proof of determinism: grades a lab's reference solution and every fixture K times (seeds
 * 1..K, default 20) and prints, per submission, in how many runs the set of failed checks was
 * exactly the expected one.
 * Usage: npm run repeat-fixtures -- [--lab LAB] [K] [fixture-name ...]   (LAB: lab1 by default)
 */
import { findLab } from '../grader/src/labs/labRegistry.ts';
import { solutionDir } from '../grader/src/kitPaths.ts';
import { buildFixture, failedChecks, fixtureNames, gradeFixture, readFixture } from '../grader/test/fixtureSubmissions.ts';

interface Target {
  name: string;
  source: string;
  expected: string[];
}

const args = process.argv.slice(2);
const labFlag = args.indexOf('--lab');
const lab = findLab(labFlag === -1 ? 'lab1' : args.splice(labFlag, 2)[1] ?? 'lab1');
const fixtureLab = `lab${lab.number}`;
const [countArg, ...names] = args;
const runs = Number(countArg ?? 20);
const chosen = names.length > 0 ? names : ['solution', ...fixtureNames(fixtureLab)];
const targets: Target[] = chosen.map((name) =>
  name === 'solution'
    ? { name, source: solutionDir(lab.id), expected: [] }
    : { name, source: buildFixture(lab, fixtureLab, name), expected: [...readFixture(fixtureLab, name).failing].sort() },
);

async function repeat(target: Target): Promise<string> {
  let matched = 0;
  let leftovers = 0;
  const surprises: string[] = [];
  const seconds: number[] = [];
  for (let seed = 1; seed <= runs; seed++) {
    const { result, leftovers: left } = await gradeFixture(lab, target.source, seed);
    const failed = failedChecks(result);
    seconds.push(result.executionTimeMs / 1000);
    leftovers += left.length;
    const asExpected = failed.join() === target.expected.join();
    if (asExpected) matched += 1;
    else surprises.push(`seed ${seed}: failed [${failed.join(', ')}]`);
    process.stderr.write(`${target.name} seed ${seed}: ${asExpected ? 'as expected' : `failed [${failed.join(', ')}]`} (${(result.executionTimeMs / 1000).toFixed(1)} s)\n`);
    if (!asExpected) for (const check of result.checks.filter((one) => one.status === 'failed')) process.stderr.write(`    ${check.id}: ${check.message.slice(0, 600)}\n`);
  }
  const mean = seconds.reduce((sum, value) => sum + value, 0) / seconds.length;
  return [
    `${target.name.padEnd(28)} ${matched}/${runs} runs as expected  (mean ${mean.toFixed(1)} s, leftover processes ${leftovers})`,
    ...surprises.map((line) => `    ${line}`),
  ].join('\n');
}

const lines: string[] = [];
const queue = [...targets];
await Promise.all(
  [1, 2].map(async () => {
    for (let target = queue.shift(); target; target = queue.shift()) {
      const line = await repeat(target);
      process.stdout.write(`${line}\n`);
      lines.push(line);
    }
  }),
);
process.exit(lines.some((line) => line.includes('seed ')) ? 1 : 0);
