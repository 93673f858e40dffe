// `rsmlab bench lab2`: the seed's write and read measurements on the reference solution, as a real
// subprocess; its files; refusals; Ctrl-C; and no process left behind.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { processesMarked } from './fixtureSubmissions.ts';
import { allElements, parseXml } from './wellFormedXml.ts';
import { noStackTrace, rsmlab, type Finished } from './rsmlabProcess.ts';

const csvRows = (file: string): Record<string, string>[] => {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => line.split(','));
  return lines.map((cells) => {
    expect(cells.length).toBe(header?.length);
    return Object.fromEntries((header ?? []).map((name, index) => [name, cells[index] as string]));
  });
};

const barsIn = (file: string): number =>
  allElements(parseXml(readFileSync(file, 'utf8'))).filter((element) => element.name === 'rect' && element.attributes.class === 'bar').length;

describe('rsmlab bench lab2 on the reference solution', () => {
  const out = mkdtempSync(join(tmpdir(), 'rsmlab-bench-test-'));
  const marker = randomUUID();
  let run: Finished;

  beforeAll(async () => {
    run = await rsmlab(['bench', 'lab2', 'solutions/lab2-factory', '--seconds', '1', '--out', out], marker);
  }, 90_000);

  it('exits 0 and prints a table row for 1, 2 and 3 servers with positive figures, and the target line', () => {
    expect(run.code, run.stderr).toBe(0);
    const writeSection = run.stdout.split(/^Write:/m)[1]?.split(/^Read:/m)[0] ?? '';
    const rows = writeSection.split('\n').filter((line) => /^\s+\d+\s+\d+\s+[\d.]+\s+×/.test(line)).map((line) => line.trim().split(/\s+/));
    expect(rows.map((row) => `${row[0]}x${row[1]}`)).toEqual(['1x8', '1x1', '2x8', '2x1', '3x8', '3x1']);
    for (const row of rows) {
      expect(Number(row[2])).toBeGreaterThan(0); // mean µs
      expect(Number(row[5])).toBeGreaterThan(0); // orders/s
    }
    expect(run.stdout).toMatch(/^target: 3-server write latency \/ \(3 × loopback RTT\) = \d+\.\d\d \(target ≤ 2\)$/m);
    expect(processesMarked(marker)).toEqual([]);
  });

  it('writes CSVs with a row per configuration and positive figures', () => {
    const write = csvRows(join(out, 'write.csv'));
    expect(write.map((row) => `${row.servers}x${row.customers}`)).toEqual(['1x8', '1x1', '2x8', '2x1', '3x8', '3x1']);
    const read = csvRows(join(out, 'read.csv'));
    expect(read.map((row) => `${row.servers}x${row.groups}`)).toEqual(['1x1', '1x2', '2x1', '2x2']);
    for (const row of [...write, ...read]) {
      for (const column of ['mean_latency_us', 'p99_latency_us', 'throughput_per_s', 'latency_vs_floor']) expect(Number(row[column]), column).toBeGreaterThan(0);
    }
    expect(csvRows(join(out, 'floor.csv'))).toHaveLength(5);
  });

  it('draws well-formed SVG charts with one bar per configuration', () => {
    expect(barsIn(join(out, 'write-latency.svg'))).toBe(6);
    expect(barsIn(join(out, 'write-throughput.svg'))).toBe(6);
    expect(barsIn(join(out, 'read-throughput.svg'))).toBe(4);
  });

  it('writes bench.json with every figure', () => {
    const bench = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
    expect(bench).toMatchObject({ lab: 'lab2-factory', seconds: 1, wiring: 'direct', warnings: [] });
    expect(Object.keys(bench).sort()).toEqual(['floor', 'lab', 'machine', 'read', 'seconds', 'source', 'startedAt', 'target', 'warmUpMs', 'warnings', 'wiring', 'write']);
    expect(bench.write).toHaveLength(6);
    expect(bench.read).toHaveLength(4);
    for (const row of [...bench.write, ...bench.read, ...bench.floor]) {
      expect(row.latency.count).toBeGreaterThan(0);
      expect(row.latency.meanUs).toBeGreaterThan(0);
      expect(row.latency.p99Us).toBeGreaterThanOrEqual(row.latency.p50Us);
      expect(row.throughputPerS).toBeGreaterThan(0);
    }
    for (const row of [...bench.write, ...bench.read]) expect(row.vsFloor.latency).toBeGreaterThan(0);
    for (const key of ['ratio', 'goal', 'met', 'writeLatencyUs', 'customerRttUs', 'replicationRttUs', 'roundTripsUs']) expect(bench.target).toHaveProperty(key);
    expect(bench.target.roundTripsUs).toBeCloseTo(bench.target.customerRttUs + 2 * bench.target.replicationRttUs);
  });
});

describe('rsmlab bench refusals and Ctrl-C', () => {
  it.each([
    [['bench', 'lab2', '/nonexistent'], 'no such file or folder: /nonexistent'],
    [['bench', 'lab1'], 'no benchmark for lab 1'],
  ])('rsmlab %j exits 2 with one clear line', async (args, message) => {
    const { code, stderr } = await rsmlab(args, randomUUID());
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([`rsmlab: ${stderr.trim().slice('rsmlab: '.length)}`]);
    expect(stderr).toContain(message);
    noStackTrace(stderr);
  });

  it('refuses servers that cannot take an order (the starter), saying what the server said', async () => {
    const marker = randomUUID();
    const { code, stderr } = await rsmlab(['bench', 'lab2', '--out', mkdtempSync(join(tmpdir(), 'rsmlab-bench-starter-'))], marker);
    expect(code).toBe(2);
    expect(stderr).toMatch(/an order and a read through server 0 failed/);
    expect(stderr).toMatch(/not implemented/);
    noStackTrace(stderr);
    expect(processesMarked(marker)).toEqual([]);
  }, 60_000);

  it('stops every server on Ctrl-C during a write and exits 130', async () => {
    const marker = randomUUID();
    let interrupted = false;
    let running = 0; // processes of the run alive just before Ctrl-C
    const { code, stderr } = await rsmlab(['bench', 'lab2', 'solutions/lab2-factory', '--seconds', '2', '--out', mkdtempSync(join(tmpdir(), 'rsmlab-bench-int-'))], marker, (text, pid) => {
      if (interrupted || !/write, 1 server, 8 customers/.test(text)) return;
      interrupted = true;
      // The server is up within a second of the line; let the write run a moment, then press Ctrl-C.
      setTimeout(() => {
        running = processesMarked(marker).length;
        process.kill(pid, 'SIGINT');
      }, 1500);
    });
    expect(interrupted, stderr).toBe(true);
    expect(running).toBeGreaterThanOrEqual(1);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('rsmlab: interrupted; every process the benchmark started was stopped.');
    expect(processesMarked(marker)).toEqual([]);
  }, 120_000);
});
