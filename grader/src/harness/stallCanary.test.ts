import { describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import { STALL_MS, StallCanary } from './stallCanary.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('StallCanary', () => {
  it('reports a gap as long as the time its process was not run (here: stopped with SIGSTOP)', async () => {
    const stalls: number[] = [];
    const canary = StallCanary.start((ms) => stalls.push(ms));
    const pid = canary.pid as number;
    try {
      await expect.poll(() => canary.longestGapMs(), { timeout: 5000 }).toBeGreaterThan(0); // it ticks
      process.kill(pid, 'SIGSTOP');
      await delay(1300);
      process.kill(pid, 'SIGCONT');
      await expect.poll(() => stalls.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(stalls[0]).toBeGreaterThanOrEqual(Math.min(STALL_MS, 1200));
      expect(stalls[0]).toBeLessThan(1300 + 2000);
    } finally {
      await canary.stop();
    }
    expect(alive(pid)).toBe(false);
  });
});
