/**
 * Starts lab1's processes the way a student does from terminals: replicas `srv DATAFILE`, each
 * behind a link proxy the grader controls, and `coord PORT...` given the proxies' ports.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseTransfer, transferKey } from './bankLedger.ts';
import type { CheckContext, StartedServer } from '../../check/checkContext.ts';
import type { LinkPolicy, LinkProxy } from '../../harness/linkProxy.ts';

export interface Replica {
  name: string;             // 'a', 'b', ... as in the handout's ./tmp/a
  dataFile: string;         // absolute path of its DATAFILE
  server: StartedServer;
  proxy: LinkProxy;         // every connection to the replica goes through it
}

export interface ReplicaOptions {
  skewSeconds?: Readonly<Record<string, number>>;  // per replica name
  policy?: Partial<LinkPolicy>;                    // initial policy of every proxy
}

export async function startReplicas(context: CheckContext, names: readonly string[], options: ReplicaOptions = {}): Promise<Replica[]> {
  return Promise.all(
    names.map(async (name) => {
      const dataFile = join(context.dataDir, name);
      const server = await context.startServer('srv', [dataFile], { name, skewSeconds: options.skewSeconds?.[name] ?? 0 });
      const proxy = await context.startProxy(`→${name}`, server.port, options.policy ?? {});
      return { name, dataFile, server, proxy };
    }),
  );
}

export function startCoordinator(context: CheckContext, replicas: readonly Replica[]): Promise<StartedServer> {
  return context.startServer('coord', replicas.map((replica) => String(replica.proxy.port)), { name: 'coord' });
}

/** Waits (bounded) until every replica's link is idle, so that data files are final. */
export async function settle(replicas: readonly Replica[], boundMs = 3000): Promise<void> {
  await Promise.all(replicas.map((replica) => replica.proxy.whenIdle(boundMs)));
}

/**
 * Waits until every replica has answered every request that a client got an answer to, then until
 * the links are idle: a coordinator that answers early may still be forwarding. It gives up after
 * `quietMs` in which no replica answered anything new (a replica that never gets a request costs
 * only that), or after `capMs` in all; a slow machine that keeps making progress is waited for.
 */
export async function awaitReplicasCaughtUp(replicas: readonly Replica[], keys: readonly string[], quietMs = 3000, capMs = 20_000): Promise<void> {
  const start = performance.now();
  const answered = (replica: Replica) => replica.proxy.exchanges().filter((exchange) => exchange.reply.length > 0);
  const caughtUp = (replica: Replica): boolean => {
    const seen = new Set(answered(replica).map((exchange) => requestKey(exchange.request)));
    return keys.every((key) => seen.has(key));
  };
  const progress = () => replicas.reduce((sum, replica) => sum + answered(replica).length, 0);
  let lastProgress = progress();
  let quietSince = start;
  while (!replicas.every(caughtUp)) {
    const now = performance.now();
    if (now - quietSince >= quietMs || now - start >= capMs) break;
    await delay(20);
    const current = progress();
    if (current !== lastProgress) [lastProgress, quietSince] = [current, performance.now()];
  }
  await settle(replicas, quietMs);
}

function requestKey(request: Buffer): string {
  const transfer = parseTransfer(request.toString('utf8'));
  return transfer ? transferKey(transfer) : '';
}
