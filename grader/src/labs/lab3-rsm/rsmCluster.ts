/**
 * Starts lab 3's replicas as a student would, `lockServer CONFIG ID [--join]`, except that each
 * replica gets its own CONFIG in the check's data folder: port 0 on its own line, and for every
 * other replica the port of the link proxy `i→j` the grader controls. Testers get a CONFIG of
 * their own too, one proxy per `testerK→j` link. The proxies exist before any process starts and
 * are pointed at a replica once it prints `Listening on port N ...`.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import type { CheckContext, StartedServer } from '../../check/checkContext.ts';
import type { LinkProxy } from '../../harness/linkProxy.ts';
import { callReplica, type CallOutcome } from './rsmWire.ts';
import { isPortTaken, reserveFreePorts } from '../lab2-factory/freePorts.ts';

const JOIN_ATTEMPTS = 3; // a reserved port another program took meanwhile costs one attempt

export interface ClusterPlan {
  replicas: number;             // IDs 0 … replicas−1
  testers: readonly number[];   // client IDs of the testers that will run, e.g. [1, 2, 3]
}

export class RsmCluster {
  private readonly running = new Map<number, StartedServer>(); // live (or killed) replicas by ID
  private readonly dead = new Map<number, number>();           // replicas the grader killed -> when their links froze (performance.now())
  private readonly members = new Map<number, number>();        // replicas started without --join -> when they were started

  private constructor(
    private readonly context: CheckContext,
    readonly ids: readonly number[],
    private readonly links: Map<string, LinkProxy>,            // `${from}→${to}`, from a replica ID or `testerK`
  ) {}

  /** Creates every link proxy and writes every CONFIG; starts no process. */
  static async create(context: CheckContext, plan: ClusterPlan): Promise<RsmCluster> {
    const ids = [...Array(plan.replicas).keys()];
    const links = new Map<string, LinkProxy>();
    const senders = [...ids.map(String), ...plan.testers.map((tester) => `tester${tester}`)];
    for (const from of senders) {
      for (const to of ids) {
        // The target is not known until the replica prints its port; nothing reaches it before that.
        if (from !== String(to)) links.set(`${from}→${to}`, await context.startProxy(`${from}→${to}`, 1));
      }
    }
    const cluster = new RsmCluster(context, ids, links);
    for (const from of senders) writeFileSync(cluster.configOf(from), cluster.configText(from));
    return cluster;
  }

  /** The CONFIG file of a replica (`'0'`) or a tester (`'tester1'`). */
  configOf(who: string): string {
    return join(this.context.dataDir, `${/^\d+$/.test(who) ? `replica${who}` : who}.config`);
  }

  /** A CONFIG for `from`: its own line (a replica's) with `ownPort`, every other line the port of the proxy `from→to`. */
  private configText(from: string, ownPort = 0): string {
    const lines = this.ids.map((to) => `${to} 127.0.0.1 ${from === String(to) ? ownPort : this.link(from, to).port}`);
    return `# written by the grader: a replica's own line is where it listens; every other line is a link proxy\n${lines.join('\n')}\n`;
  }

  /** Starts replica `id`, waits for its port and points the links to it there. */
  async startReplica(id: number): Promise<StartedServer> {
    const args = [this.configOf(String(id)), String(id)];
    this.members.set(id, performance.now());
    const server = await this.context.startServer('lockServer', args, { name: `replica${id}`, startupMs: 15_000 });
    this.running.set(id, server);
    for (const [name, link] of this.links) if (name.endsWith(`→${id}`)) link.retarget({ host: '127.0.0.1', port: server.port });
    return server;
  }

  /**
   * Starts replica `id` with --join. It prints its port only once it has joined, but the master
   * sends it replicates as soon as it admitted it: so this one replica is given a free port on its
   * own CONFIG line, and its links point there before it starts.
   */
  async startJoiner(id: number): Promise<StartedServer> {
    for (let attempt = 1; ; attempt++) {
      const [port = 0] = await reserveFreePorts(1);
      writeFileSync(this.configOf(String(id)), this.configText(String(id), port));
      for (const [name, link] of this.links) if (name.endsWith(`→${id}`)) link.retarget({ host: '127.0.0.1', port });
      const args = [this.configOf(String(id)), String(id), '--join'];
      try {
        const server = await this.context.startServer('lockServer', args, { name: attempt === 1 ? `replica${id}` : `replica${id}-attempt${attempt}`, startupMs: 20_000 });
        this.running.set(id, server);
        return server;
      } catch (error) {
        if (attempt >= JOIN_ATTEMPTS || !isPortTaken((error as Error).message)) throw error;
      }
    }
  }

  link(from: string | number, to: number): LinkProxy {
    const link = this.links.get(`${from}→${to}`);
    if (!link) throw new Error(`no link ${from}→${to}`);
    return link;
  }

  /** When replica `id` was started without --join; undefined for a joiner or one never started. */
  startedAt(id: number): number | undefined {
    return this.members.get(id);
  }

  /** When the grader froze the links of replica `id` to kill it; undefined while it lives. */
  killedAt(id: number): number | undefined {
    return this.dead.get(id);
  }

  /** The replicas started and not killed, ascending. */
  alive(): number[] {
    return [...this.running.keys()].filter((id) => !this.dead.has(id)).sort((a, b) => a - b);
  }

  port(id: number): number {
    const server = this.running.get(id);
    if (!server) throw new Error(`replica ${id} was not started`);
    return server.port;
  }

  /** One call of the grader's own, straight to replica `id`. */
  call(id: number, method: string, args: Record<string, unknown> = {}, timeoutMs = 3000): Promise<CallOutcome> {
    return callReplica(this.port(id), method, args, timeoutMs);
  }

  /**
   * Freezes every link that touches replica `id` at once, in the caller's tick, so that nothing
   * it sends or is sent crosses after this call. The first step of a kill.
   */
  freeze(id: number): LinkProxy[] {
    const touching = [...this.links].filter(([name]) => name.startsWith(`${id}→`) || name.endsWith(`→${id}`)).map(([, link]) => link);
    for (const link of touching) link.setPolicy({ mode: 'blackhole' });
    if (!this.dead.has(id)) this.dead.set(id, performance.now());
    return touching;
  }

  /**
   * Kills replica `id` at this instant, as a crash would: its links are frozen, it gets SIGKILL,
   * and once it has exited its links are reset (what the others would see of a dead host) and
   * then pass again, to a port nobody listens on.
   */
  async kill(id: number): Promise<void> {
    const touching = this.freeze(id);
    const server = this.running.get(id);
    if (server) {
      server.proc.kill();
      await server.proc.exited;
    }
    for (const link of touching) link.setPolicy({ mode: 'reset' });
    for (const link of touching) link.setPolicy({ mode: 'pass' });
  }
}
