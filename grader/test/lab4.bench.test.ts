// `rsmlab bench lab4`: operations per second and traffic between nodes on 1 to 4 nodes of the
// reference solution, as a real subprocess; bench.json; the starter refused with what went wrong;
// no process left behind.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { processesMarked } from './fixtureSubmissions.ts';
import { noStackTrace, rsmlab, type Finished } from './rsmlabProcess.ts';
import type { Lab4BenchResult } from '../src/labs/lab4-kv/bench/lab4Bench.ts';

describe('rsmlab bench lab4 on the reference solution', () => {
  const out = mkdtempSync(join(tmpdir(), 'rsmlab-bench4-test-'));
  const marker = randomUUID();
  let run: Finished;

  beforeAll(async () => {
    run = await rsmlab(['bench', 'lab4', 'solutions/lab4-kv', '--seconds', '1', '--out', out], marker);
  }, 150_000);

  it('exits 0 and prints one row per cluster size, 1 to 4 nodes', () => {
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /^\s+[1-4]\s+\d+\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+\d+$/.test(line));
    expect(rows.map((row) => row.trim().split(/\s+/)[0])).toEqual(['1', '2', '3', '4']);
    expect(run.stdout).toMatch(/four nodes give [\d.]+× the operations per second of one/);
    noStackTrace(run.stderr);
  });

  it('writes bench.json: answers on every size, no traffic between nodes on one node and some on more', () => {
    const bench = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as Lab4BenchResult;
    expect(bench.lab).toBe('lab4-kv');
    expect(bench.rows.map((row) => row.nodes)).toEqual([1, 2, 3, 4]);
    for (const row of bench.rows) {
      expect(row.answered).toBeGreaterThan(0);
      expect(row.opsPerS).toBeCloseTo(row.answered / 1);
      expect(row.medianMs).toBeGreaterThan(0);
      if (row.nodes === 1) expect([row.messagesPerOp, row.bytesPerOp]).toEqual([0, 0]);
      else expect(row.messagesPerOp).toBeGreaterThan(0); // a set must reach a majority: at least one other node
    }
  });

  it('leaves no process behind', () => {
    expect(processesMarked(marker)).toEqual([]);
  });
});

describe('rsmlab bench lab4 refusals', () => {
  it('refuses the starter: exit 2, saying why the one-node cluster did not run, without a stack trace', async () => {
    const marker = randomUUID();
    const { code, stderr } = await rsmlab(['bench', 'lab4', '--seconds', '1', '--out', mkdtempSync(join(tmpdir(), 'rsmlab-bench4-starter-'))], marker);
    expect(code).toBe(2);
    expect(stderr).toMatch(/the 1-node cluster did not run: .*\n?.*not implemented/);
    noStackTrace(stderr);
    expect(processesMarked(marker)).toEqual([]);
  }, 120_000);
});
