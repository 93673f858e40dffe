// Runs the rsmlab CLI as a real subprocess, marked so that the processes it starts can be found.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { KIT_ROOT } from '../src/kitPaths.ts';
import { RUN_MARKER } from '../src/check/checkContext.ts';

export interface Finished { code: number | null; stdout: string; stderr: string }

/** Starts rsmlab; `onStderr` sees stderr as it grows (to interrupt at the right moment). */
export function rsmlab(args: string[], marker: string, onStderr?: (stderr: string, pid: number) => void): Promise<Finished> {
  const child = spawn(process.execPath, [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), ...args], {
    cwd: KIT_ROOT,
    env: { ...process.env, [RUN_MARKER]: marker, FORCE_COLOR: '0' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr, child.pid as number);
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

export const noStackTrace = (text: string): void => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
