// lab4-kv failure detection and leader election (handout part B): terms, votes, and who leads.
//
// A follower that hears from no leader for an election timeout stands for election in a new term;
// a candidate that gets the votes of a majority leads that term. A term seen in any message or
// answer that is newer than this node's own makes it a follower of that term. Term and vote are
// on disk before any answer that depends on them.
import { asVoteArgs, asVoteReply, type VoteArgs, type VoteReply } from './raftMessages.ts';
import type { RaftState } from './raftState.ts';
import type { TermWatch } from './replication.ts';

export const ELECTION_MIN_MS = 800; // the election timeout is drawn at random from [MIN, MAX) each time
export const ELECTION_MAX_MS = 1600; // generous: a loaded machine may stall a node for a few hundred ms

export class Election implements TermWatch {
  private timer: NodeJS.Timeout | undefined; // the election timeout running now, if any

  constructor(
    private readonly state: RaftState,
    private readonly onElected: () => void, // replication's lead(): called once per term this node wins
  ) {
    state.peers.handle('vote', (body) => this.onRequestVote(asVoteArgs(body)));
  }

  /** A fresh election timeout, at random in [ELECTION_MIN_MS, ELECTION_MAX_MS). */
  private randomTimeout(): number {
    return ELECTION_MIN_MS + Math.random() * (ELECTION_MAX_MS - ELECTION_MIN_MS);
  }

  /** Makes this node the leader of state.currentTerm and hands over to replication (part A's lead()). */
  private becomeLeader(): void {
    this.state.role = 'leader';
    this.state.leaderId = this.state.id;
    this.onElected();
  }

  /*
   * Part B.
   * - start() is called once, after the node listens. From then on, a node that is not the leader
   *   and has heard no leader of its term (leaderAlive) nor granted a vote for an election timeout
   *   (randomTimeout()) becomes a candidate of a new term, votes for itself and asks every peer for
   *   its vote (RequestVote, raftMessages.ts); with a majority of votes in that term, still a
   *   candidate, it calls becomeLeader(). A node alone in servers.txt wins alone. Timers never throw.
   * - observeTerm(term) is given every term a message or an answer carries: a term newer than
   *   currentTerm becomes currentTerm, with no vote yet, and the node a follower with no known leader.
   * - leaderAlive(leaderId) is called on each AppendEntries of currentTerm: its sender is the leader,
   *   this node is its follower, and no election starts for a timeout.
   * - onRequestVote(args) grants at most one vote per term, and only to a candidate whose log is at
   *   least as up-to-date as this node's (last term, then last index).
   * currentTerm and votedFor are on disk (state.persistTermAndVote()) before any answer or message
   * that depends on them goes out.
   */
  // TODO(lab4, part B): detect a failed leader, hold elections, and step down on a newer term.
  start(): void {
    // stub: no failure detection and no elections; a node alone in servers.txt leads a new term at once
    if (this.state.peers.count > 0) return;
    this.state.currentTerm += 1;
    this.state.persistTermAndVote();
    this.becomeLeader();
  }

  observeTerm(term: number): void {
    // stub: a newer term changes nothing
  }

  leaderAlive(leaderId: string): void {
    // stub: there is no election timeout to restart
  }

  onRequestVote(args: VoteArgs): VoteReply {
    throw new Error('not implemented: answering RequestVote (handout part B)');
  }
  // END TODO(lab4, part B)
}
