/**
 * The grader's own replay of the lock service (handout, "Methods a replica answers" and "Every
 * replica"): entries executed in seq order, at most once per (client, clientSeq). The triggers use
 * it to know, as a `replicate` crosses a link, what the entry will return, e.g. that an acquire
 * will be GRANTED.
 */
export interface ModelEntry {
  seq: number;
  client: string;
  clientSeq: number;
  op: unknown;
}

export class LockModel {
  private last = 0;                                     // the last seq replayed
  private readonly holders = new Map<string, string>(); // lock -> owner
  private readonly executed = new Map<string, number>(); // client -> newest clientSeq executed

  /** Replays `entry` if it is the next seq, and returns its result; undefined for any other seq. */
  apply(entry: ModelEntry): string | undefined {
    if (entry.seq !== this.last + 1) return undefined;
    this.last = entry.seq;
    const done = this.executed.get(entry.client);
    if (done !== undefined && entry.clientSeq <= done) return 'DUPLICATE';
    this.executed.set(entry.client, entry.clientSeq);
    const { kind, lock, owner } = (entry.op ?? {}) as Record<string, unknown>;
    if (typeof lock !== 'string' || typeof owner !== 'string') return 'INVALID';
    if (kind === 'release') {
      this.holders.delete(lock);
      return 'OK';
    }
    if (kind !== 'acquire') return 'INVALID';
    if (this.holders.has(lock)) return 'RETRY';
    this.holders.set(lock, owner);
    return 'GRANTED';
  }
}
