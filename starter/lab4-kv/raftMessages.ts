// lab4-kv peer message types (AppendEntries, RequestVote, forward) and their checks. Given code: do not edit; the grader uses its own copy.
//
// `as...` functions take a received body (a message or an answer) and return it typed, or throw
// BadMessageError when a field is missing or has the wrong type.
import { isKvRequest, type KvRequest } from './kvProtocol.ts';
import type { Body } from './peerLink.ts';
import { isEntry, type Entry } from './raftLog.ts';

/** POST /peer/append: the leader's AppendEntries (also its heartbeat, with no entries). */
export interface AppendArgs {
  term: number; // the leader's currentTerm
  leaderId: string; // the leader's node ID
  prevLogIndex: number; // index of the entry just before `entries`
  prevLogTerm: number; // its term (0 for index 0)
  entries: Entry[]; // the entries from prevLogIndex + 1 on; empty for a heartbeat
  leaderCommit: number; // the leader's commitIndex
}

export interface AppendReply {
  term: number; // the follower's currentTerm, for the leader to step down if it is newer
  success: boolean; // true: its log now holds prevLogIndex + entries.length entries that match the leader's
  conflictIndex: number; // when !success: the index the leader should send from next (a hint; 0 when the term was stale)
}

/** POST /peer/vote: a candidate's RequestVote. */
export interface VoteArgs {
  term: number; // the candidate's currentTerm
  candidateId: string; // its node ID
  lastLogIndex: number; // index of its newest entry
  lastLogTerm: number; // term of its newest entry
}

export interface VoteReply {
  term: number; // the voter's currentTerm
  granted: boolean; // true: the vote of currentTerm goes to the candidate
}

/** POST /peer/forward: a client request a follower hands to the leader it knows. */
export interface ForwardArgs {
  request: KvRequest;
  waitMs: number; // how long the leader may take; it answers before
}

export type ForwardReply =
  | { outcome: 'done'; old: string | null } // carried out: the old value (for a get, the current one)
  | { outcome: 'not-leader'; leaderId: string | null } // not the leader: nothing done; the leader it knows, if any
  | { outcome: 'failed'; message: string }; // the leader could not carry it out now

/** A message that does not have the fields its kind needs. */
export class BadMessageError extends Error {
  override name = 'BadMessageError';
}

const isInt = (value: unknown): value is number => Number.isSafeInteger(value);
const isId = (value: unknown): value is string => typeof value === 'string' && value !== '';

function check<T>(body: Body, ok: boolean, what: string): T {
  if (!ok) throw new BadMessageError(`a ${what} with a field missing or of the wrong type (its fields: ${Object.keys(body).join(', ')})`);
  return body as unknown as T;
}

export function asAppendArgs(b: Body): AppendArgs {
  const ok = isInt(b.term) && isId(b.leaderId) && isInt(b.prevLogIndex) && isInt(b.prevLogTerm) && isInt(b.leaderCommit);
  return check(b, ok && Array.isArray(b.entries) && b.entries.every(isEntry), 'AppendEntries');
}

export const asAppendReply = (b: Body): AppendReply => check(b, isInt(b.term) && typeof b.success === 'boolean' && isInt(b.conflictIndex), 'AppendEntries answer');

export const asVoteArgs = (b: Body): VoteArgs => check(b, isInt(b.term) && isId(b.candidateId) && isInt(b.lastLogIndex) && isInt(b.lastLogTerm), 'RequestVote');

export const asVoteReply = (b: Body): VoteReply => check(b, isInt(b.term) && typeof b.granted === 'boolean', 'RequestVote answer');

export const asForwardArgs = (b: Body): ForwardArgs => check(b, isKvRequest(b.request) && isInt(b.waitMs), 'forward');

export function asForwardReply(b: Body): ForwardReply {
  const ok =
    (b.outcome === 'done' && (b.old === null || typeof b.old === 'string')) ||
    (b.outcome === 'not-leader' && (b.leaderId === null || isId(b.leaderId))) ||
    (b.outcome === 'failed' && typeof b.message === 'string');
  return check(b, ok, 'forward answer');
}
