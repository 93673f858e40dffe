import { describe, it, expect } from 'vitest';
import { batchSandboxUid, DEFAULT_LIMITS, MAX_BATCH_SLOTS, sandboxedEnvironment, sandboxUid, wrapCommand, type SandboxPolicy } from './sandboxPolicy.ts';
import { parseSandboxEnv, resolveSandbox } from './sandboxChoice.ts';
import { networkIsolated } from './networkNamespace.ts';

describe('sandbox policy', () => {
  it('wraps a command in prlimit and setpriv', () => {
    const policy: SandboxPolicy = { uid: 61234, limits: DEFAULT_LIMITS, warnings: [] };
    const wrapped = wrapCommand(policy, 'node', ['srv.ts', 'data']);
    expect(wrapped.command).toBe('prlimit');
    expect(wrapped.args).toEqual([
      '--cpu=300:305', `--data=${1.5 * 1024 ** 3}`, '--nproc=1024', `--fsize=${256 * 1024 ** 2}`, '--nofile=4096', '--',
      'setpriv', '--reuid=61234', '--regid=61234', '--clear-groups', '--',
      'node', 'srv.ts', 'data',
    ]);
  });

  it('leaves out what the policy lacks', () => {
    expect(wrapCommand({ warnings: [] }, 'node', ['a'])).toEqual({ command: 'node', args: ['a'] });
    const noUid = wrapCommand({ limits: DEFAULT_LIMITS, warnings: [] }, 'node', ['a']);
    expect(noUid.args.some((arg) => arg.startsWith('--nproc'))).toBe(false); // counts the grader's own processes otherwise
    expect(noUid.args.slice(-3)).toEqual(['--', 'node', 'a']);
    expect(wrapCommand({ uid: 7, warnings: [] }, 'node', []).command).toBe('setpriv');
  });

  it('sets the inner environment after the wrappers, and clears libfaketime leftovers of the pid first', () => {
    const policy: SandboxPolicy = { uid: 61234, warnings: [] };
    const skew = { LD_PRELOAD: '/usr/lib/faketime/libfaketimeMT.so.1', FAKETIME: '+60' };
    const wrapped = wrapCommand(policy, 'node', ['srv.ts'], skew);
    expect(wrapped.command).toBe('/bin/sh');
    expect(wrapped.args[1]).toContain('/dev/shm/sem.faketime_sem_$$');
    expect(wrapped.args.slice(3)).toEqual([
      'setpriv', '--reuid=61234', '--regid=61234', '--clear-groups', '--',
      'env', 'LD_PRELOAD=/usr/lib/faketime/libfaketimeMT.so.1', 'FAKETIME=+60', 'node', 'srv.ts',
    ]);
  });

  it('takes the uid from RSMLAB_SANDBOX_UID, else from the pid', () => {
    expect(sandboxUid({ RSMLAB_SANDBOX_UID: '62000' }, 5)).toBe(62000);
    expect(sandboxUid({}, 4005)).toBe(61005);
  });

  it('gives each slot of a batch its own uid, apart from the grader\'s and in the sandbox range', () => {
    for (const pid of [1, 4005, 123_456, 4_194_303]) {
      const uids = Array.from({ length: MAX_BATCH_SLOTS }, (_, slot) => batchSandboxUid(slot, pid));
      expect(new Set(uids).size).toBe(MAX_BATCH_SLOTS);
      for (const uid of uids) expect(uid >= 61000 && uid < 65000).toBe(true);
    }
  });

  it('starts a sandboxed program from a bare environment with a home of its own', () => {
    const env = sandboxedEnvironment('/tmp/work/tmp', { PATH: '/usr/bin', LANG: 'C.UTF-8', HOME: '/root', RSMLAB_AUTOGRADER_ROOT: '/autograder', AWS_SECRET_ACCESS_KEY: 'x' });
    expect(env).toEqual({ PATH: '/usr/bin', LANG: 'C.UTF-8', HOME: '/tmp/work/tmp', TMPDIR: '/tmp/work/tmp' });
  });

  it('reads RSMLAB_SANDBOX', () => {
    expect(parseSandboxEnv(undefined)).toBe('off');
    expect(parseSandboxEnv('auto')).toBe('auto');
    expect(() => parseSandboxEnv('yes')).toThrow(/auto, on or off/);
    expect(resolveSandbox(undefined, {})).toEqual({ warnings: [] });
  });

  it.skipIf(networkIsolated())('refuses RSMLAB_SANDBOX=on when a part is missing (here: the network namespace)', () => {
    expect(() => resolveSandbox(undefined, { RSMLAB_SANDBOX: 'on' })).toThrow(/no network isolation/);
  });
});
