// lab4-kv log replication (handout part A): the leader appends, copies its log to the peers, commits, and every node applies.
//
// The leader appends each client request to its log and sends its peers AppendEntries; an entry
// is committed once a majority of the nodes hold it, and every node applies committed entries to
// its key-value map, in log order. A get goes through the log too: that is what makes reads
// linearizable. Election (part B) decides who leads; replication asks it about terms.
import type { KvMap } from './kvMap.ts';
import type { KvRequest } from './kvProtocol.ts';
import type { Entry } from './raftLog.ts';
import { asAppendArgs, asAppendReply, type AppendArgs, type AppendReply } from './raftMessages.ts';
import { NotLeaderError, UnavailableError, type Proposer, type RaftState } from './raftState.ts';

export const HEARTBEAT_MS = 150; // a leader sends every peer an AppendEntries at least this often
export const COMMIT_WAIT_MS = 2500; // a proposal not applied by then fails (HTTP 500)
export const MAX_BATCH = 64; // at most this many entries in one AppendEntries

/** What replication needs from election (part B). */
export interface TermWatch {
  observeTerm(term: number): void; // every term a message or an answer carries goes through it
  leaderAlive(leaderId: string): void; // an AppendEntries of currentTerm came from that leader
}

/** A proposal waiting for its entry to be applied. */
interface Waiter {
  term: number; // the term it was appended in: a different entry at its index means it was lost
  done: (outcome: { old: string | null } | { error: Error }) => void; // settles the proposal, once
}

export class Replication implements Proposer {
  private nextIndex: number[] = []; // leader only: per peer index, the index of the next entry to send it
  private matchIndex: number[] = []; // leader only: per peer index, the highest index known to be in its log
  private sending: boolean[] = []; // leader only: per peer index, an AppendEntries to it awaits its answer
  private readonly waiters = new Map<number, Waiter>(); // log index -> the proposal waiting for it (leader only)

  constructor(
    private readonly state: RaftState,
    private readonly election: TermWatch,
    private readonly kv: KvMap, // the state machine the committed entries are applied to
  ) {
    state.peers.handle('append', (body) => this.onAppendEntries(asAppendArgs(body)));
  }

  /*
   * Part A.
   * - propose(request, waitMs) is how a client request enters the log. On a node that is not the
   *   leader it throws NotLeaderError(state.leaderId) and appends nothing. On the leader it appends
   *   the request in currentTerm, has it replicated, and resolves, once the entry is committed and
   *   applied, with what the map returned (the old value; for a get, the current one). It rejects
   *   with UnavailableError if the entry is not applied within min(waitMs, COMMIT_WAIT_MS), or if
   *   another entry takes its index (leadership lost). With no peers it commits at once.
   * - lead() is called once each time this node becomes the leader of state.currentTerm. From then
   *   until it no longer leads that term, every peer gets an AppendEntries at least every
   *   HEARTBEAT_MS, and new entries soon after they are appended. Only entries of the current term
   *   are committed by counting copies; earlier ones are committed with them.
   * - onAppendEntries(args) answers a leader's AppendEntries (messages and AppendReply in
   *   raftMessages.ts); its log changes are on disk (RaftLog does it) before it returns.
   * Every term in a message or an answer goes through election.observeTerm first.
   */
  // TODO(lab4, part A): replicate the log, commit what a majority holds, apply it in order.
  async propose(request: KvRequest, waitMs: number): Promise<string | null> {
    const state = this.state;
    if (state.role !== 'leader') throw new NotLeaderError(state.leaderId);
    const index = state.log.append([{ term: state.currentTerm, command: request }]);
    const applied = this.waitApplied(index, state.currentTerm, Math.min(waitMs, COMMIT_WAIT_MS));
    this.advanceCommit();
    this.sendAll();
    return applied;
  }

  lead(): void {
    const state = this.state;
    const term = state.currentTerm;
    this.nextIndex = state.peers.indices().map(() => state.log.lastIndex + 1);
    this.matchIndex = state.peers.indices().map(() => 0);
    this.sending = state.peers.indices().map(() => false);
    state.log.append([{ term, command: { kind: 'noop' } }]); // commits the earlier terms' entries soon
    this.advanceCommit();
    this.sendAll();
    const timer = setInterval(() => {
      if (state.role === 'leader' && state.currentTerm === term) return this.sendAll();
      clearInterval(timer);
      this.failWaiters(term, 'this node stopped being the leader before the request was committed');
    }, HEARTBEAT_MS);
  }

