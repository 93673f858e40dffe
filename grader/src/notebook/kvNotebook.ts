/**
 * Lab 4's notebook helpers: nodes of the notebook's own code, each in a folder of its own with its
 * servers.txt, every link between two nodes through a proxy the notebook controls (KvCluster, as in
 * the checks); one get or set through a chosen node, printed as the node answered it; who leads;
 * the fault verbs; the given client run from a cell. The clients of the evaluator, judged for
 * linearizability, are in kvWorkload.ts. Nothing here throws because of the student's programs:
 * what a node did not answer is shown instead.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { LinkProxy } from '../harness/linkProxy.ts';
import type { ExitStatus } from '../harness/processLauncher.ts';
import { createRng, type Rng } from '../harness/rng.ts';
import { reserveFreePorts } from '../labs/lab2-factory/freePorts.ts';
import { httpGet } from '../labs/lab4-kv/kvCall.ts';
import { KvCluster, type ClusterHost } from '../labs/lab4-kv/kvCluster.ts';
import { parseBody, targetOf, type KvRequest } from '../labs/lab4-kv/kvProtocol.ts';
import type { Sides } from '../labs/lab4-kv/kvScenario.ts';
import type { Experiment } from './labNotebook.ts';
import { runWorkload, type WorkloadPhase, type WorkloadReport } from './kvWorkload.ts';

const REQUEST_TIMEOUT_MS = 4000;   // a node answers within about 3 s, a 500 when it cannot decide
const WAIT_LIMIT_MS = 20_000;      // waitForAnswer gives up after this
const POLL_MS = 200;
const LEADER_WINDOW_MS = 1000;     // the leader is the busiest sender over this window ...
const LEADER_STABLE_POLLS = 5;     // ... once the same node has been for this many polls in a row
const LEADER_LIMIT_MS = 8000;      // or, at the latest, then
const NODES_FOLDER = 'nodes';      // in the experiment's folder: one folder per node

/** What a node answered: the old value (null for NIL), or why there is none. */
export type Answer = { ok: true; old: string | null } | { ok: false; why: string };

/**
 * Starts `count` nodes of the notebook's code, each in `nodes/nodeI` with its servers.txt, and
 * waits until a get through node 0 is answered (or says it never will). Prints each node's folder
 * and servers.txt, then how long the first answer took.
 */
export async function startNodes(run: Experiment, count: number, seed = 1): Promise<KvNodes> {
  const cluster = await KvCluster.create(experimentHost(run, createRng(seed)), count);
  for (const id of cluster.ids) {
    const folder = join(run.dir, NODES_FOLDER, `node${id}`);
    const [self, ...peers] = readFileSync(join(folder, 'servers.txt'), 'utf8').trim().split('\n');
    const others = cluster.ids.filter((peer) => peer !== id);
    const lines = [self, ...peers.map((line, index) => `${line} (→ node ${others[index]})`)].join(', ');
    console.log(`node${id}: cd ${relative(run.dir, folder)} && ../../kvServer.ts   (servers.txt: ${lines})`);
  }
  await cluster.startAll();
  const nodes = new KvNodes(run, cluster, seed);
  await nodes.waitForAnswer(0);
  return nodes;
}

/** A HOST:PORT where nobody listens: a dead host for the client's list. */
export async function deadHost(): Promise<string> {
  const [port] = await reserveFreePorts(1);
  return `127.0.0.1:${port}`;
}

