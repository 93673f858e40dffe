// lab3-rsm heartbeat: who is up, and so who is master. Given code: do not edit; the grader uses its own copy.
//
// Every replica pings every other one every 100 ms. One that has not answered for 1.5 s is down;
// the master is the lowest ID among the replicas up, this one included. Each replica decides on its
// own, so for up to about 1.5 s after a failure two replicas may disagree on the master. The
// margin is wide on purpose: a replica stalled for a moment on a busy machine is not a failed one.
import type { RpcClient, RpcServer } from './rpc.ts';

const INTERVAL_MS = 100; // time between two pings of one peer
const DOWN_AFTER_MS = 1500; // a peer silent this long is down

export class Heartbeat {
  private readonly lastHeard = new Map<number, number>(); // peer ID -> when it last answered a ping (ms, performance.now())
  private readonly waiting = new Set<number>(); // peers with a ping in flight: never two at once
  private readonly listeners: ((master: number) => void)[] = []; // told each time the master changes
  private current: number; // the master as of the latest check
  private timer: NodeJS.Timeout | undefined; // the ping loop, while started

  constructor(
    private readonly me: number, // this replica's ID
    private readonly peers: ReadonlyMap<number, RpcClient>, // every other replica, by ID
  ) {
    // Everybody counts as up until proven silent: a replica that starts a little before a lower ID
    // must not claim to be master meanwhile.
    this.heardFromAll();
    this.current = this.compute();
  }

  /** Answers the other replicas' pings on `server`. */
  register(server: RpcServer): void {
    server.handle('ping', () => ({ id: this.me }));
  }

  /** Starts pinging. Every peer counts as up from now: a replica that spent a while joining is not alone. */
  start(): void {
    if (this.timer !== undefined) return;
    this.heardFromAll();
    this.timer = setInterval(() => this.tick(), INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  isUp(id: number): boolean {
    if (id === this.me) return true;
    const heard = this.lastHeard.get(id);
    return heard !== undefined && performance.now() - heard <= DOWN_AFTER_MS;
  }

  master(): number {
    return this.current;
  }

  isMaster(): boolean {
    return this.current === this.me;
  }

  /** Calls `listener(newMaster)` whenever this replica's idea of the master changes. */
  onChange(listener: (master: number) => void): void {
    this.listeners.push(listener);
  }

  private heardFromAll(): void {
    const now = performance.now();
    for (const id of this.peers.keys()) this.lastHeard.set(id, now);
  }

  private compute(): number {
    return Math.min(this.me, ...[...this.peers.keys()].filter((id) => this.isUp(id)));
  }

  private tick(): void {
    for (const [id, peer] of this.peers) {
      if (this.waiting.has(id)) continue;
      this.waiting.add(id);
      peer
        .call('ping', { from: this.me }, DOWN_AFTER_MS)
        .then(() => this.lastHeard.set(id, performance.now()))
        .catch(() => undefined) // silence is what counts
        .finally(() => this.waiting.delete(id));
    }
    const master = this.compute();
    if (master === this.current) return;
    this.current = master;
    for (const listener of this.listeners) listener(master);
  }
}
