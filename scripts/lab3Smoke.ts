// Smoke test of the lab3-rsm solution, run by hand (not part of the test suite):
//   npx tsx scripts/lab3Smoke.ts [none|replica|master|join|all]   (default: master)
// Starts 3 replicas of solutions/lab3-rsm on free ports (for `join`: 2, then the third with --join),
// runs 3 lockTester processes, SIGKILLs a replica while they run (a backup, the master, or, for
// `join`, the master after the join), then checks: every tester printed DONE; no two ENTER..LEAVE
// intervals on one lock overlap, over all testers; the surviving replicas' `dump`s are equal.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RpcClient } from '../starter/lab3-rsm/rpc.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAB = join(ROOT, 'solutions/lab3-rsm');
const SCENARIOS = ['none', 'replica', 'master', 'join'] as const;
type Scenario = (typeof SCENARIOS)[number];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Proc {
  child: ChildProcess;
  out: string[]; // stdout lines so far
  name: string;
}

const started: Proc[] = [];

function run(name: string, file: string, args: string[]): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: LAB, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: Proc = { child, out: [], name };
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    proc.out.push(...lines);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(chunk.replace(/^(?=.)/gm, `  [${name}] `)));
  started.push(proc);
  return proc;
}

async function waitFor(what: string, condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server;
  }));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

async function startReplica(config: string, id: number, join = false): Promise<Proc> {
  const proc = run(`replica ${id}`, 'lockServer.ts', [config, String(id), ...(join ? ['--join'] : [])]);
  await waitFor(`replica ${id} to listen`, () => proc.out.some((line) => line.startsWith('Listening on port')), 15_000);
  return proc;
}

/** Overlapping ENTER..LEAVE intervals on one lock, as messages. */
function overlaps(testers: Proc[]): { intervals: number; problems: string[] } {
  const byLock = new Map<string, { who: string; enter: number; leave: number }[]>();
  for (const tester of testers) {
    const open = new Map<string, number>();
    for (const line of tester.out) {
      const [word, lock, locker, t] = line.split(' ');
      if ((word !== 'ENTER' && word !== 'LEAVE') || lock === undefined || t === undefined) continue;
      const key = `${lock} ${locker}`;
      if (word === 'ENTER') open.set(key, Number(t));
      else {
        const list = byLock.get(lock) ?? [];
        list.push({ who: `${tester.name} locker ${locker}`, enter: open.get(key) ?? NaN, leave: Number(t) });
        byLock.set(lock, list);
      }
    }
  }
  const problems: string[] = [];
  let intervals = 0;
  for (const [lock, list] of byLock) {
    list.sort((a, b) => a.enter - b.enter);
    intervals += list.length;
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      if (!(b.enter > a.leave)) problems.push(`${lock}: ${a.who} [${a.enter}, ${a.leave}] overlaps ${b.who} [${b.enter}, ${b.leave}]`);
    }
  }
  return { intervals, problems };
}

async function dumps(ports: Map<number, number>): Promise<Map<number, string>> {
  const result = new Map<number, string>();
  for (const [id, port] of ports) {
    const client = new RpcClient('127.0.0.1', port);
    result.set(id, JSON.stringify(await client.call('dump', {}, 2000)));
    client.close();
  }
  return result;
}

async function members(port: number): Promise<{ master: number | null; replicas: number[] }> {
  const client = new RpcClient('127.0.0.1', port);
  try {
    return (await client.call('members', {}, 1000)) as { master: number | null; replicas: number[] };
  } finally {
    client.close();
  }
}

async function scenario(kind: Scenario): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'lab3smoke-'));
  const ports = await freePorts(3);
  const config = join(dir, 'config');
  writeFileSync(config, ports.map((port, id) => `${id} 127.0.0.1 ${port}\n`).join(''));
  const replicas = new Map<number, Proc>();
  for (const id of kind === 'join' ? [0, 1] : [0, 1, 2]) replicas.set(id, await startReplica(config, id));
  const t0 = Date.now();
  const testers = [1, 2, 3].map((client) => run(`tester ${client}`, 'lockTester.ts', [config, String(client), '--rounds', '60']));
  const enters = (): number => testers.reduce((n, t) => n + t.out.filter((l) => l.startsWith('ENTER')).length, 0);
  const entered = (count: number) => () => enters() >= count;
  let note = kind === 'none' ? 'no failure' : '';
  if (kind === 'join') {
    await waitFor('60 ENTERs', entered(60), 30_000);
    replicas.set(2, await startReplica(config, 2, true));
    note = `replica 2 joined at ${Date.now() - t0} ms (ENTER ${enters()})`;
  }
  if (kind !== 'none') {
    const target = kind === 'join' ? enters() + 60 : 120; // with join: let the new replica take part first
    await waitFor(`${target} ENTERs`, entered(target), 30_000);
    const { master } = await members(ports[1]!); // replica 1 lives until the kill in every scenario
    const victim = kind === 'replica' ? 2 : master ?? 0;
    replicas.get(victim)!.child.kill('SIGKILL');
    replicas.delete(victim);
    note += `${note ? '; ' : ''}SIGKILLed replica ${victim} (${kind === 'replica' ? 'a backup' : 'the master'}) at ${Date.now() - t0} ms (ENTER ${enters()})`;
  }
  await Promise.all(testers.map((t) => (t.child.exitCode !== null ? undefined : once(t.child, 'exit'))));
  const survivors = new Map([...replicas.keys()].map((id) => [id, ports[id]!] as const));
  let views = await dumps(survivors);
  for (let tries = 0; tries < 50 && new Set(views.values()).size > 1; tries++) {
    await sleep(20); // a backup may still be executing the last request
    views = await dumps(survivors);
  }
  const { intervals, problems } = overlaps(testers);
  const done = testers.map((t) => `${t.name}: exit ${t.child.exitCode}, ${t.out.find((l) => l.startsWith('DONE') || l.startsWith('ERROR')) ?? '(no DONE)'}`);
  const agree = new Set(views.values()).size === 1;
  const seq = [...views].map(([id, view]) => `replica ${id} seq ${(JSON.parse(view) as { seq: number }).seq}`).join(', ');
  const ok = testers.every((t) => t.child.exitCode === 0 && t.out.some((l) => l.startsWith('DONE'))) && problems.length === 0 && agree;
  console.log(`== ${kind}: ${note}`);
  for (const line of done) console.log(`   ${line}`);
  console.log(`   ${intervals} lock intervals, ${problems.length} overlaps${problems.length ? `:\n     ${problems.slice(0, 5).join('\n     ')}` : ''}`);
  console.log(`   dumps of survivors ${agree ? 'agree' : 'DIFFER'}: ${seq}`);
  if (!agree) for (const [id, view] of views) console.log(`     ${id}: ${view.slice(0, 300)}`);
  console.log(`   ${ok ? 'PASS' : 'FAIL'}`);
  for (const proc of replicas.values()) proc.child.kill('SIGTERM');
  return ok;
}

async function main(): Promise<number> {
  const arg = process.argv[2] ?? 'master';
  const kinds = arg === 'all' ? [...SCENARIOS] : SCENARIOS.filter((kind) => kind === arg);
  if (kinds.length === 0) {
    console.error(`usage: npx tsx scripts/lab3Smoke.ts [${SCENARIOS.join('|')}|all]`);
    return 2;
  }
  let ok = true;
  for (const kind of kinds) ok = (await scenario(kind)) && ok;
  return ok ? 0 : 1;
}

main()
  .catch((error: unknown) => {
    console.error(`lab3Smoke: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  })
  .then((code) => {
    for (const proc of started) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    process.exit(code);
  });
