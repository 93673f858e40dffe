/**
 * Test helpers: build a fixture submission (the reference solution with a fixture's patches
 * applied, or a standalone fixture), grade it, and look for processes a run left behind.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { gradeSubmission } from '../src/check/gradeSubmission.ts';
import type { GradeResult } from '../src/check/types.ts';
import type { LabDef } from '../src/labs/labDef.ts';
import { solutionDir } from '../src/kitPaths.ts';
import { RUN_MARKER } from '../src/check/checkContext.ts';

export const FIXTURES_ROOT = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface FixtureSpec {
  description: string;
  base: 'solution' | 'none';
  failing: string[];        // the checks its bug must fail, every run; all others must pass
}

export function fixtureNames(lab: string, filter: (name: string) => boolean = () => true): string[] {
  return readdirSync(join(FIXTURES_ROOT, lab)).filter((name) => existsSync(join(FIXTURES_ROOT, lab, name, 'fixture.json'))).filter(filter).sort();
}

export function readFixture(lab: string, name: string): FixtureSpec {
  return JSON.parse(readFileSync(join(FIXTURES_ROOT, lab, name, 'fixture.json'), 'utf8')) as FixtureSpec;
}

/**
 * A folder holding the fixture as a student would submit it. A fixture based on the solution is
 * a set of `FILE.patch` diffs against it, so each fixture shows its bug and nothing else (and
 * stops applying, loudly, if the solution changes under it).
 */
export function buildFixture(lab: LabDef, fixtureLab: string, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `rsmlab-fixture-${name}-`));
  const fixtureDir = join(FIXTURES_ROOT, fixtureLab, name);
  if (readFixture(fixtureLab, name).base === 'solution') {
    cpSync(solutionDir(lab.id), dir, { recursive: true, dereference: true, filter: (path) => !path.endsWith('answers.md') });
  }
  const files = readdirSync(fixtureDir).filter((file) => file !== 'fixture.json');
  for (const file of files.filter((candidate) => !candidate.endsWith('.patch'))) cpSync(join(fixtureDir, file), join(dir, file));
  for (const patch of files.filter((candidate) => candidate.endsWith('.patch'))) {
    execFileSync('git', ['apply', join(fixtureDir, patch)], { cwd: dir, stdio: 'pipe' });
  }
  return dir;
}

export interface GradedRun {
  result: GradeResult;
  leftovers: number[];      // pids of processes of this run still alive after grading
}

/** Grades in-process, as `rsmlab grade` does; the logs are removed unless RSMLAB_KEEP_LOGS is set. */
export async function gradeFixture(lab: LabDef, source: string, seed: number, only?: string[]): Promise<GradedRun> {
  const runMarker = randomUUID();
  const logRoot = mkdtempSync(join(tmpdir(), `rsmlab-test-logs-${lab.id}-`));
  const result = await gradeSubmission({ lab, source, seed, only, runMarker, logRoot, reproduceCommand: `npx rsmlab grade ${lab.id} ${source}` });
  const leftovers = processesMarked(runMarker);
  if (!process.env.RSMLAB_KEEP_LOGS) rmSync(logRoot, { recursive: true, force: true });
  return { result, leftovers };
}

export const failedChecks = (result: GradeResult): string[] =>
  result.checks.filter((check) => check.status === 'failed').map((check) => check.id).sort();

/** Pids of live processes whose environment carries this run's marker. */
export function processesMarked(marker: string): number[] {
  const needle = `${RUN_MARKER}=${marker}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle);
      } catch {
        return false; // gone, or not ours to read
      }
    })
    .map(Number);
}

/** A message listing every failed check's explanation, for assertion failures. */
export const explain = (result: GradeResult): string =>
  result.checks.filter((check) => check.status === 'failed').map((check) => `${check.id}:\n${check.message}`).join('\n\n');

/** A hostile fixture (fixtures/hostile/NAME/): graded through the CLI, sandboxed, within its own bound. */
export interface HostileFixtureSpec extends FixtureSpec {
  only: string[];                   // the checks it is graded on (ids or prefixes), to keep each run short
  boundSeconds: number;             // wall-clock bound on the whole `rsmlab grade` run
  needsNetworkNamespace?: boolean;  // graded only where the loopback-only network namespace can be made
  messagePattern?: string;          // a regex every failed check's message must match
}

export const readHostileFixture = (name: string): HostileFixtureSpec => readFixture('hostile', name) as HostileFixtureSpec;

/** Pids of live processes, other than this one, whose command line or environment contains `text`. */
export function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return [`/proc/${pid}/cmdline`, `/proc/${pid}/environ`].some((file) => readFileSync(file, 'latin1').includes(text));
      } catch {
        return false; // gone, or not ours to read
      }
    })
    .map(Number);
}
