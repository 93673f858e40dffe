/**
 * What a submission's processes may use: resource limits (util-linux `prlimit`) and, when the
 * grader runs as root and `setpriv` exists, an unprivileged uid of their own. Detected once per
 * grading; `wrapCommand` turns a role's command into the command that runs it under the policy.
 */
import { spawnSync } from 'node:child_process';
import { isHostRoot } from './networkNamespace.ts';

export interface SandboxLimits {
  cpuSeconds: number;   // RLIMIT_CPU per process: CPU time, not wall time; past it the kernel sends SIGXCPU/SIGKILL
  dataBytes: number;    // RLIMIT_DATA per process: heap and anonymous mappings (RLIMIT_AS would break V8's reservation)
  processes: number;    // RLIMIT_NPROC: processes (threads included) of the sandbox uid together; applied only with a uid of its own
  fileBytes: number;    // RLIMIT_FSIZE per process: largest file it may write; past it a write fails (EFBIG)
  openFiles: number;    // RLIMIT_NOFILE per process: descriptors, sockets included
}

export interface SandboxPolicy {
  uid?: number;         // the uid (and gid) the processes run as; absent when not root or setpriv is missing
  limits?: SandboxLimits; // absent when prlimit is missing
  warnings: string[];   // what the policy could not apply, for GradeResult.warnings
}

/**
 * Limits no correct submission comes near. Measured on the lab solutions: node + tsx start-up
 * reserves a few hundred MB of data segment and uses under a second of CPU.
 */
export const DEFAULT_LIMITS: SandboxLimits = {
  cpuSeconds: 300,               // the longest check is bounded well below 5 minutes of wall time
  dataBytes: 1.5 * 1024 ** 3,    // 1.5 GiB: node + tsx need ~0.3 GiB; an endless allocator fails fast
  processes: 1024,               // counts threads: a node + tsx role has ~13 and its esbuild helper more; a lab runs ~12 roles at once
  fileBytes: 256 * 1024 ** 2,    // 256 MiB: lab data files are kilobytes
  openFiles: 4096,               // a server under the grader's concurrent clients holds ~100 sockets
};

/** The env var that picks the sandbox uid; give each concurrent grading its own. */
export const SANDBOX_UID_ENV = 'RSMLAB_SANDBOX_UID';
const UID_BASE = 61000;          // a range no system account uses
const UID_SPAN = 4000;

/** The uid a grading uses: RSMLAB_SANDBOX_UID when set, else one derived from the grader's pid. */
export function sandboxUid(env: NodeJS.ProcessEnv = process.env, pid = process.pid): number {
  const chosen = Number(env[SANDBOX_UID_ENV]);
  return Number.isInteger(chosen) && chosen > 0 ? chosen : UID_BASE + (pid % UID_SPAN);
}

/** Most gradings a batch runs at once: each needs a uid of its own. */
export const MAX_BATCH_SLOTS = 32;

/** The uid of worker `slot` of a batch run by the process `pid`: one per slot, and apart from other batches' (by pid). */
export function batchSandboxUid(slot: number, pid = process.pid): number {
  return UID_BASE + ((pid % Math.floor(UID_SPAN / MAX_BATCH_SLOTS)) * MAX_BATCH_SLOTS + slot) % UID_SPAN;
}

const hasTool = (name: string): boolean => spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;

/** Detects what this machine allows. `uid` overrides the derived uid. */
export function detectSandboxPolicy(options: { uid?: number; limits?: Partial<SandboxLimits> } = {}): SandboxPolicy {
  const warnings: string[] = [];
  const policy: SandboxPolicy = { warnings };
  if (hasTool('prlimit')) policy.limits = { ...DEFAULT_LIMITS, ...options.limits };
  else warnings.push('no resource limits: `prlimit` (util-linux) was not found');
  const isRoot = isHostRoot(); // root of a user namespace cannot switch to an unmapped uid
  if (!isRoot) {
    warnings.push('no separate uid: the grader is not root, so the submission runs as the grader\'s user, without a process limit');
  } else if (!hasTool('setpriv')) {
    warnings.push('no separate uid: `setpriv` (util-linux) was not found, so the submission runs as root and the process limit does not apply');
  } else {
    policy.uid = options.uid ?? sandboxUid();
  }
  return policy;
}

/** What a sandboxed program inherits of the grader's environment: enough to find and run tools. */
const INHERITED_VARIABLES = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ'];

/**
 * The environment a sandboxed program starts from: nothing of the grader's run (its paths, its
 * tokens, RSMLAB_AUTOGRADER_ROOT), and a home of its own in the grading's private `tmpDir`.
 */
export function sandboxedEnvironment(tmpDir: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = env[name];
    if (value !== undefined) kept[name] = value;
  }
  return { ...kept, HOME: tmpDir, TMPDIR: tmpDir };
}

export interface WrappedCommand {
  command: string;
  args: string[];
}

/**
 * `prlimit --cpu=.. -- setpriv --reuid=U .. -- CMD ARGS`, leaving out what the policy lacks. Pure.
 * `innerEnv` is set by `env` right before CMD, so that it reaches CMD but not the wrappers (an
 * LD_PRELOAD of libfaketime in the wrappers would create, as root, files CMD must open).
 */
export function wrapCommand(policy: SandboxPolicy, command: string, args: readonly string[], innerEnv: Readonly<Record<string, string>> = {}): WrappedCommand {
  let wrapped: string[] = [command, ...args];
  const assignments = Object.entries(innerEnv).map(([name, value]) => `${name}=${value}`);
  if (assignments.length > 0) wrapped = ['env', ...assignments, ...wrapped];
  if (policy.uid !== undefined) {
    const id = String(policy.uid);
    wrapped = ['setpriv', `--reuid=${id}`, `--regid=${id}`, '--clear-groups', '--', ...wrapped];
  }
  const limits = policy.limits;
  if (limits) {
    wrapped = [
      'prlimit',
      // soft:hard, so the process first gets SIGXCPU (a telling signal), and SIGKILL 5 s of CPU later
      `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 5}`,
      `--data=${Math.floor(limits.dataBytes)}`,
      // RLIMIT_NPROC counts every process of the real uid: only meaningful for a uid of its own.
      ...(policy.uid === undefined ? [] : [`--nproc=${limits.processes}`]),
      `--fsize=${Math.floor(limits.fileBytes)}`,
      `--nofile=${limits.openFiles}`,
      '--',
      ...wrapped,
    ];
  }
  if (innerEnv.LD_PRELOAD?.includes('faketime')) {
    // libfaketime keeps a semaphore and a shared-memory file named after the pid in /dev/shm, and
    // leaks them when a process is killed; a root-owned leftover for a reused pid would stop CMD.
    // The pid survives every exec below, so the shell removes the leftovers of its own pid first.
    const clean = 'rm -f /dev/shm/sem.faketime_sem_$$ /dev/shm/faketime_shm_$$; exec "$@"';
    wrapped = ['/bin/sh', '-c', clean, 'rsmlab-sandbox', ...wrapped];
  }
  const [first, ...rest] = wrapped;
  return { command: first as string, args: rest };
}
