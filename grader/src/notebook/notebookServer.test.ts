/**
 * `rsmlab notebook` for real: Jupyter Notebook serves the project's tslab kernel as the default,
 * starts it on request, and Ctrl-C stops the server and its kernels.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KIT_ROOT } from '../kitPaths.ts';
import { kernelCommand, KERNEL_NAME } from './jupyterEnv.ts';

const RSMLAB = join(KIT_ROOT, 'grader/bin/rsmlab.mjs');

let rsmlab: ChildProcess | undefined;
afterEach(() => {
  if (rsmlab?.pid !== undefined && rsmlab.exitCode === null) process.kill(-rsmlab.pid, 'SIGKILL');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** Resolves with the first match of `pattern` in what the child writes on stderr. */
function waitForStderr(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; stderr:\n${seen}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
}

/** Processes whose command line contains `text`. */
function processesRunning(text: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}

describe('rsmlab notebook', () => {
  it('serves the project\'s tslab kernel as the default, and Ctrl-C stops the server and its kernels', async () => {
    const port = await freePort();
    rsmlab = spawn(process.execPath, [RSMLAB, 'notebook', '--no-browser', '--port', String(port)], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    const url = new URL(await waitForStderr(rsmlab, /rsmlab: Jupyter Notebook is at (\S+)/, 60_000));
    const token = url.searchParams.get('token') ?? '';
    const api = (path: string, init?: RequestInit): Promise<Response> => fetch(`${url.origin}${path}?token=${token}`, init);

    const specs = await (await api('/api/kernelspecs')).json() as { default: string; kernelspecs: Record<string, { spec: { argv: string[] } }> };
    expect(specs.default).toBe(KERNEL_NAME);
    expect(specs.kernelspecs[KERNEL_NAME]?.spec.argv).toEqual(kernelCommand());

    const kernel = await (await api('/api/kernels', { method: 'POST', body: JSON.stringify({ name: KERNEL_NAME }) })).json() as { id: string };
    expect(processesRunning(`kernel-${kernel.id}.json`)).toHaveLength(1);

    const exited = new Promise<number | null>((done) => rsmlab?.once('exit', (code) => done(code)));
    rsmlab.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(processesRunning(`kernel-${kernel.id}.json`)).toEqual([]);
    expect(processesRunning(`--port=${port}`)).toEqual([]);
  });

  it('says so when a lab has no notebook, with the usage exit code', () => {
    const result = spawnSync(process.execPath, [RSMLAB, 'notebook', 'lab9'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('there is no lab "lab9"');
  });
});
