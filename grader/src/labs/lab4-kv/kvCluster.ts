/**
 * Starts lab 4's nodes as a student would, `kvServer` in a folder of its own that holds its
 * `servers.txt`, except that every node reaches every other one through a link proxy `i→j` the
 * grader controls, and the grader's clients reach node `i` through the proxy `client→i`. A node's
 * own line says port 0; the proxies are pointed at a node once it prints its port, and again when
 * it is restarted (on another port, with the same folder and so the same ./data).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { CheckContext, StartedServer } from '../../check/checkContext.ts';
import type { LinkProxy } from '../../harness/linkProxy.ts';
import type { Sides } from './kvScenario.ts';

/** What a cluster needs from whoever runs it: a check's context, or a notebook's experiment (notebook/kvNotebook.ts). */
export type ClusterHost = Pick<CheckContext, 'makeFolder' | 'startServer' | 'startProxy'>;

export interface InterNodeTraffic {
  messages: number;          // connections between nodes (one per message in the given peer code)
  bytes: number;             // bytes both ways on them
}

export class KvCluster {
  private readonly running = new Map<number, StartedServer>(); // node -> its current process
  private readonly starts = new Map<number, number>();         // node -> how many times it was started

  private constructor(
    private readonly context: ClusterHost,
    readonly ids: readonly number[],
    private readonly folders: readonly string[],
    private readonly links: Map<string, LinkProxy>,            // `i→j` between nodes, `client→i` for the grader's clients
  ) {}

  /** Creates the proxies and every node's folder with its servers.txt; starts no node. */
  static async create(context: ClusterHost, nodes: number): Promise<KvCluster> {
    const ids = [...Array(nodes).keys()];
    const links = new Map<string, LinkProxy>();
    for (const from of ['client', ...ids.map(String)]) {
      for (const to of ids) {
        // The target is not known until the node prints its port; nothing reaches it before that.
        if (from !== String(to)) links.set(`${from}→${to}`, await context.startProxy(`${from}→${to}`, 1));
      }
    }
    const serversFile = (me: number): string =>
      [`127.0.0.1:0`, ...ids.filter((peer) => peer !== me).map((peer) => `127.0.0.1:${(links.get(`${me}→${peer}`) as LinkProxy).port}`)].join('\n') + '\n';
    const folders = ids.map((id) => context.makeFolder(`node${id}`, { 'servers.txt': serversFile(id) }));
    return new KvCluster(context, ids, folders, links);
  }

  /** Starts (or restarts) node `id` in its folder, waits for its port and points its links there. */
  async start(id: number): Promise<StartedServer> {
    const count = (this.starts.get(id) ?? 0) + 1;
    this.starts.set(id, count);
    const name = count === 1 ? `node${id}` : `node${id}-start${count}`;
    const server = await this.context.startServer('kvServer', [], { name, cwd: this.folders[id] as string });
    this.running.set(id, server);
    for (const [link, proxy] of this.links) if (link.endsWith(`→${id}`)) proxy.retarget({ host: '127.0.0.1', port: server.port });
    return server;
  }

  async startAll(): Promise<void> {
    await Promise.all(this.ids.map((id) => this.start(id)));
  }

  /** The port the grader's clients use for node `id`: its `client→id` proxy, the same across restarts. */
  clientPort(id: number): number {
    return this.link('client', id).port;
  }

  /**
   * SIGKILL to node `id`, as a crash; resolves once it has exited. With `isolatedMs`, its links
   * to and from the other nodes are cut that long first (its clients still reach it): whatever it
   * acknowledged meanwhile, it could not have replicated, and no other node's message told it to
   * step down. Bytes held on its links are dropped, as a dead host's would be.
   */
  async kill(id: number, isolatedMs = 0): Promise<void> {
    if (isolatedMs > 0) {
      this.partition([[id], this.ids.filter((other) => other !== id)]);
      await delay(isolatedMs);
    }
    const server = this.running.get(id);
    if (server) {
      server.proc.kill();
      await server.proc.exited;
    }
    for (const [name, proxy] of this.nodeLinks()) {
      if (!name.startsWith(`${id}→`) && !name.endsWith(`→${id}`)) continue;
      proxy.setPolicy({ mode: 'reset' });
      proxy.setPolicy({ mode: 'pass' });
    }
  }

  private nodeLinks(): [string, LinkProxy][] {
    return [...this.links].filter(([name]) => !name.startsWith('client'));
  }

  pause(id: number): void {
    this.running.get(id)?.proc.pause();
  }

  resume(id: number): void {
    this.running.get(id)?.proc.resume();
  }

  /** Cuts every link between nodes of different sides, both ways (held, not refused: as a cut cable); returns the sides. */
  partition(sides: Sides): Sides {
    const side = new Map(sides.flatMap((members, index) => members.map((id) => [id, index] as const)));
    for (const [name, proxy] of this.nodeLinks()) {
      const [from, to] = name.split('→').map(Number) as [number, number];
      if (side.get(from) !== side.get(to)) proxy.setPolicy({ mode: 'blackhole' });
    }
    return sides;
  }

  heal(): void {
    for (const [, proxy] of this.nodeLinks()) proxy.setPolicy({ mode: 'pass' });
  }

  /** What crossed the links between nodes since `since` (performance.now()), counted by the proxies. */
  traffic(since = 0): InterNodeTraffic {
    let messages = 0;
    let bytes = 0;
    for (const [, proxy] of this.nodeLinks()) {
      for (const exchange of proxy.exchanges()) {
        if (exchange.acceptedAt < since) continue;
        messages += 1;
        bytes += exchange.request.length + exchange.reply.length;
      }
    }
    return { messages, bytes };
  }

  /**
   * The node that sent the most bytes to its peers in the last `windowMs`: in a leader-based
   * design the leader (it sends every peer its log and heartbeats). Undefined when none sent anything.
   */
  busiestSender(windowMs = 1000): number | undefined {
    const since = performance.now() - windowMs;
    const sent = new Map<number, number>();
    for (const [name, proxy] of this.nodeLinks()) {
      const from = Number(name.split('→')[0]);
      for (const exchange of proxy.exchanges()) {
        if (exchange.acceptedAt >= since) sent.set(from, (sent.get(from) ?? 0) + exchange.request.length);
      }
    }
    const ranked = [...sent].filter(([, bytes]) => bytes > 0).sort(([a, x], [b, y]) => y - x || a - b);
    return ranked[0]?.[0];
  }

  private link(from: string, to: number): LinkProxy {
    const link = this.links.get(`${from}→${to}`);
    if (!link) throw new Error(`no link ${from}→${to}`);
    return link;
  }
}
