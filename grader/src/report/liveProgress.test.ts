import { describe, it, expect } from 'vitest';
import type { CheckDef, CheckResult } from '../check/types.ts';
import { liveProgress } from './liveProgress.ts';

const check = { id: 'lab1.A.one-server', title: 'One server' } as CheckDef;
const result = { id: 'lab1.A.one-server', status: 'passed', points: 10, maxPoints: 10, durationMs: 1234 } as CheckResult;

function sink(isTTY: boolean): { isTTY: boolean; text: string; write(chunk: string): void } {
  return { isTTY, text: '', write(chunk: string) { this.text += chunk; } };
}

describe('live progress', () => {
  it('without a terminal, prints one plain line when a check starts and one when it ends', () => {
    const out = sink(false);
    const progress = liveProgress(out, false);
    progress.started(check);
    progress.done(result);
    expect(out.text).toBe('  … lab1.A.one-server  One server\n  ✓ lab1.A.one-server  10/10  1.2 s\n');
    expect(out.text).not.toContain('\r');
  });

  it('on a terminal, redraws the running check with a spinner and the elapsed time, then its verdict', async () => {
    const out = sink(true);
    let clock = 0;
    const progress = liveProgress(out, false, () => clock);
    progress.started(check);
    clock = 2500;
    await new Promise((resolve) => setTimeout(resolve, 250));
    progress.done(result);
    const frames = out.text.split('\r\u001b[2K').filter(Boolean);
    expect(frames[0]).toMatch(/^ {2}\S lab1\.A\.one-server {2}One server {2}0\.0 s$/);
    expect(frames.some((frame) => frame.includes('2.5 s'))).toBe(true);
    expect(frames.at(-1)).toBe('  ✓ lab1.A.one-server  10/10  1.2 s\n');
  });

  it('clears the running line when stopped', () => {
    const out = sink(true);
    const progress = liveProgress(out, false);
    progress.started(check);
    progress.stop();
    expect(out.text.endsWith('\r\u001b[2K')).toBe(true);
  });
});
