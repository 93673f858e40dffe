/**
 * Starts lab 2's factories as a student would from terminals, `server 0 ID NPEERS (PEER_ID HOST
 * PORT)*`, except that every peer address is a link proxy the grader controls: factory i reaches
 * factory j only through the proxy `i→j`. The proxies let checks see every replication message,
 * hold it, or cut a link at a precise protocol event.
 */
import type { CheckContext, StartedServer } from '../../check/checkContext.ts';
import type { LinkProxy } from '../../harness/linkProxy.ts';

export interface Factory {
  id: number;
  args: readonly string[];    // its command line, kept to restart it the same way
  server: StartedServer;      // the running process and the port it printed
}

export class FactoryCluster {
  private constructor(
    private readonly context: CheckContext,
    readonly factories: Factory[],                  // factories[id]
    private readonly links: Map<string, LinkProxy>, // `${from}→${to}`
  ) {}

  /** Starts `count` factories with ids 0 … count−1, each listing its peers in increasing id order. */
  static async start(context: CheckContext, count: number): Promise<FactoryCluster> {
    const ids = [...Array(count).keys()];
    const links = new Map<string, LinkProxy>();
    for (const from of ids) {
      for (const to of ids) {
        // The target is not known until the server prints its port; nothing connects before that.
        if (from !== to) links.set(linkName(from, to), await context.startProxy(linkName(from, to), 1));
      }
    }
    const factories = await Promise.all(ids.map(async (id) => {
      const peers = ids.filter((peer) => peer !== id);
      const args = ['0', String(id), String(peers.length), ...peers.flatMap((peer) => [String(peer), '127.0.0.1', String(links.get(linkName(id, peer))!.port)])];
      return { id, args, server: await context.startServer('server', args, { name: `factory${id}` }) };
    }));
    const cluster = new FactoryCluster(context, factories, links);
    for (const factory of factories) cluster.pointLinksAt(factory);
    return cluster;
  }

  factory(id: number): Factory {
    const factory = this.factories[id];
    if (!factory) throw new Error(`no factory ${id}`);
    return factory;
  }

  port(id: number): number {
    return this.factory(id).server.port;
  }

  link(from: number, to: number): LinkProxy {
    const link = this.links.get(linkName(from, to));
    if (!link) throw new Error(`no link ${linkName(from, to)}`);
    return link;
  }

  /** Every link that leaves `from`. */
  linksFrom(from: number): LinkProxy[] {
    return this.factories.filter((factory) => factory.id !== from).map((factory) => this.link(from, factory.id));
  }

  /**
   * Kills a factory at this instant, as a crash would: its links are first frozen so that nothing
   * it sends or is sent crosses after this call, then it gets SIGKILL, and once it has exited its
   * links are reset, which is what its peers would see of a dead host.
   */
  async kill(id: number): Promise<void> {
    const touching = this.factories.filter((other) => other.id !== id).flatMap((other) => [this.link(id, other.id), this.link(other.id, id)]);
    for (const link of touching) link.setPolicy({ mode: 'blackhole' });
    const proc = this.factory(id).server.proc;
    proc.kill();
    await proc.exited;
    for (const link of touching) link.setPolicy({ mode: 'reset' });
    for (const link of touching) link.setPolicy({ mode: 'pass' });
  }

  /** Starts a dead factory again with its original arguments and points its incoming links at it. */
  async restart(id: number): Promise<void> {
    const factory = this.factory(id);
    factory.server = await this.context.startServer('server', factory.args, { name: `factory${id}-restarted` });
    this.pointLinksAt(factory);
  }

  private pointLinksAt(factory: Factory): void {
    for (const other of this.factories) {
      if (other.id !== factory.id) this.link(other.id, factory.id).retarget({ host: '127.0.0.1', port: factory.server.port });
    }
  }
}

export const linkName = (from: number, to: number): string => `${from}→${to}`;
