// lab2-factory admin: the one admin of a factory, which logs every order and, as the primary, replicates it (handout parts A to D).
//
// The seed's "production factory admin" thread is the single loop in run(): it takes the orders
// the engineers hand over through the UpdateQueue, one at a time, oldest first, so no two orders
// are ever in the log's hands at once. Engineers wait for it with `await queue.submit(...)`.
import type { FactoryState } from './factoryState.ts';
import { Opcode, type CustomerRequest, type ReplicationRequest } from './messages.ts';
import type { Peer, ServerArgs } from './serverArgs.ts';
import { AdminStub, ConnectionLost } from './stubs.ts';
import type { UpdateQueue } from './updateQueue.ts';

/** One other factory, as the primary sees it. */
interface Backup {
  peer: Peer; // from the command line
  link: AdminStub | undefined; // the open primary admin connection to it; undefined when there is none or it failed
}

export class Admin {
  private readonly backups: Backup[]; // every peer, in command-line order

  constructor(
    private readonly state: FactoryState, // this factory's state, shared with its engineers
    private readonly args: ServerArgs, // this factory's command line
  ) {
    this.backups = args.peers.map((peer) => ({ peer, link: undefined }));
  }

  /** The admin's loop: answers each order with this factory's ID once it is committed. Never returns. */
  async run(queue: UpdateQueue<CustomerRequest, number>): Promise<never> {
    for (;;) {
      const job = await queue.next();
      try {
        await this.handleOrder(job.request);
        job.answer(this.args.id);
      } catch (error) {
        job.fail(error); // the engineer reports it and closes the customer's connection
      }
    }
  }

  /** One order, from start to end: the steps of the handout's "Replication", one function each. */
  private async handleOrder(request: CustomerRequest): Promise<void> {
    if (this.state.primaryId !== this.args.id) await this.becomePrimary(); // step 1, part B
    else await this.reconnectFailed(); // part D
    const index = this.logOrder(request); // step 2, part A
    await this.replicate(index); // step 3, part B
    this.commit(index); // step 4, part A
  }

  /*
   * Part A.
   * - logOrder(request) appends the MapOp that records the order to the log and returns its index.
   * - commit(index) commits the log up to `index` and applies it to the customer records.
   */
  // TODO(lab2, part A): record the order in the log; commit and apply it.
  private logOrder(request: CustomerRequest): number {
    return this.state.append({ opcode: Opcode.SET_LAST_ORDER, arg1: request.customerId, arg2: request.orderNumber });
  }

  private commit(index: number): void {
    this.state.commitThrough(index);
  }
  // END TODO(lab2, part A)

  /*
   * Part B.
   * - becomePrimary() is step 1: this factory becomes the primary, commits and applies whatever its
   *   log holds that is not committed yet, and opens a fresh connection to every peer, in
   *   command-line order, through openLink() (part C), after closing any it had before.
   * - replicate(index) is step 3: it sends log entry `index` to each backup in turn, in
   *   command-line order, through sendToBackup() (part C), and resolves once each has replied.
   * With no peers, both have nothing to send.
   */
  // TODO(lab2, part B): become the primary; have every backup store each new entry before it is committed.
  private async becomePrimary(): Promise<void> {
    this.state.primaryId = this.args.id;
    this.state.commitThrough(this.state.lastIndex);
    for (const backup of this.backups) {
      backup.link?.close();
      backup.link = undefined;
      await this.openLink(backup);
    }
  }

  private async replicate(index: number): Promise<void> {
    const request = this.requestFor(index);
    for (const backup of this.backups) await this.sendToBackup(backup, request);
  }

  /** The ReplicationRequest that carries log entry `index`. */
  private requestFor(index: number): ReplicationRequest {
    const op = this.state.log[index];
    if (op === undefined) throw new RangeError(`no log entry at index ${index}`);
    return { factoryId: this.args.id, committedIndex: this.state.committedIndex, lastIndex: index, ...op };
  }
  // END TODO(lab2, part B)

  /*
   * Part C.
   * - openLink(backup) opens a primary admin connection to `backup` and, before anything new goes
   *   on it, sends it every entry of the log from index 0 up (bringing it up to date).
   * - sendToBackup(backup, request) sends one request to `backup` if it is live and waits for the reply.
   * A backup whose connection cannot be opened, or fails, closes or breaks while in use, has failed:
   * both resolve as if it had replied, it counts as not live from then on, and nothing is printed
   * on stdout (at most one line on stderr). Other errors are bugs: let them reject.
   */
  // TODO(lab2, part C): go on without a failed backup; bring each new connection up to date.
  private async openLink(backup: Backup): Promise<void> {
    try {
      const link = await AdminStub.connect(backup.peer.host, backup.peer.port, backup.peer.name);
      backup.link = link;
      for (let index = 0; index <= this.state.lastIndex; index++) await link.replicate(this.requestFor(index));
    } catch (error) {
      if (!(error instanceof ConnectionLost)) throw error;
      this.dropLink(backup);
    }
  }

  private async sendToBackup(backup: Backup, request: ReplicationRequest): Promise<void> {
    if (backup.link === undefined) return; // failed earlier: not live
    try {
      await backup.link.replicate(request);
    } catch (error) {
      if (!(error instanceof ConnectionLost)) throw error;
      console.error(`server: ${backup.peer.name} failed; going on without it`);
      this.dropLink(backup);
    }
  }

  private dropLink(backup: Backup): void {
    backup.link?.close();
    backup.link = undefined;
  }
  // END TODO(lab2, part C)

  /*
   * Part D (optional). reconnectFailed() runs before every order of a factory that is already the
   * primary. It tries once to open a connection, through openLink(), to each backup that failed
   * or whose connection has ended since the last order; a backup it reaches is live again.
   */
  // TODO(lab2, part D): (optional) let a restarted backup rejoin.
  private async reconnectFailed(): Promise<void> {
    for (const backup of this.backups) {
      if (backup.link?.isOpen === false) this.dropLink(backup); // it died while no order was under way
      if (backup.link === undefined) await this.openLink(backup);
    }
  }
  // END TODO(lab2, part D)
}
