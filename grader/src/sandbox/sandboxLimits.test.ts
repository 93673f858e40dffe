// The limits and the uid of a sandbox policy, on real processes (needs root, prlimit and setpriv).
import { describe, it, expect, afterEach, afterAll } from 'vitest';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, type ManagedProcess } from '../harness/processLauncher.ts';
import { DEFAULT_LIMITS, detectSandboxPolicy, wrapCommand, type SandboxLimits, type SandboxPolicy } from './sandboxPolicy.ts';
import { grantFolder, grantPassage, killSandboxUid, processesOfUid } from './sandboxAccess.ts';

const UID = 61990; // this file's own uid, so that counting its processes sees nothing else
const detected = detectSandboxPolicy({ uid: UID });
const usable = detected.uid !== undefined && detected.limits !== undefined;
const root = mkdtempSync(join(tmpdir(), 'rsmlab-sandbox-test-'));
const work = join(root, 'work');
mkdirSync(work);
const started: ManagedProcess[] = [];

function policyWith(limits: Partial<SandboxLimits>): SandboxPolicy {
  return { uid: UID, limits: { ...DEFAULT_LIMITS, ...limits }, warnings: [] };
}

function sandboxed(name: string, policy: SandboxPolicy, command: string, args: string[]): ManagedProcess {
  grantFolder(policy, work);
  grantPassage(policy, root);
  const proc = launch({
    name, command, args, cwd: work,
    logFile: join(root, 'logs', `${name}.log`),
    wrap: (cmd, cmdArgs) => wrapCommand(policy, cmd, cmdArgs),
  });
  started.push(proc);
  return proc;
}

const output = (proc: ManagedProcess): string => proc.outputTail().join('\n');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  await Promise.all(started.splice(0).map((proc) => proc.stop(200)));
  killSandboxUid(detected);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!usable)('sandboxed processes', () => {
  it('runs as the sandbox uid', async () => {
    const proc = sandboxed('whoami', policyWith({}), process.execPath, ['-e', 'console.log(process.getuid(), process.getgid(), process.getgroups().join(","))']);
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(output(proc)).toBe(`${UID} ${UID} ${UID}`); // no supplementary group of the grader's
  });

  it('bounds a fork loop, and killing the group ends it', async () => {
    const limit = 40;
    const proc = sandboxed('forker', policyWith({ processes: limit }), '/bin/sh', ['-c', 'while :; do sleep 1000 & done']);
    let most = 0;
    for (let sample = 0; sample < 15; sample++) {
      await sleep(100);
      most = Math.max(most, processesOfUid(UID).length);
    }
    expect(most).toBeGreaterThan(limit / 2); // it did fork
    expect(most).toBeLessThanOrEqual(limit);
    console.log(`fork loop: at most ${most} processes of uid ${UID} (limit ${limit})`);
    proc.kill();
    await proc.exited;
    for (let wait = 0; wait < 50 && processesOfUid(UID).length > 0; wait++) await sleep(50);
    expect(processesOfUid(UID)).toEqual([]);
  });

  it('kills processes that left the group', async () => {
    const proc = sandboxed('escaper', policyWith({}), '/bin/sh', ['-c', 'setsid sleep 1000 & setsid sleep 1000 & sleep 1000']);
    for (let wait = 0; wait < 50 && processesOfUid(UID).length < 3; wait++) await sleep(50);
    proc.kill();
    await proc.exited;
    await sleep(100);
    expect(processesOfUid(UID).length).toBeGreaterThan(0); // the group kill missed them
    killSandboxUid(detected);
    expect(processesOfUid(UID)).toEqual([]);
  });

  it('makes a memory hog fail to allocate', async () => {
    const hog = 'const kept = []; for (;;) kept.push(Buffer.alloc(64 * 1024 * 1024, 1));';
    const proc = sandboxed('hog', policyWith({ dataBytes: 512 * 1024 ** 2 }), process.execPath, ['-e', hog]);
    const status = await proc.exited;
    expect(status.code ?? status.signal).not.toBe(0);
    expect(output(proc)).toMatch(/allocation failed|out of memory|Cannot allocate/i);
    console.log(`memory hog: ${JSON.stringify(status)}; ${proc.outputTail().find((line) => /alloc|memory/i.test(line))}`);
  });

  it('stops a huge file write at the file size limit', async () => {
    const limit = 1024 * 1024;
    const proc = sandboxed('writer', policyWith({ fileBytes: limit }), '/bin/sh', ['-c', 'head -c 104857600 /dev/zero > big.bin']);
    const status = await proc.exited;
    expect(status.code === 0 && status.signal === null).toBe(false);
    expect(statSync(join(work, 'big.bin')).size).toBeLessThanOrEqual(limit);
    console.log(`file writer: ${JSON.stringify(status)}; wrote ${statSync(join(work, 'big.bin')).size} bytes`);
  });

  it('ends a busy loop at the CPU limit', async () => {
    const proc = sandboxed('spinner', policyWith({ cpuSeconds: 1 }), process.execPath, ['-e', 'for (;;) {}']);
    const status = await proc.exited;
    expect(status.signal).toBe('SIGXCPU');
    console.log(`busy loop: ${JSON.stringify(status)}`);
  });

  it('cannot change a root-owned file outside its folder, nor the grader\'s files inside it', async () => {
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'the grader\'s\n');
    writeFileSync(join(work, 'given.ts'), 'given\n');
    const attack = `echo forged > ${victim}; rm -f ${victim}; echo forged > given.ts; rm -f given.ts; mv given.ts x; echo mine > own.txt && echo wrote-own`;
    const proc = sandboxed('vandal', policyWith({}), '/bin/sh', ['-c', attack]);
    await proc.exited;
    expect(readFileSync(victim, 'utf8')).toBe('the grader\'s\n');
    expect(readFileSync(join(work, 'given.ts'), 'utf8')).toBe('given\n');
    expect(output(proc)).toContain('wrote-own'); // its own folder stays writable
  });
});

describe.skipIf(!usable)('granting a folder', () => {
  it('leaves what a hard link or a symlink in it points to alone', () => {
    const secret = join(root, 'secret.txt');
    writeFileSync(secret, 'secret\n', { mode: 0o600 });
    const tree = join(root, 'linked');
    mkdirSync(tree);
    linkSync(secret, join(tree, 'hard'));
    symlinkSync(secret, join(tree, 'soft'));
    grantFolder(policyWith({}), tree);
    const after = statSync(secret);
    expect([after.uid, after.gid, after.mode & 0o777]).toEqual([0, 0, 0o600]);
  });
});

// Where the sandbox is unavailable the tests above are reported as skipped, never as passed.
if (!usable) console.warn(`sandbox tests skipped: ${detected.warnings.join('; ')}`);
