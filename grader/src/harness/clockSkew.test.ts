import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { clockSkewEnv } from './clockSkew.ts';

/** The wall clock a child process sees, in ms since the epoch. */
function childNow(env: Record<string, string>, program: string[]): number {
  return Number(execFileSync(program[0] as string, program.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8' }).trim());
}

describe('clock skew', () => {
  it('moves a Node process\'s wall clock by the requested amount', () => {
    const skewed = childNow(clockSkewEnv(3 * 3600), [process.execPath, '-e', 'console.log(Date.now())']);
    expect(Math.abs(skewed - Date.now() - 3 * 3600 * 1000)).toBeLessThan(5000);
  });

  it('moves it backwards too, and works for a Python process', () => {
    const skewed = childNow(clockSkewEnv(-5 * 3600), ['python3', '-c', 'import time; print(int(time.time() * 1000))']);
    expect(Math.abs(skewed - Date.now() + 5 * 3600 * 1000)).toBeLessThan(5000);
  });

  it('leaves timers at real speed', () => {
    const started = Date.now();
    execFileSync(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { env: { ...process.env, ...clockSkewEnv(7200) } });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('sets nothing for a zero skew', () => {
    expect(clockSkewEnv(0)).toEqual({});
  });
});
