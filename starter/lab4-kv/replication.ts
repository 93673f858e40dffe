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
    throw new Error('not implemented: proposing a request to the log (handout part A)');
  }

  lead(): void {
    // stub: the leader sends no AppendEntries
  }

  onAppendEntries(args: AppendArgs): AppendReply {
    throw new Error('not implemented: accepting AppendEntries (handout part A)');
  }
  // END TODO(lab4, part A)
}
