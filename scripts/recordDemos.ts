/**
 * Records the handouts' demos again (handouts/demos/NAME.cast, listed in
 * grader/src/handouts/demoTable.ts): each is one check graded on the reference solution with
 * seed 1, its recording given the generated title and stripped of this machine's paths. The demos
 * are never edited by hand; a test refuses a .cast without the generated title.
 * Usage: npm run demos [-- NAME ...]   (all demos by default)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gradeSubmission } from '../grader/src/check/gradeSubmission.ts';
import { findLab } from '../grader/src/labs/labRegistry.ts';
import { KIT_ROOT, solutionDir } from '../grader/src/kitPaths.ts';
import { RECORDING_FILE } from '../grader/src/record/recordTypes.ts';
import { DEMOS, DEMOS_DIR, demoFile, type DemoDef } from '../grader/src/handouts/demoTable.ts';
import { demoCast, type PathNames } from '../grader/src/handouts/demoCast.ts';

async function recordDemo(demo: DemoDef): Promise<string> {
  const lab = findLab(demo.lab);
  const logRoot = mkdtempSync(join(tmpdir(), 'rsmlab-demo-'));
  try {
    const result = await gradeSubmission({
      lab,
      source: solutionDir(lab.id),
      seed: 1,
      only: [demo.checkId],
      logRoot,
      reproduceCommand: `npx rsmlab grade ${lab.id} solutions/${lab.id}`,
    });
    const check = result.checks.find((candidate) => candidate.id === demo.checkId);
    if (!check) throw new Error(`${demo.checkId} did not run`);
    if (check.status !== 'passed') throw new Error(`${demo.checkId} failed on the reference solution, so it makes no demo:\n${check.message}`);
    const recording = join(check.logDir, RECORDING_FILE);
    if (!existsSync(recording)) throw new Error(`${demo.checkId} left no ${RECORDING_FILE} in ${check.logDir}`);
    const paths: PathNames = [
      [check.logDir, `logs/${demo.checkId}`],
      [logRoot, 'logs'],
      [solutionDir(lab.id), `solutions/${lab.id}`],
      [KIT_ROOT, '.'],
      [tmpdir(), '/tmp'],
      [homedir(), '~'],
    ];
    const cast = demoCast(readFileSync(recording, 'utf8'), demo, paths);
    writeFileSync(demoFile(demo.name), cast);
    const kib = (Buffer.byteLength(cast) / 1024).toFixed(0);
    return `${relative(KIT_ROOT, demoFile(demo.name))}: ${demo.checkId}, ${kib} KiB, check took ${(check.durationMs / 1000).toFixed(1)} s`;
  } finally {
    rmSync(logRoot, { recursive: true, force: true });
  }
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !DEMOS.some((demo) => demo.name === name));
if (unknown.length > 0) {
  process.stderr.write(`no demo named ${unknown.join(', ')}; the demos are: ${DEMOS.map((demo) => demo.name).join(', ')}\n`);
  process.exit(2);
}
mkdirSync(DEMOS_DIR, { recursive: true });
let failed = 0;
for (const demo of DEMOS.filter((candidate) => wanted.length === 0 || wanted.includes(candidate.name))) {
  try {
    process.stdout.write(`${await recordDemo(demo)}\n`);
  } catch (error) {
    failed += 1;
    process.stderr.write(`${demo.name}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
