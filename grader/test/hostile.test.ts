// Hostile submissions (fixtures/hostile/): each is graded by `rsmlab grade --sandbox on`, as an
// instructor would. The grade ends within the fixture's bound with the honest score and a clear failed
// check, no process of it survives, and no file outside its temporary folders changes.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lab1Bank } from '../src/labs/lab1-bank/lab.ts';
import { selectChecks } from '../src/check/gradeSubmission.ts';
import { KIT_ROOT } from '../src/kitPaths.ts';
import type { GradescopeResults } from '../src/report/gradescopeResults.ts';
import { detectSandboxPolicy, SANDBOX_UID_ENV } from '../src/sandbox/sandboxPolicy.ts';
import { killSandboxUid, processesOfUid } from '../src/sandbox/sandboxAccess.ts';
import { namespaceFlags, NETNS_ENV, NETNS_UNAVAILABLE_ENV } from '../src/sandbox/networkNamespace.ts';
import { SANDBOX_ENV } from '../src/sandbox/sandboxChoice.ts';
import { buildFixture, fixtureNames, processesMentioning, readHostileFixture, type HostileFixtureSpec } from './fixtureSubmissions.ts';

const RSMLAB = join(KIT_ROOT, 'grader', 'bin', 'rsmlab.mjs');
const CANARY = '/tmp/rsmlab-hostile-canary';         // root-owned files the vandal goes after
const SCRATCH = ['/tmp', '/var/tmp', '/dev/shm'];     // shared folders any uid may write to
const UID_BASE = 65200;  // fixture i (sorted) runs as UID_BASE + i: outside the 61000-64999 the grader derives uids from
const STACK_FRAME = /\n\s+at .*:\d+:\d+/;

const names = fixtureNames('hostile');
const sandbox = detectSandboxPolicy({ uid: UID_BASE });
const sandboxReady = sandbox.uid !== undefined && sandbox.limits !== undefined;
const namespace = namespaceFlags();
const namespaceReady = 'flags' in namespace;

afterAll(() => rmSync(CANARY, { recursive: true, force: true }));

// Where the sandbox is missing, the tests below are reported as skipped, never as passed.
if (!sandboxReady) console.warn(`hostile submissions not graded: the sandbox is incomplete here (${sandbox.warnings.join('; ')})`);

