// lab3-rsm RSM server: one replica of a replicated state machine (handout parts A to D).
//
// The master gives each client request the next sequence number (seq) and has every replica
// execute it, in seq order, before it answers. Node runs one handler at a time between `await`s,
// so the state needs no mutex; serially() is what keeps requests one at a time across the awaits.
import type { Heartbeat } from './heartbeat.ts';
import { RemoteError, type Args, type RpcClient, type RpcServer } from './rpc.ts';

/** What the RSM replicates: deterministic, never blocking (lockService.ts's LockService is one). */
export interface StateMachine {
  apply(op: unknown): unknown; // executes one operation and returns its result
  snapshot(): unknown; // the whole state, as JSON
  restore(state: unknown): void; // replaces the state with a snapshot()
}

/** One client request with its place in the order: what `replicate` carries. */
export interface Entry {
  seq: number; // 1 for the first request ever executed, then 2, 3, ...
  client: string; // the RSM client that sent it
  clientSeq: number; // that client's number for it: a retry keeps it
  op: unknown; // the operation for the state machine
}

/** The last request a client had executed, and its result: the at-most-once table holds one per client. */
export interface Executed {
  clientSeq: number;
  result: unknown;
}

const REPLICATE_TIMEOUT_MS = 3000; // a replica that has not answered replicate by then has failed
const JOIN_TIMEOUT_MS = 2000; // time a joining replica gives the master to answer
const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const isInt = (value: unknown): value is number => Number.isSafeInteger(value);

export class RsmServer {
  private replicas: number[]; // the other replicas the master sends every request to, ascending IDs
  private lastSeq = 0; // seq of the newest request executed here; 0 before the first
  private log = new Map<number, Entry>(); // the requests executed here (since the snapshot a joined replica started from), by seq
  private executed = new Map<string, Executed>(); // at-most-once table: client -> its newest executed request
  private queue: Promise<unknown> = Promise.resolve(); // the tail of the jobs run by serially()
  private ready: Promise<void> = Promise.resolve(); // settles once this replica may execute requests (after joining, for --join)
  private joined = true; // false while a --join replica waits for its state

  constructor(
    private readonly me: number, // this replica's ID
    private readonly machine: StateMachine, // the replicated service
    private readonly heartbeat: Heartbeat, // who is master
    private readonly peers: ReadonlyMap<number, RpcClient>, // every other replica in CONFIG, by ID
  ) {
    this.replicas = [...peers.keys()].sort((a, b) => a - b);
    heartbeat.onChange((master) => {
      if (master === me) void this.serially(() => this.takeOver()).catch((error: unknown) => console.error(`rsm ${me}: ${reasonOf(error)}`));
    });
  }

  /** Registers the RSM's methods on `server`. With `join`, first gets the state from the master (part D). */
  start(server: RpcServer, join: boolean): Promise<void> {
    server.handle('invoke', async (args) => {
      await this.ready;
      return this.invoke(args.client, args.clientSeq, args.op);
    });
    server.handle('replicate', async (args) => {
      await this.ready;
      return this.replicate(toEntry(args));
    });
    server.handle('join', (args) => this.admit(args.id));
    server.handle('members', () => ({ master: this.joined ? this.heartbeat.master() : null, replicas: this.members() }));
    server.handle('dump', async () => {
      await this.ready;
      return this.dump();
    });
    if (join) {
      this.joined = false;
      this.ready = this.joinGroup().then(() => void (this.joined = true));
    }
    return this.ready;
  }

  /** This replica and the others it replicates to, ascending. */
  members(): number[] {
    return [this.me, ...this.replicas].sort((a, b) => a - b);
  }

