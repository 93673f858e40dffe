// lab4-kv Raft state: what replication (part A) and election (part B) share. Given code: do not edit; the grader uses its own copy.
//
// Node runs one handler at a time between `await`s, so the state needs no lock; but after an
// `await` anything may have changed (the term, the role): check again before acting on it.
import type { DiskState } from './diskState.ts';
import type { KvRequest } from './kvProtocol.ts';
import type { PeerLink } from './peerLink.ts';
import { RaftLog } from './raftLog.ts';

export type Role = 'follower' | 'candidate' | 'leader';

/** propose() on a node that is not the leader: the request goes to `leaderId` instead (if known). */
export class NotLeaderError extends Error {
  constructor(readonly leaderId: string | null) {
    super(leaderId === null ? 'this node is not the leader, and knows no leader' : `this node is not the leader; node ${leaderId} is`);
    this.name = 'NotLeaderError';
  }
}

/** A request that cannot be carried out now (no leader, no majority, too slow): HTTP 500. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}

/** What the client interface needs from the log: the leader's way in (part A's propose). */
export interface Proposer {
  propose(request: KvRequest, waitMs: number): Promise<string | null>;
}

export class RaftState {
  readonly id: string; // this node's stable ID (data/node-id): candidateId, votedFor, leaderId name nodes by it
  readonly log: RaftLog; // the replicated log, on disk
  currentTerm: number; // latest term this node has seen; on disk (persistTermAndVote) before answering anything that changed it
  votedFor: string | null; // node ID this node voted for in currentTerm, null: none yet; on disk like currentTerm
  private currentRole: Role = 'follower'; // what this node does now; every node starts as a follower
  leaderId: string | null = null; // node ID of currentTerm's leader as far as this node knows; null: unknown
  commitIndex = 0; // highest log index known to be committed, 0: none (not on disk: learnt again after a restart)
  lastApplied = 0; // highest log index applied to the key-value map, 0: none

  constructor(
    private readonly disk: DiskState, // ./data
    readonly peers: PeerLink, // the other nodes of servers.txt, by index
  ) {
    this.id = disk.nodeId;
    this.log = new RaftLog(disk);
    const meta = disk.loadMeta();
    this.currentTerm = meta.currentTerm;
    this.votedFor = meta.votedFor;
  }

  get role(): Role {
    return this.currentRole;
  }

  /** Each change of role is one line on stderr (`node 3fa2c19e0b41: leader in term 4`): the logs then tell who led when. */
  set role(role: Role) {
    if (role !== this.currentRole) console.error(`node ${this.id}: ${role} in term ${this.currentTerm}`);
    this.currentRole = role;
  }

  /** How many nodes, this one included, make a majority of servers.txt. */
  get majority(): number {
    return Math.floor((this.peers.count + 1) / 2) + 1;
  }

  /** Writes currentTerm and votedFor to disk; returns once a SIGKILL cannot lose them. */
  persistTermAndVote(): void {
    this.disk.saveMeta({ currentTerm: this.currentTerm, votedFor: this.votedFor });
  }
}