describe.skipIf(!sandboxReady)('hostile submissions, graded sandboxed', () => {
  describe.each(names)('%s', (name) => {
    const spec = readHostileFixture(name);
    const uid = UID_BASE + names.indexOf(name);
    const skip = spec.needsNetworkNamespace === true && !namespaceReady;
    if (skip) console.warn(`hostile fixture ${name} not graded: it needs the loopback-only network namespace, and here ${'reason' in namespace ? namespace.reason : ''}`);

    it.skipIf(skip)(`fails ${spec.failing.join(', ')} with a clear message within ${spec.boundSeconds} s, honestly scored, leaving nothing behind`, async () => {
      const source = buildFixture(lab1Bank, 'hostile', name);
      const out = mkdtempSync(join(tmpdir(), `rsmlab-hostile-out-${name}-`));
      writeFileSync(join(out, 'keep.txt'), 'the grader writes only the --json file here\n');
      const json = join(out, 'results.json');
      makeCanary();
      const before = snapshotAll(source, out);
      let run: CliRun | undefined;
      try {
        run = await runGrade(['grade', 'lab1', source, '--json', json, '--sandbox', namespaceReady ? 'on' : 'auto', '--only', spec.only.join(',')], uid, spec.boundSeconds * 1000);
        console.log(`hostile fixture ${name}: graded in ${(run.ms / 1000).toFixed(1)} s (bound ${spec.boundSeconds} s), exit ${run.signal ?? run.code}`);
        const context = `rsmlab grade exited ${run.signal ?? run.code} after ${run.ms} ms\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
        expect(run.timedOut, context).toBe(false);
        expect(run.code, context).toBe(0);
        expect(run.ms, context).toBeLessThan(spec.boundSeconds * 1000);
        expectHonestResults(JSON.parse(readFileSync(json, 'utf8')) as GradescopeResults, spec, run.stdout, context);
        expect(processesOfUid(uid), `processes of uid ${uid} left running`).toEqual([]);
        expect(processesMentioning(source), `processes mentioning ${source} left running`).toEqual([]);
        expect(filesOwnedBy(uid), `files of uid ${uid} left outside its temporary folders`).toEqual([]);
        expect(changes(before, snapshotAll(source, out, before), uid), 'files changed outside the temporary folders').toEqual([]);
      } finally {
        killSandboxUid({ uid, warnings: [] }); // after a timeout, for the tests that follow
        const logs = run ? /logs of every process in (\S+)/.exec(run.stdout)?.[1] : undefined;
        if (!process.env.RSMLAB_KEEP_LOGS) {
          if (logs?.startsWith(tmpdir())) rmSync(logs, { recursive: true, force: true });
          rmSync(source, { recursive: true, force: true });
          rmSync(out, { recursive: true, force: true });
        }
      }
    }, spec.boundSeconds * 1000 + 60_000);
  });
});

/** The grader's own results.json and report: the failures expected, each explained, and the score earned. */
function expectHonestResults(results: GradescopeResults, spec: HostileFixtureSpec, stdout: string, context: string): void {
  const selected = selectChecks(lab1Bank, spec.only);
  expect(results.tests.map((test) => test.number).sort(), context).toEqual(selected.map((check) => check.id).sort());
  for (const test of results.tests) expect(test.name.startsWith(`${test.number}: `), test.name).toBe(true);
  const failed = results.tests.filter((test) => test.status === 'failed');
  expect(failed.map((test) => test.number).sort(), context).toEqual([...spec.failing].sort());
  for (const test of failed) {
    expect(test.output.trim(), `${test.number} has no message`).not.toBe('');
    expect(test.output, `${test.number} shows a stack trace`).not.toMatch(STACK_FRAME);
    if (spec.messagePattern) expect(test.output, `${test.number}'s message`).toMatch(new RegExp(spec.messagePattern));
  }
  const earned = results.tests.filter((test) => test.status === 'passed').reduce((sum, test) => sum + test.max_score, 0);
  const expected = selected.filter((check) => !spec.failing.includes(check.id)).reduce((sum, check) => sum + check.points, 0);
  expect(results.score, context).toBe(earned);
  expect(results.score, context).toBe(expected);
  expect(results.score, context).toBeLessThan(results.tests.reduce((sum, test) => sum + test.max_score, 0));
  // The report on stdout is the grader's: its table rows start a line, the submission's output never does.
  for (const check of selected) {
    const points = spec.failing.includes(check.id) ? 0 : check.points;
    expect(stdout, context).toMatch(new RegExp(`^${escape(check.id)}(?: \\(bonus\\))?\\s+${points}/${check.points}\\s*$`, 'm'));
  }
  for (const id of spec.failing) expect(stdout, context).toMatch(new RegExp(`^✗ ${escape(id)}: `, 'm'));
  const regular = selected.filter((check) => !check.tags.includes('bonus')).reduce((sum, check) => sum + check.points, 0);
  const totals = stdout.split('\n').filter((line) => /^total\s/.test(line));
  expect(totals.map((line) => line.replace(/\s+/g, ' ').trim()), context).toEqual([`total ${expected}/${regular}`]);
}

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;         // wall-clock time until it exited or was killed
  timedOut: boolean;  // killed at the bound
}

/** Runs `rsmlab ARGS` as the instructor would, with the sandbox uid chosen; kills its group at the bound. */
function runGrade(args: string[], uid: number, boundMs: number): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, [SANDBOX_UID_ENV]: String(uid), NO_COLOR: '1' };
  for (const variable of ['FORCE_COLOR', NETNS_ENV, NETNS_UNAVAILABLE_ENV, SANDBOX_ENV]) delete env[variable];
  const started = Date.now();
  const child = spawn(process.execPath, [RSMLAB, ...args], { cwd: KIT_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // gone already
    }
  }, boundMs);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** Root-owned files, readable by all and writable by root alone, for the vandal to go after. */
function makeCanary(): void {
  mkdirSync(CANARY, { recursive: true });
  chmodSync(CANARY, 0o755);
  for (const [file, text] of [['precious.txt', 'do not touch\n'], ['config.json', '{"keep": true}\n']] as const) {
    writeFileSync(join(CANARY, file), text);
    chmodSync(join(CANARY, file), 0o644);
  }
}

/** What a snapshot keeps of a path; a folder's size and time are left out (new entries show as new paths). */
interface Stamp {
  exists: boolean;
  dir: boolean;
  mode: number;      // permission bits
  uid: number;
  gid: number;
  size: number;      // files only
  mtimeMs: number;   // files only
}

type Snapshot = Map<string, Stamp>;

function stamp(path: string): Stamp {
  const info = lstatSync(path, { throwIfNoEntry: false });
  if (!info) return { exists: false, dir: false, mode: 0, uid: -1, gid: -1, size: 0, mtimeMs: 0 };
  const dir = info.isDirectory();
  return { exists: true, dir, mode: info.mode & 0o7777, uid: info.uid, gid: info.gid, size: dir ? 0 : info.size, mtimeMs: dir ? 0 : info.mtimeMs };
}

const showStamp = (entry: Stamp | undefined): string =>
  !entry?.exists ? 'absent' : `${entry.dir ? 'folder' : `${entry.size} bytes, mtime ${entry.mtimeMs}`}, mode ${entry.mode.toString(8)}, owner ${entry.uid}:${entry.gid}`;

/** True when a process of `uid` may write the path this stamp describes. */
const writableBy = (entry: Stamp | undefined, uid: number): boolean =>
  entry !== undefined && entry.exists && (entry.uid === uid || (entry.gid === uid && (entry.mode & 0o020) !== 0) || (entry.mode & 0o002) !== 0);

/** Every path below `root` (itself included), skipping the named entries. */
function walk(root: string, skip: ReadonlySet<string> = new Set()): string[] {
  const paths = [root];
  let entries: string[] = [];
  try {
    if (lstatSync(root).isDirectory()) entries = readdirSync(root);
  } catch {
    // gone, or removed meanwhile by another test: its stamp says so
  }
  for (const entry of entries) if (!skip.has(entry)) paths.push(...walk(join(root, entry), skip));
  return paths;
}

/** The kit's tracked files and their folders (or, outside git, every file but .git and node_modules). */
function kitPaths(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: KIT_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) return walk(KIT_ROOT, new Set(['.git', 'node_modules']));
  const files = listed.stdout.split('\0').filter((file) => file !== '').map((file) => join(KIT_ROOT, file));
  return [...new Set([KIT_ROOT, ...files, ...files.map((file) => dirname(file))])];
}

interface Snapshots {
  kit: Snapshot;       // people may be editing the kit meanwhile (see changes())
  private: Snapshot;   // the built fixture, the canary folder, the output folder but the --json file, /etc/hosts
}

/** The paths of `kit` are those of the snapshot before, if given: files tracked meanwhile are not new files. */
function snapshotAll(source: string, out: string, before?: Snapshots): Snapshots {
  const take = (paths: Iterable<string>): Snapshot => new Map([...paths].map((path) => [path, stamp(path)]));
  return { kit: take(before?.kit.keys() ?? kitPaths()), private: take([...walk(source), ...walk(CANARY), ...walk(out, new Set(['results.json'])), '/etc/hosts']) };
}

/**
 * Paths whose stamp changed. In the kit, someone may be editing files while the test runs (a developer,
 * or another test), so there a change of content counts only where `uid` could have made it: the file,
 * or its folder, was writable by it. Any change of existence, mode or owner always counts. (New files
 * in the kit are found by filesOwnedBy: only the submission's uid could have made them.)
 */
function changes(before: Snapshots, after: Snapshots, uid: number): string[] {
  const found: string[] = [];
  for (const [kind, was, now] of [['kit', before.kit, after.kit], ['private', before.private, after.private]] as const) {
    for (const path of new Set([...was.keys(), ...now.keys()])) {
      const old = was.get(path);
      const current = now.get(path);
      const access = (entry: Stamp | undefined): string => (entry?.exists ? `${entry.dir} ${entry.mode} ${entry.uid} ${entry.gid}` : 'absent');
      const content = (entry: Stamp | undefined): string => `${entry?.size} ${entry?.mtimeMs}`;
      const couldWrite = kind === 'private' || writableBy(old, uid) || writableBy(was.get(dirname(path)), uid);
      if (access(old) !== access(current) || (couldWrite && content(old) !== content(current))) found.push(`${path}: ${showStamp(old)} → ${showStamp(current)}`);
    }
  }
  return found;
}

/**
 * Files of `uid` in the shared scratch folders, and files of its uid or group in the canary folder and
 * the kit. (The grader's log folders in /tmp have the uid's group by design: it may pass through them.)
 */
function filesOwnedBy(uid: number): string[] {
  const scratch = SCRATCH.flatMap((folder) => readdirSync(folder).map((entry) => join(folder, entry)));
  const ours = [...walk(CANARY), ...walk(KIT_ROOT, new Set(['.git', 'node_modules']))];
  const owner = (path: string): { uid: number; gid: number } => lstatSync(path, { throwIfNoEntry: false }) ?? { uid: -1, gid: -1 };
  return [...scratch.filter((path) => owner(path).uid === uid), ...ours.filter((path) => owner(path).uid === uid || owner(path).gid === uid)];
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