  /** The last executed seq, the service's state and the at-most-once table, sorted by client. */
  dump(): { seq: number; state: unknown; clients: Record<string, Executed> } {
    const clients = [...this.executed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { seq: this.lastSeq, state: this.machine.snapshot(), clients: Object.fromEntries(clients) };
  }

  /** Runs `job` after every job handed to serially() before it has settled: one at a time, in order. */
  private serially<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private notMaster(): RemoteError {
    const master = this.heartbeat.master();
    return new RemoteError('NOT_MASTER', `replica ${this.me} is not the master; ask replica ${master}`, { master });
  }

  /*
   * Part A.
   * - invoke(client, clientSeq, op) answers a client's `invoke`. On a replica that is not master it
   *   throws notMaster(). On the master, one request at a time (serially()), it gives the request
   *   the next seq, has every replica of this.replicas execute it, in ascending ID order and one
   *   after another (sendEntry), then executes it here and resolves with its result. A request whose
   *   (client, clientSeq) was already executed is not executed again: it resolves with the stored result.
   * - replicate(entry) answers the master's `replicate`: it executes entries strictly in seq order.
   *   An entry already executed is acknowledged again; one past the next throws a RemoteError
   *   OUT_OF_ORDER whose result is { last: this.lastSeq }. Resolves with {}.
   * - sendEntry(id, entry) has replica `id` execute `entry`; when it answers OUT_OF_ORDER, the
   *   entries it misses are sent first, from this.log. When it fails, it calls replicaFailed (part B).
   * Every replica executes an entry the same way: the at-most-once table is part of the replicated state.
   */
  // TODO(lab3, part A): order client requests and execute each on every replica, at most once.
  private invoke(client: unknown, clientSeq: unknown, op: unknown): Promise<unknown> {
    if (typeof client !== 'string' || !isInt(clientSeq)) throw new RemoteError('BAD_REQUEST', 'invoke needs a string client and an integer clientSeq');
    return this.serially(async () => {
      if (!this.heartbeat.isMaster()) throw this.notMaster();
      const done = this.executed.get(client);
      if (done !== undefined && clientSeq <= done.clientSeq) return done.result; // a retry: executed already
      const entry: Entry = { seq: this.lastSeq + 1, client, clientSeq, op };
      for (const id of [...this.replicas]) await this.sendEntry(id, entry);
      return this.execute(entry);
    });
  }

  private replicate(entry: Entry): object {
    if (entry.seq > this.lastSeq + 1) {
      throw new RemoteError('OUT_OF_ORDER', `replica ${this.me} expects seq ${this.lastSeq + 1}, not ${entry.seq}`, { last: this.lastSeq });
    }
    if (entry.seq === this.lastSeq + 1) this.execute(entry);
    return {};
  }

  private async sendEntry(id: number, entry: Entry): Promise<void> {
    try {
      const last = await this.replicateTo(id, entry);
      if (last === undefined) return;
      for (let seq = last + 1; seq < entry.seq; seq++) {
        const missing = this.log.get(seq);
        if (missing === undefined) throw new Error(`seq ${seq} is not in the log of replica ${this.me}`);
        if ((await this.replicateTo(id, missing)) !== undefined) throw new Error(`replica ${id} refused seq ${seq}`);
      }
      if ((await this.replicateTo(id, entry)) !== undefined) throw new Error(`replica ${id} refused seq ${entry.seq}`);
    } catch (error) {
      this.replicaFailed(id, error);
    }
  }

  /** Sends one `replicate`: resolves with undefined when done, or with the `last` of an OUT_OF_ORDER answer. */
  private async replicateTo(id: number, entry: Entry): Promise<number | undefined> {
    const peer = this.peers.get(id);
    if (peer === undefined) throw new Error(`replica ${id} is not in CONFIG`);
    try {
      await peer.call('replicate', { ...entry }, REPLICATE_TIMEOUT_MS);
      return undefined;
    } catch (error) {
      const last = error instanceof RemoteError && error.code === 'OUT_OF_ORDER' ? (error.result as { last?: unknown })?.last : undefined;
      if (isInt(last)) return last;
      throw error;
    }
  }

  /** Executes `entry` here (unless its client request was executed already) and returns the request's result. */
  private execute(entry: Entry): unknown {
    const done = this.executed.get(entry.client);
    let result = done?.result;
    if (done === undefined || entry.clientSeq > done.clientSeq) {
      result = this.machine.apply(entry.op);
      this.executed.set(entry.client, { clientSeq: entry.clientSeq, result });
    }
    this.log.set(entry.seq, entry);
    this.lastSeq = entry.seq;
    return result;
  }
  // END TODO(lab3, part A)

  /*
   * Part B. replicaFailed(id, error) is called by the master when replica `id` did not execute an
   * entry: it timed out, could not be reached, its connection broke, or it answered an error. The
   * master must go on without it, now and for every later request (it never waits on it again).
   * At most one line on stderr.
   */
  // TODO(lab3, part B): go on without a replica that failed.
  private replicaFailed(id: number, error: unknown): void {
    this.replicas = this.replicas.filter((other) => other !== id);
    console.error(`rsm ${this.me}: dropped replica ${id}: ${reasonOf(error)}`);
  }
  // END TODO(lab3, part B)

  /*
   * Part C. takeOver() runs, one job among the requests (serially()), each time the heartbeat makes
   * this replica the master. The replicas the old master reached last may miss the newest requests
   * this one executed: bring every replica of this.replicas up to this.lastSeq before new requests.
   */
  // TODO(lab3, part C): as a new master, bring the other replicas up to date.
  private async takeOver(): Promise<void> {
    const newest = this.log.get(this.lastSeq);
    if (newest === undefined) return; // nothing executed yet (or nothing since this replica joined)
    for (const id of [...this.replicas]) await this.sendEntry(id, newest);
  }
  // END TODO(lab3, part C)

  /*
   * Part D (bonus).
   * - admit(id) answers `join` on the master, one job among the requests (serially()): it adds
   *   replica `id` to this.replicas and resolves with { seq, state, clients } as dump() gives them.
   *   Not master: throws notMaster().
   * - joinGroup() runs once on a replica started with --join, before it executes anything: it asks
   *   the replicas for `members` to find the master, asks the master to `join`, and takes the state,
   *   the at-most-once table and the seq it answers; requests from seq + 1 on come by `replicate`.
   *   It retries (NOT_MASTER, timeouts, unreachable) for about 10 s, then rejects.
   */
  // TODO(lab3, part D): (bonus) let a replica join a running group.
  private admit(id: unknown): Promise<object> {
    return this.serially(async () => {
      if (!this.heartbeat.isMaster() || !this.joined) throw this.notMaster();
      if (!isInt(id) || !this.peers.has(id)) throw new RemoteError('BAD_REQUEST', `replica ${String(id)} is not in CONFIG`);
      this.replicas = [...new Set([...this.replicas, id])].sort((a, b) => a - b);
      return this.dump();
    });
  }

  private async joinGroup(): Promise<void> {
    const deadline = performance.now() + 10_000;
    let lastError: unknown = new Error('no replica answered');
    while (performance.now() < deadline) {
      for (const peer of this.peers.values()) {
        try {
          const { master } = (await peer.call('members', {}, JOIN_TIMEOUT_MS)) as { master?: unknown };
          const leader = isInt(master) ? this.peers.get(master) : undefined;
          if (leader === undefined) continue;
          const { seq, state, clients } = (await leader.call('join', { id: this.me }, JOIN_TIMEOUT_MS)) as ReturnType<RsmServer['dump']>;
          this.machine.restore(state);
          this.executed = new Map(Object.entries(clients));
          this.lastSeq = seq;
          this.log = new Map();
          return;
        } catch (error) {
          lastError = error;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`replica ${this.me} could not join: ${reasonOf(lastError)}`);
  }
  // END TODO(lab3, part D)
}

/** The entry a `replicate` request carries; throws BAD_REQUEST when a field is missing. */
function toEntry(args: Args): Entry {
  const { seq, client, clientSeq, op } = args;
  if (!isInt(seq) || typeof client !== 'string' || !isInt(clientSeq)) {
    throw new RemoteError('BAD_REQUEST', 'replicate needs an integer seq and clientSeq and a string client');
  }
  return { seq, client, clientSeq, op };
}