  onAppendEntries(args: AppendArgs): AppendReply {
    const state = this.state;
    this.election.observeTerm(args.term);
    if (args.term < state.currentTerm) return { term: state.currentTerm, success: false, conflictIndex: 0 };
    this.election.leaderAlive(args.leaderId);
    const prevTerm = state.log.termAt(args.prevLogIndex);
    if (prevTerm === undefined) return { term: state.currentTerm, success: false, conflictIndex: state.log.lastIndex + 1 };
    if (prevTerm !== args.prevLogTerm) return { term: state.currentTerm, success: false, conflictIndex: this.firstOfTerm(args.prevLogIndex) };
    let same = 0; // entries the log already holds, in the same term
    while (same < args.entries.length && state.log.termAt(args.prevLogIndex + 1 + same) === args.entries[same]?.term) same++;
    if (same < args.entries.length) {
      state.log.truncateFrom(args.prevLogIndex + 1 + same);
      state.log.append(args.entries.slice(same));
    }
    const newest = args.prevLogIndex + args.entries.length;
    state.commitIndex = Math.max(state.commitIndex, Math.min(args.leaderCommit, newest));
    this.applyCommitted();
    return { term: state.currentTerm, success: true, conflictIndex: 0 };
  }

  /** The first index of the run of entries that has the term of `index`'s (never a committed one). */
  private firstOfTerm(index: number): number {
    const term = this.state.log.termAt(index);
    let first = index;
    while (first > this.state.commitIndex + 1 && this.state.log.termAt(first - 1) === term) first--;
    return Math.max(first, 1);
  }

  private waitApplied(index: number, term: number, waitMs: number): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done({ error: new UnavailableError(`not committed within ${waitMs} ms (no majority reachable?)`) }), waitMs);
      const done: Waiter['done'] = (outcome) => {
        clearTimeout(timer);
        if (this.waiters.get(index)?.done === done) this.waiters.delete(index);
        if ('error' in outcome) reject(outcome.error);
        else resolve(outcome.old);
      };
      this.waiters.set(index, { term, done });
    });
  }

  private failWaiters(term: number, reason: string): void {
    for (const waiter of [...this.waiters.values()]) if (waiter.term === term) waiter.done({ error: new UnavailableError(reason) });
  }

  private sendAll(): void {
    for (const peer of this.state.peers.indices()) void this.sendAppend(peer);
  }

  /** One AppendEntries to `peer` unless one is on its way; again at once while the peer lags behind. */
  private async sendAppend(peer: number): Promise<void> {
    const state = this.state;
    const term = state.currentTerm;
    if (this.sending[peer] || state.role !== 'leader') return;
    this.sending[peer] = true;
    const next = this.nextIndex[peer] ?? 1;
    const entries: Entry[] = state.log.slice(next, MAX_BATCH);
    const args: AppendArgs = { term, leaderId: state.id, prevLogIndex: next - 1, prevLogTerm: state.log.termAt(next - 1) ?? 0, entries, leaderCommit: state.commitIndex };
    let reply: AppendReply | undefined;
    try {
      reply = asAppendReply(await state.peers.send(peer, 'append', args));
    } catch {
      reply = undefined; // unreachable or too slow: the next heartbeat tries again
    }
    if (state.currentTerm === term) this.sending[peer] = false;
    if (reply === undefined) return;
    this.election.observeTerm(reply.term);
    if (state.role !== 'leader' || state.currentTerm !== term) return;
    if (reply.success) {
      const match = Math.max(this.matchIndex[peer] ?? 0, args.prevLogIndex + entries.length);
      this.matchIndex[peer] = match;
      this.nextIndex[peer] = match + 1;
      this.advanceCommit();
    } else {
      this.nextIndex[peer] = Math.max(1, Math.min(reply.conflictIndex, next - 1));
    }
    if ((this.nextIndex[peer] ?? 1) <= state.log.lastIndex) void this.sendAppend(peer);
  }

  /** Commits the newest entry of currentTerm a majority holds (and so every one before it), then applies. */
  private advanceCommit(): void {
    const state = this.state;
    for (let index = state.log.lastIndex; index > state.commitIndex && state.log.termAt(index) === state.currentTerm; index--) {
      const holders = 1 + this.matchIndex.filter((match) => match >= index).length;
      if (holders >= state.majority) {
        state.commitIndex = index;
        break;
      }
    }
    this.applyCommitted();
  }

  /** Applies the committed entries not applied yet, in order, and settles the proposals waiting for them. */
  private applyCommitted(): void {
    const state = this.state;
    while (state.lastApplied < state.commitIndex) {
      const index = state.lastApplied + 1;
      const entry = state.log.at(index);
      if (entry === undefined) break; // cannot happen: commitIndex never passes the log's end
      state.lastApplied = index;
      const old = this.kv.apply(entry.command);
      const waiter = this.waiters.get(index);
      if (waiter === undefined) continue;
      waiter.done(waiter.term === entry.term ? { old } : { error: new UnavailableError('another leader took over before the request was committed; it was not carried out') });
    }
  }
  // END TODO(lab4, part A)
}
