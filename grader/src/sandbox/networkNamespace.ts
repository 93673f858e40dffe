/**
 * Network isolation for a whole grading run. The grader's link proxies and reference clients talk
 * to the submission over loopback, so they must share its network namespace: the unit isolated is
 * the grader process itself, re-executed inside `unshare -n` (root) or `unshare -rn` (a user
 * namespace, for other users where the kernel allows it) with only `lo`, brought up first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { readFileSync } from 'node:fs';

/** Set in the environment of the re-executed grader, so it does not re-execute again. */
export const NETNS_ENV = 'RSMLAB_NETNS';
/** Set in this process when a namespace could not be made: why, for the result's warnings. */
export const NETNS_UNAVAILABLE_ENV = 'RSMLAB_NETNS_UNAVAILABLE';

export type NamespaceOutcome =
  | { reexecuted: true; exitCode: number }     // the command ran inside; the caller exits with this code
  | { reexecuted: false; warning?: string };   // continue here; `warning` says why there is no isolation

/** True when this process sees no network interface but loopback. */
export function networkIsolated(): boolean {
  return Object.values(networkInterfaces()).every((addresses) => (addresses ?? []).every((address) => address.internal));
}

/** True when this process is root of the machine, not only root of a user namespace. */
export function isHostRoot(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    const map = readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/);
    return map[0] === '0' && map[1] === '0' && map[2] === '4294967295';
  } catch {
    return true; // no /proc: assume no user namespace
  }
}

const BRING_UP_LO = 'ip link set lo up';

/** The `unshare` flags this machine accepts for a loopback-only namespace, or why there are none. */
export function namespaceFlags(): { flags: string[] } | { reason: string } {
  const flags = isHostRoot() ? ['-n'] : ['-rn'];
  const probe = spawnSync('unshare', [...flags, '--', 'sh', '-c', BRING_UP_LO], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return { reason: `\`unshare\` could not run (${probe.error.message})` };
  if (probe.status !== 0) {
    const detail = (probe.stderr || probe.stdout).trim().split('\n')[0] ?? '';
    return { reason: `\`unshare ${flags.join(' ')}\` failed: ${detail || `exit code ${probe.status}`}` };
  }
  return { flags };
}

/**
 * Runs the current command (this node, its flags and arguments) again inside a fresh network
 * namespace with only loopback, and resolves with its exit code. Inside the namespace (NETNS_ENV
 * set) or where namespaces are unavailable it resolves `reexecuted: false`, with a warning when
 * the run is not isolated. Signals the grader receives are passed on to the inner command.
 */
export async function runInNetworkNamespace(): Promise<NamespaceOutcome> {
  if (process.env[NETNS_ENV]) {
    return networkIsolated() ? { reexecuted: false } : { reexecuted: false, warning: 'no network isolation: the namespace still shows non-loopback interfaces' };
  }
  const available = namespaceFlags();
  if ('reason' in available) {
    process.env[NETNS_UNAVAILABLE_ENV] = available.reason;
    return { reexecuted: false, warning: `no network isolation: ${available.reason}` };
  }
  const inner = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const child = spawn('unshare', [...available.flags, '--', 'sh', '-c', `${BRING_UP_LO} && exec "$@"`, 'rsmlab', ...inner], {
    stdio: 'inherit',
    env: { ...process.env, [NETNS_ENV]: '1' },
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  const exitCode = await new Promise<number>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
  for (const signal of signals) process.off(signal, forward);
  return { reexecuted: true, exitCode };
}

const signalNumber = (signal: NodeJS.Signals): number => ({ SIGINT: 2, SIGTERM: 15, SIGKILL: 9, SIGHUP: 1 } as Record<string, number>)[signal] ?? 1;
