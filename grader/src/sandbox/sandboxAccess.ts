/**
 * Folders a sandbox uid may use, and the end of every process it started. A granted folder stays
 * owned by root and gets the sandbox uid as its group with mode 1770: the submission may create
 * files there, but the sticky bit keeps it from deleting, renaming or (mode g=r) changing the files
 * the grader put there, such as the lab's given files; other uids (other gradings) cannot enter.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SandboxPolicy } from './sandboxPolicy.ts';

/** Lets the sandbox uid through `dir` (search only) without listing or writing it. */
export function grantPassage(policy: SandboxPolicy, dir: string): void {
  if (policy.uid === undefined) return;
  chownSync(dir, 0, policy.uid);
  chmodSync(dir, 0o710);
}

/** Makes the tree at `dir` usable by the sandbox uid as described above. Links are left alone. */
export function grantFolder(policy: SandboxPolicy, dir: string): void {
  const uid = policy.uid;
  if (uid === undefined) return;
  const visit = (path: string): void => {
    const info = lstatSync(path);
    // A link may lead out of the tree (an archive can carry a hard link to a system file): never
    // hand what it points to over to the sandbox.
    if (info.isSymbolicLink() || (!info.isDirectory() && info.nlink > 1)) return;
    chownSync(path, 0, uid);
    if (info.isDirectory()) {
      chmodSync(path, 0o1770);
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else {
      const ownerExec = (info.mode & 0o100) !== 0;
      chmodSync(path, ownerExec ? 0o750 : 0o640); // readable (and runnable) by the group, never writable
    }
  };
  visit(dir);
}

/**
 * SIGKILLs every process of the sandbox uid, including any that left its process group (setsid)
 * or forks faster than a scan of /proc could follow: a process running as that uid calls
 * kill(-1), which the kernel delivers to all of the uid's processes at once.
 */
export function killSandboxUid(policy: SandboxPolicy): void {
  const uid = policy.uid;
  if (uid === undefined) return;
  for (let round = 0; round < 5 && processesOfUid(uid).length > 0; round++) {
    const id = String(uid);
    spawnSync('setpriv', [`--reuid=${id}`, `--regid=${id}`, '--clear-groups', '--', '/bin/sh', '-c', 'kill -KILL -1'], { stdio: 'ignore', timeout: 5000 });
  }
}

/** Shared scratch folders any uid may write to (/dev/shm is memory). */
const SHARED_SCRATCH = ['/tmp', '/var/tmp', '/dev/shm'];

/**
 * Removes what the sandbox uid left in the shared scratch folders (files it wrote there on purpose,
 * and libfaketime's per-pid files of killed processes). Call once its processes are gone.
 */
export function removeLeftovers(policy: SandboxPolicy): void {
  const uid = policy.uid;
  if (uid === undefined) return;
  for (const folder of SHARED_SCRATCH) {
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(folder, entry);
      try {
        if (lstatSync(path).uid === uid) rmSync(path, { recursive: true, force: true });
      } catch {
        // gone already
      }
    }
  }
}

/** Sandbox uids in use by a grading of this process; whatever way the grader ends, their processes are killed. */
const activePolicies = new Set<SandboxPolicy>();

/** Marks the start (true) or end (false) of a grading under `policy`. */
export function trackSandbox(policy: SandboxPolicy, active: boolean): void {
  if (active) activePolicies.add(policy);
  else activePolicies.delete(policy);
}

// 'exit' handlers must be synchronous; killSandboxUid is.
process.on('exit', () => {
  for (const policy of activePolicies) killSandboxUid(policy);
});

/** The pids of live (non-zombie) processes whose real uid is `uid`, from /proc. */
export function processesOfUid(uid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const realUid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      const state = /^State:\s+(\S)/m.exec(status)?.[1];
      if (Number(realUid) === uid && state !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** The first folder on the way to `path` that other users cannot pass through, if any. */
export function closedAncestor(path: string): string | undefined {
  let current = resolve(path);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return chain.find((dir) => {
    try {
      return (statSync(dir).mode & 0o001) === 0;
    } catch {
      return false; // not there yet: it will be created with the default mode
    }
  });
}
