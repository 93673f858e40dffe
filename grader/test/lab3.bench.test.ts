// `rsmlab bench lab3`: failover time and lock throughput on the reference solution, as a real
// subprocess; bench.json; the starter refused with what went wrong; no process left behind.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { processesMarked } from './fixtureSubmissions.ts';
import { noStackTrace, rsmlab, type Finished } from './rsmlabProcess.ts';
import type { Lab3BenchResult } from '../src/labs/lab3-rsm/bench/lab3Bench.ts';

const HEARTBEAT_DOWN_MS = 1500; // the given heartbeat's DOWN_AFTER_MS
const PING_INTERVAL_MS = 100;

describe('rsmlab bench lab3 on the reference solution', () => {
  const out = mkdtempSync(join(tmpdir(), 'rsmlab-bench3-test-'));
  const marker = randomUUID();
  let run: Finished;

  beforeAll(async () => {
    run = await rsmlab(['bench', 'lab3', 'solutions/lab3-rsm', '--runs', '2', '--seconds', '1', '--out', out], marker);
  }, 150_000);

  it('exits 0 and prints the failover median and max and a throughput row for 1 and 3 replicas', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/2 runs: median \d+ ms, max \d+ ms/);
    const rows = run.stdout.split('\n').filter((line) => /^\s+(1 \(unreplicated\)|3)\s+12\s+[\d.]+\s+\d+\s+\d+$/.test(line));
    expect(rows).toHaveLength(2);
    expect(run.stdout).toMatch(/three replicas give [\d.]+× the operations per second of one/);
    noStackTrace(run.stderr);
  });

  it('writes bench.json with failovers no faster than the heartbeat allows and positive throughputs', () => {
    const bench = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as Lab3BenchResult;
    expect(bench.lab).toBe('lab3-rsm');
    expect(bench.failover.runs).toHaveLength(2);
    for (const failover of bench.failover.runs) {
      // Replica 1 cannot be master before its heartbeat counts replica 0 down: a smaller figure is a measuring bug.
      expect(failover.grantMs).toBeGreaterThanOrEqual(HEARTBEAT_DOWN_MS - PING_INTERVAL_MS);
      expect(failover.asks).toBeGreaterThan(1);
    }
    const grants = bench.failover.runs.map((failover) => failover.grantMs);
    expect(bench.failover.maxMs).toBe(Math.max(...grants));
    expect(bench.failover.medianMs).toBeCloseTo((grants[0]! + grants[1]!) / 2);
    expect(bench.throughput.rows.map((row) => row.replicas)).toEqual([1, 3]);
    for (const row of bench.throughput.rows) {
      expect(row.grants).toBeGreaterThan(0);
      expect(row.opsPerS).toBeCloseTo((2 * row.grants) / row.seconds);
    }
  });

  it('leaves no process behind', () => {
    expect(processesMarked(marker)).toEqual([]);
  });
});

describe('rsmlab bench lab3 refusals', () => {
  it('refuses --runs 0 with the range, exit 2', async () => {
    const { code, stderr } = await rsmlab(['bench', 'lab3', '--runs', '0'], randomUUID());
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("error: option '--runs <n>' argument '0' is invalid. --runs must be a whole number from 1 to 100.");
  });

  it('refuses the starter: exit 2, saying the testers stopped before the kill, with what they printed', async () => {
    const marker = randomUUID();
    const { code, stderr } = await rsmlab(['bench', 'lab3', '--runs', '1', '--out', mkdtempSync(join(tmpdir(), 'rsmlab-bench3-starter-'))], marker);
    expect(code).toBe(2);
    expect(stderr).toMatch(/failover run 1: before the kill, tester \d \(failover1\) stopped: ERROR/);
    expect(stderr).toMatch(/not implemented/);
    noStackTrace(stderr);
    expect(processesMarked(marker)).toEqual([]);
  }, 90_000);
});