/** KvCluster's needs, met by the experiment: folders in its folder, its processes, proxies closed when it ends. */
function experimentHost(run: Experiment, rng: Rng): ClusterHost {
  const proxies: LinkProxy[] = [];
  run.onEnd(async () => void (await Promise.all(proxies.map((proxy) => proxy.close()))));
  return {
    makeFolder: (name, files = {}) => {
      const dir = join(run.dir, NODES_FOLDER, name);
      mkdirSync(dir, { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      return dir;
    },
    startServer: (role, args, options) => run.serverIn(options.cwd ?? run.dir, role, args, options.name),
    startProxy: async (name, targetPort, policy = {}) => {
      if (run.signal.aborted) throw new Error(`the experiment has ended: link ${name} was not made`);
      const proxy = await LinkProxy.start({ name, target: { host: '127.0.0.1', port: targetPort }, rng: rng.fork(`proxy:${name}`), policy });
      proxies.push(proxy);
      return proxy;
    },
  };
}

/** The nodes of one experiment, reached through their proxies: the same HOST:PORT across restarts. */
export class KvNodes {
  private clients = 0; // kvClient runs so far, to name them client1, client2 ...
  private changedAt = performance.now(); // the last fault or heal: traffic before it says nothing of the leader now

  constructor(
    private readonly run: Experiment,
    readonly cluster: KvCluster,
    private readonly seed: number,
  ) {}

  get ids(): readonly number[] {
    return this.cluster.ids;
  }

  /** The HOST:PORT a client uses for node `id`. */
  host(id: number): string {
    return `127.0.0.1:${this.cluster.clientPort(this.known(id))}`;
  }

  /** `GET /KEY` through node `id`; prints `get KEY via node ID → KEY=OLD (N ms)`, or what came instead. */
  get(id: number, key: string): Promise<Answer> {
    return this.send(id, { kind: 'get', key });
  }

  /** `GET /KEY=VALUE` through node `id`; prints `set KEY=VALUE via node ID → KEY=OLD (N ms)`, or what came instead. */
  set(id: number, key: string, value: string): Promise<Answer> {
    return this.send(id, { kind: 'set', key, value });
  }

  private async send(id: number, request: KvRequest): Promise<Answer> {
    const what = request.kind === 'set' ? `set ${request.key}=${request.value}` : `get ${request.key}`;
    const started = performance.now();
    const answer = await ask(this.cluster.clientPort(this.known(id)), request);
    const took = `(${Math.round(performance.now() - started)} ms)`;
    console.log(`${what} via node ${id} → ${answer.ok ? `${request.key}=${answer.old ?? 'NIL'}` : answer.why} ${took}`);
    return answer;
  }

  /**
   * Sends gets through node `id` (every 200 ms) until one is answered; gives up at the time limit,
   * or at once when the node says "not implemented". Prints one line saying which.
   */
  async waitForAnswer(id: number, timeLimitMs = WAIT_LIMIT_MS): Promise<boolean> {
    const port = this.cluster.clientPort(this.known(id));
    const started = performance.now();
    for (;;) {
      const answer = await ask(port, { kind: 'get', key: 'ready' });
      const after = `${((performance.now() - started) / 1000).toFixed(1)} s`;
      if (answer.ok) return said(true, `a get through node ${id} was answered after ${after}`);
      if (/not implemented/i.test(answer.why)) return said(false, `node ${id} will not answer: ${answer.why}`);
      if (performance.now() - started > timeLimitMs) return said(false, `no get through node ${id} was answered within ${timeLimitMs / 1000} s; the last got ${answer.why}`);
      await delay(POLL_MS);
    }
  }

  /**
   * The leader, as the proxies see it: the node that sent the most bytes to its peers in the last
   * second, and since the last fault or heal (a leader sends every peer AppendEntries, at least
   * heartbeats; a follower sends nothing unless asked). Asks until the same node has been the
   * busiest for about a second, at most 5 s. Prints it; undefined when there is none (at once when
   * no node has ever sent anything). With one node, that node.
   */
  async leader(): Promise<number | undefined> {
    if (this.ids.length === 1) return said(0, 'leader: node 0 (the only node)');
    const none = (why: string): undefined => said(undefined, `leader: none (${why})`);
    const started = performance.now();
    let busiest: number | undefined;
    for (let same = 0; same < LEADER_STABLE_POLLS; ) {
      if (this.cluster.traffic().messages === 0) return none('no node has sent anything to its peers yet');
      if (performance.now() - started > LEADER_LIMIT_MS) return none(`no node has been the busiest sender for a second within ${LEADER_LIMIT_MS / 1000} s`);
      await delay(POLL_MS);
      const window = Math.min(LEADER_WINDOW_MS, performance.now() - this.changedAt);
      const now = this.cluster.busiestSender(window);
      same = now !== undefined && now === busiest ? same + 1 : now === undefined ? 0 : 1;
      busiest = now;
    }
    return said(busiest, `leader: node ${String(busiest)} (it sent the most to its peers in the last second)`);
  }

  private changed(): void {
    this.changedAt = performance.now();
  }

  /** Kills node `id` at once (SIGKILL, as `kill -9`), and waits until it is gone; its folder and ./data stay. */
  async kill(id: number): Promise<void> {
    await this.cluster.kill(this.known(id));
    this.changed();
    console.log(`node ${id} killed (SIGKILL)`);
  }

  /** Starts node `id` again in its folder (same servers.txt, same ./data); resolves once it listens. */
  async restart(id: number): Promise<void> {
    await this.cluster.start(this.known(id));
    this.changed();
    console.log(`node ${id} restarted in its folder`);
  }

  /** Stops node `id` (SIGSTOP, as Ctrl-Z): it holds its state and its connections but does nothing. */
  pause(id: number): void {
    this.cluster.pause(this.known(id));
    this.changed();
    console.log(`node ${id} paused (SIGSTOP)`);
  }

  /** Lets a paused node `id` go on (SIGCONT). */
  resume(id: number): void {
    this.cluster.resume(this.known(id));
    this.changed();
    console.log(`node ${id} resumed (SIGCONT)`);
  }

  /** Cuts every link between nodes of different sides, both ways: bytes are held, as by a cut cable. */
  partition(sides: Sides): Sides {
    for (const id of sides.flat()) this.known(id);
    console.log(`partition: ${sides.map((side) => side.join(',')).join(' | ')} (the links between the sides hold every byte)`);
    this.changed();
    return this.cluster.partition(sides);
  }

  /** Every link between nodes passes again; what they held is delivered. */
  heal(): void {
    this.cluster.heal();
    this.changed();
    console.log('healed: every link between nodes passes again');
  }

  /**
   * The evaluator's clients (two per node, each asking its own node first) through `phases`, one
   * after another: see kvWorkload.ts. Shows what each side answered in each phase, and whether
   * the history is linearizable (with a drawing of the operations that are not).
   */
  workload(phases: readonly WorkloadPhase[]): Promise<WorkloadReport> {
    return runWorkload(this.cluster, phases, createRng(this.seed).fork('workload'));
  }

  /**
   * Runs the given client once, as from a terminal: `./kvClient.ts -h HOSTS -k KEY [-v VALUE]`, a
   * node ID in `hosts` standing for that node's HOST:PORT. Prints the command, then how long the
   * client ran; its output is shown as it comes (only the answer's body, or one ERROR line).
   */
  async client(hosts: readonly (number | string)[], key: string, value?: string): Promise<ExitStatus> {
    const list = hosts.map((host) => (typeof host === 'number' ? this.host(host) : host)).join(',');
    const args = ['-h', list, '-k', key, ...(value === undefined ? [] : ['-v', value])];
    const name = `client${++this.clients}`;
    console.log(`${name}: ./kvClient.ts ${args.join(' ')}`);
    const started = performance.now();
    const status = await this.run.runToEnd('kvClient', args, name);
    console.log(`${name} ran for ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return status;
  }

  private known(id: number): number {
    if (!this.ids.includes(id)) throw new Error(`there is no node ${id}: the nodes are 0 to ${this.ids.length - 1}`);
    return id;
  }
}

/** One request to 127.0.0.1:`port`, its answer read as the protocol says. */
export async function ask(port: number, request: KvRequest): Promise<Answer> {
  const outcome = await httpGet(port, targetOf(request), REQUEST_TIMEOUT_MS);
  if (outcome.kind === 'failed') return { ok: false, why: `no answer: ${outcome.reason}` };
  const body = outcome.body.replace(/\r?\n$/, '');
  if (outcome.status !== 200) return { ok: false, why: `HTTP ${outcome.status} ${body.slice(0, 200)}` };
  const parsed = parseBody(body, request.key);
  return 'old' in parsed ? { ok: true, old: parsed.old } : { ok: false, why: `HTTP 200, but ${parsed.problem}` };
}

function said<T>(result: T, line: string): T {
  console.log(line);
  return result;
}
