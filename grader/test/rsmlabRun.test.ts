// `rsmlab run`: the lab's programs in one terminal, labelled output, Ctrl-C stops everything.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { KIT_ROOT, solutionDir } from '../src/kitPaths.ts';
import { RUN_MARKER } from '../src/check/checkContext.ts';
import { processesMarked } from './fixtureSubmissions.ts';

describe('rsmlab run lab1', () => {
  it('starts servers, coordinator and clients with labelled output, and Ctrl-C stops them all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsmlab-run-test-'));
    cpSync(solutionDir('lab1-bank'), dir, { recursive: true, dereference: true });
    const marker = randomUUID();
    const run = spawn(process.execPath, [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), 'run', 'lab1', '--servers', '2', '--clients', '2', '--coord', '--dir', dir], {
      cwd: KIT_ROOT,
      env: { ...process.env, [RUN_MARKER]: marker },
    });
    let output = '';
    run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    run.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 30_000 }).toMatch(/Press Ctrl-C/);
    expect(output).toMatch(/^a\s+\| Listening on port \d+/m);
    expect(output).toMatch(/^b\s+\| Listening on port \d+/m);
    expect(output).toMatch(/^coord\s+\| Listening on port \d+/m);
    expect(processesMarked(marker).length).toBeGreaterThanOrEqual(5);
    // Each client says so once it is at work (and ready for Ctrl-C).
    await expect.poll(() => output, { timeout: 30_000 }).toMatch(/^clnt1\s+\| clnt: sending transfers to/m);
    await expect.poll(() => output, { timeout: 30_000 }).toMatch(/^clnt2\s+\| clnt: sending transfers to/m);
    run.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/^clnt1\s+\| clnt: \d+ requests, 0 mismatches/m);
    expect(processesMarked(marker)).toEqual([]);
  }, 60_000);
});
