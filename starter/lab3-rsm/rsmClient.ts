// lab3-rsm RSM client: sends a client's operations to the master, and finds the new one when it fails (handout part C).
import type { Replica } from './config.ts';
import { RemoteError, RpcClient, Timeout, Unreachable } from './rpc.ts';

const INVOKE_TIMEOUT_MS = 5000; // a replica that has not answered an invoke by then counts as failed (more than the master may wait on a replica)
const GIVE_UP_MS = 15_000; // call() rejects when no replica has accepted the request for this long
const PAUSE_MS = 50; // wait between two tries that failed, so that the heartbeats can elect a master

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class RsmClient {
  private readonly ids: number[]; // every replica's ID, ascending
  private readonly links = new Map<number, RpcClient>(); // replica ID -> its connection
  private clientSeq = 0; // the clientSeq of the latest call; the next call uses one more
  private master: number | undefined; // the replica believed to be master; undefined until known

  constructor(
    replicas: readonly Replica[], // every line of the client's CONFIG
    readonly name: string, // this client's name in `invoke`: unique among all clients, ever
  ) {
    for (const replica of replicas) this.links.set(replica.id, new RpcClient(replica.host, replica.port, `replica ${replica.id}`));
    this.ids = [...this.links.keys()].sort((a, b) => a - b);
  }

  close(): void {
    for (const link of this.links.values()) link.close();
  }

  private link(id: number): RpcClient {
    const link = this.links.get(id);
    if (link === undefined) throw new Error(`replica ${id} is not in CONFIG`);
    return link;
  }

  /*
   * Part C. call(op) has the replicated service execute `op` exactly once and resolves with its
   * result. It sends `invoke` { client: this.name, clientSeq, op } with a fresh clientSeq, to the
   * replica it believes is master (found with `members` the first time). On a timeout
   * (INVOKE_TIMEOUT_MS), Unreachable or NOT_MASTER, it tries the replicas in turn, the hinted master
   * first, with the same clientSeq, until one accepts; after GIVE_UP_MS it rejects. Any other error
   * reply rejects at once. One call at a time: the caller waits for it before the next call.
   */
  // TODO(lab3, part C): find the master, and fail over to the next one with the same clientSeq.
  async call(op: object): Promise<unknown> {
    // stub: one try, at the lowest ID of CONFIG, and no failover
    const request = { client: this.name, clientSeq: ++this.clientSeq, op };
    return this.link(this.ids[0] as number).call('invoke', request, INVOKE_TIMEOUT_MS);
  }
  // END TODO(lab3, part C)
}

const isNotMaster = (error: unknown): error is RemoteError => error instanceof RemoteError && error.code === 'NOT_MASTER';
