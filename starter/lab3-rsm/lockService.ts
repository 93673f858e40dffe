// lab3-rsm lock service: the state machine every replica runs. Given code: do not edit; the grader uses its own copy.
//
// apply() is deterministic and never blocks: the same operations in the same order give the same
// results and the same snapshot on every replica. An acquire of a held lock answers RETRY at once
// (the client asks again later) instead of waiting, which would stall every request behind it.
// The service trusts its clients: a release frees the lock whoever holds it, so a release executed
// twice can free the lock of the next holder. That is why the RSM must execute a request at most once.

/** An operation, as clients send it in `invoke`'s `op`. */
export interface LockOp {
  kind: 'acquire' | 'release';
  lock: string; // the lock's name
  owner: string; // who asks: a lock is held by one owner at a time
}

/** GRANTED or RETRY for an acquire; OK for a release; INVALID for an op that is not a LockOp (nothing changes). */
export type LockResult = 'GRANTED' | 'RETRY' | 'OK' | 'INVALID';

export function isLockOp(op: unknown): op is LockOp {
  const { kind, lock, owner } = (op ?? {}) as Record<string, unknown>;
  return (kind === 'acquire' || kind === 'release') && typeof lock === 'string' && typeof owner === 'string';
}

export class LockService {
  private holders = new Map<string, string>(); // lock name -> its owner; a free lock is absent

  apply(op: unknown): LockResult {
    if (!isLockOp(op)) return 'INVALID';
    if (op.kind === 'release') {
      this.holders.delete(op.lock);
      return 'OK';
    }
    if (this.holders.has(op.lock)) return 'RETRY'; // also when `owner` holds it: locks are not re-entrant
    this.holders.set(op.lock, op.owner);
    return 'GRANTED';
  }

  /** The held locks and their owners, sorted by lock name: equal states give equal JSON. */
  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.holders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Replaces the state with a snapshot() of another replica. */
  restore(state: unknown): void {
    const entries = Object.entries((state ?? {}) as Record<string, unknown>);
    this.holders = new Map(entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }
}
