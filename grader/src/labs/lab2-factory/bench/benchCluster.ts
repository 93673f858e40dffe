/**
 * Starts 1–3 factories for one benchmark configuration as real processes, with the grader's role
 * command. A server learns its port only once it listens, yet its peers need that port on their
 * command line. Two ways out:
 * - `direct` (the default): reserve free ports (bind 0, release), pass them as PORT, so
 *   `server PORT ID NPEERS (PEER_ID 127.0.0.1 PEER_PORT)*` with real peer ports; replication crosses
 *   nothing but loopback. A port taken by someone else in between fails that start; it is retried.
 * - `proxy`: `server 0 ...` as the checks' FactoryCluster does, each peer address a zero-policy
 *   LinkProxy started first and pointed at the real port once the server prints it. Race-free, but
 *   every replication message crosses the proxy in this process: about 25 µs per round trip, a third
 *   more latency on 3 servers, and it competes with the load generator for the same event loop.
 */
import { join } from 'node:path';
import { launch, type ManagedProcess } from '../../../harness/processLauncher.ts';
import { LinkProxy } from '../../../harness/linkProxy.ts';
import { createRng } from '../../../harness/rng.ts';
import { formatTail, waitForPort } from '../../../harness/waitForPort.ts';
import type { RoleCommand } from '../../../harness/submission.ts';
import { submissionError } from '../../../errors.ts';
import { throwIfAborted } from './closedLoop.ts';
import { isPortTaken, reserveFreePorts } from '../freePorts.ts';

export type Wiring = 'direct' | 'proxy';

export interface ClusterSpec {
  server: RoleCommand;             // the submission's server role
  dir: string;                     // where the role runs
  logDir: string;                  // one log file per server
  name: string;                    // names the configuration in log files and messages, e.g. 'write-3'
  count: number;                   // factories 0 … count − 1
  wiring: Wiring;
  signal?: AbortSignal;            // stops every server at once
}

const STARTUP_MS = 20_000;         // tsx may take seconds to start on a loaded machine
const START_ATTEMPTS = 3;          // direct wiring only: a reserved port taken by someone else

export class BenchCluster {
  /** Use BenchCluster.start(). */
  constructor(
    readonly ports: number[],                 // ports[id]: where customers reach factory id
    private readonly procs: ManagedProcess[],
    private readonly proxies: LinkProxy[],
    private readonly unlisten: () => void,
  ) {}

  static async start(spec: ClusterSpec): Promise<BenchCluster> {
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(spec.signal);
      const started = spec.wiring === 'proxy' ? await startBehindProxies(spec) : await startDirect(spec);
      if (!(started instanceof Error)) return started;
      const portTaken = spec.wiring === 'direct' && isPortTaken(started.message);
      throwIfAborted(spec.signal);
      if (!portTaken || attempt === START_ATTEMPTS) throw submissionError(started.message);
    }
  }

  get pids(): (number | undefined)[] {
    return this.procs.map((proc) => proc.pid);
  }

  /** The last lines server `id` printed, for a message (empty when it printed nothing but its port). */
  outputTail(id: number): string {
    const lines = (this.procs[id]?.outputTail() ?? []).filter((line) => !/^Listening on port/.test(line));
    return lines.length === 0 ? '' : formatTail(lines, 4);
  }

  async stop(): Promise<void> {
    this.unlisten();
    await Promise.all(this.proxies.map((proxy) => proxy.close()));
    await Promise.all(this.procs.map((proc) => proc.stop(1000)));
  }
}

async function startBehindProxies(spec: ClusterSpec): Promise<BenchCluster | Error> {
  const ids = [...Array(spec.count).keys()];
  const links = new Map<string, LinkProxy>(); // `${from}>${to}`: factory `from` reaches `to` here
  for (const from of ids) {
    for (const to of ids.filter((id) => id !== from)) {
      // Nothing connects before the target's port is known: a factory only dials when it gets an order.
      links.set(`${from}>${to}`, await LinkProxy.start({ name: `${from}→${to}`, target: { host: '127.0.0.1', port: 1 }, rng: createRng(0) }));
    }
  }
  const peerPort = (from: number, to: number): number => (links.get(`${from}>${to}`) as LinkProxy).port;
  const started = await launchAll(spec, ids.map(() => 0), peerPort, [...links.values()]);
  if (started instanceof Error) return started;
  for (const [key, link] of links) link.retarget({ host: '127.0.0.1', port: started.ports[Number(key.split('>')[1])] as number });
  return started;
}

async function startDirect(spec: ClusterSpec): Promise<BenchCluster | Error> {
  const ports = await reserveFreePorts(spec.count);
  return launchAll(spec, ports, (_from, to) => ports[to] as number, []);
}

/** Launches every factory and waits for each port; on any failure stops them all and returns the reason. */
async function launchAll(
  spec: ClusterSpec,
  listenPorts: number[],
  peerPort: (from: number, to: number) => number,
  proxies: LinkProxy[],
): Promise<BenchCluster | Error> {
  const ids = listenPorts.map((_, id) => id);
  const procs = ids.map((id) => {
    const peers = ids.filter((peer) => peer !== id);
    const args = [String(listenPorts[id]), String(id), String(peers.length), ...peers.flatMap((peer) => [String(peer), '127.0.0.1', String(peerPort(id, peer))])];
    return launch({
      name: `server ${id} (${spec.name})`,
      command: spec.server.command,
      args: [...spec.server.args, ...args],
      cwd: spec.dir,
      env: { FORCE_COLOR: '0' },
      logFile: join(spec.logDir, `${spec.name}-server${id}.log`),
    });
  });
  const stopAll = async (): Promise<void> => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await Promise.all(procs.map((proc) => proc.stop(1000)));
  };
  const onAbort = (): void => void stopAll();
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  const unlisten = (): void => spec.signal?.removeEventListener('abort', onAbort);
  const ports = await Promise.allSettled(procs.map((proc) => waitForPort(proc, STARTUP_MS)));
  const failed = ports.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const printed = ports.map((result) => (result.status === 'fulfilled' ? result.value : 0));
  const elsewhere = ids.find((id) => listenPorts[id] !== 0 && printed[id] !== 0 && printed[id] !== listenPorts[id]);
  if (!failed && elsewhere === undefined) return new BenchCluster(printed, procs, proxies, unlisten);
  unlisten();
  await stopAll();
  if (failed) return new Error(`the server did not start (${spec.name}): ${(failed.reason as Error).message}`);
  return new Error(`server ${elsewhere} was given PORT ${listenPorts[elsewhere as number]} but listens on port ${printed[elsewhere as number]}, so its peers cannot reach it; a server must listen on the PORT it is given (or run the benchmark with --links proxy)`);
}
