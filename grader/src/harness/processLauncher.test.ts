import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, type ManagedProcess } from './processLauncher.ts';
import { killAllGroups, liveGroups } from './processRegistry.ts';
import { waitForPort } from './waitForPort.ts';
import { CheckFailure } from '../check/checkFailure.ts';

const logDir = mkdtempSync(join(tmpdir(), 'rsmlab-launcher-test-'));
const started: ManagedProcess[] = [];

function node(name: string, script: string): ManagedProcess {
  const proc = launch({ name, command: process.execPath, args: ['-e', script], cwd: logDir, logFile: join(logDir, `${name}.log`), outputCapBytes: 4096 });
  started.push(proc);
  return proc;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  await Promise.all(started.splice(0).map((proc) => proc.stop(200)));
});

describe('process launcher', () => {
  it('reads the port from the Listening line', async () => {
    const proc = node('server', "require('net').createServer().listen(0, function () { console.log('Listening on port ' + this.address().port + ' ...'); })");
    const port = await waitForPort(proc, 10_000);
    expect(port).toBeGreaterThan(0);
  });

  it('fails clearly when a process exits before listening, showing its output', async () => {
    const proc = node('crasher', "console.error('boom: cannot start'); process.exit(3)");
    const error = await waitForPort(proc, 10_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckFailure);
    expect((error as Error).message).toContain('crasher exited with code 3');
    expect((error as Error).message).toContain('boom: cannot start');
  });

  it('fails with the bound when a process never listens', async () => {
    const proc = node('silent', 'setInterval(() => {}, 1000)');
    const error = await waitForPort(proc, 300).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('did not print');
  });

  it('kills the whole process group, children included', async () => {
    const proc = node('parent', "const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log('child ' + c.pid); setInterval(() => {}, 1000)");
    const childPid = await new Promise<number>((resolve) => proc.onLine((line) => {
      const match = /^child (\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    }));
    expect(isAlive(childPid)).toBe(true);
    proc.kill();
    await proc.exited;
    await expect.poll(() => isAlive(childPid), { timeout: 5000 }).toBe(false);
  });

  it('stops with SIGTERM, then SIGKILL when the process ignores it', async () => {
    const proc = node('stubborn', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)");
    await new Promise<void>((resolve) => proc.onLine(() => resolve()));
    const status = await proc.stop(200);
    expect(status.signal).toBe('SIGKILL');
  });

  it('pauses and resumes a process', async () => {
    const proc = node('ticker', 'let n = 0; setInterval(() => console.log(n++), 20)');
    let lines = 0; // every line, not the capped tail
    proc.onLine(() => (lines += 1));
    await expect.poll(() => lines, { timeout: 10_000 }).toBeGreaterThan(0);
    proc.pause();
    // Lines already in the pipe still arrive; once two reads 300 ms apart agree, the process is still.
    let before = -1;
    await expect.poll(async () => {
      const seen = lines;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const still = seen === lines && seen === before;
      before = seen;
      return still;
    }, { timeout: 10_000 }).toBe(true);
    proc.resume();
    await expect.poll(() => lines, { timeout: 5000 }).toBeGreaterThan(before);
  });

  it('caps the output it keeps and still drains a process that floods', async () => {
    const proc = node('flood', "const line = 'x'.repeat(100) + '\\n'; let n = 0; function go() { while (n < 20000 && process.stdout.write(line)) n++; if (n < 20000) process.stdout.once('drain', go); else process.exit(0); } go()");
    const status = await proc.exited;
    expect(status.code).toBe(0);
    expect(proc.outputWasTruncated()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readFileSync(join(logDir, 'flood.log'), 'utf8').length).toBeLessThan(8192);
  });

  it('reports a command that does not exist as a failed start, not a crash', async () => {
    const proc = launch({ name: 'ghost', command: 'no-such-program-rsmlab', args: [], cwd: logDir, logFile: join(logDir, 'ghost.log') });
    const status = await proc.exited;
    expect(status.code).toBe(127);
    expect(proc.outputTail().join('\n')).toContain('could not start');
  });

  it('tells its listeners of each control verb and of the exit, in order', async () => {
    const proc = node('watched', "console.log('ready'); setInterval(() => {}, 1000)");
    const seen: string[] = [];
    proc.onEvent((event) => seen.push(event.kind === 'exit' ? `exit:${event.status.signal}` : event.kind));
    await new Promise<void>((resolve) => proc.onLine(() => resolve()));
    proc.pause();
    proc.resume();
    proc.kill();
    await proc.exited;
    await proc.stop(100); // already exited: no second 'stop'
    expect(seen).toEqual(['pause', 'resume', 'kill', 'exit:SIGKILL']);
  });

  it('the registry kills every group still alive', async () => {
    const proc = node('orphan', 'setInterval(() => {}, 1000)');
    const pid = proc.pid as number;
    expect(liveGroups.has(pid)).toBe(true);
    killAllGroups();
    await proc.exited;
    expect(isAlive(pid)).toBe(false);
  });
});
