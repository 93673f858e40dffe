/**
 * Wing and Gong's search for a linearization of one key's operations, with the memo of Lowe's
 * refinement: a set of operations already linearized plus the register's state is never explored
 * twice. Operations are entries in a list of call and return events in time order; the search
 * takes the first call whose operation can take effect now, and backtracks when it reaches the
 * return of an operation that is still pending. An operation with no answer returns at +∞: once
 * the search reaches one, every completed operation has taken effect and the rest may never have.
 * Unanswered operations that cannot matter are left out first (withoutIdleOpen): trying them at
 * every place is what makes the search explode.
 */
import { step, type KvOperation, type RegisterState } from './kvHistory.ts';

export interface SearchLimits {
  deadline: number;          // performance.now() past which the search gives up
  maxStates: number;         // memo entries past which it gives up (a memory bound)
}

export type SearchOutcome = 'linearizable' | 'violation' | 'unknown';

interface Entry {
  op: number;                // index into the operations
  isCall: boolean;
  time: number;
  prev: Entry | undefined;
  next: Entry | undefined;
  match: Entry | undefined;  // a call's return entry
}

const CHECK_EVERY = 1024;    // iterations between two looks at the clock

export function searchKey(history: readonly KvOperation[], limits: SearchLimits): SearchOutcome {
  const ops = withoutIdleOpen(history);
  const head = eventList(ops);
  const memo = new Set<string>();
  const stack: { call: Entry; state: RegisterState }[] = [];
  let linearized = 0n;
  let state: RegisterState = null;
  let entry = head.next;
  for (let iteration = 0; entry !== undefined; iteration++) {
    if (iteration % CHECK_EVERY === 0 && (performance.now() > limits.deadline || memo.size > limits.maxStates)) return 'unknown';
    if (!entry.isCall) {
      if (entry.time === Infinity) return 'linearizable';
      const undo = stack.pop();
      if (undo === undefined) return 'violation';
      linearized &= ~(1n << BigInt(undo.call.op));
      state = undo.state;
      unlift(undo.call);
      entry = undo.call.next;
      continue;
    }
    const effect = step(state, ops[entry.op] as KvOperation);
    const bits = linearized | (1n << BigInt(entry.op));
    const seen = effect === undefined ? true : memo.has(`${bits.toString(36)}|${effect.next}`);
    if (effect === undefined || seen) {
      entry = entry.next;
      continue;
    }
    memo.add(`${bits.toString(36)}|${effect.next}`);
    stack.push({ call: entry, state });
    linearized = bits;
    state = effect.next;
    lift(entry);
    entry = head.next;
  }
  return 'linearizable';
}

/**
 * Leaves out the unanswered operations that no order depends on: a get without an answer changes
 * nothing, and a set without an answer whose value no answer shows may as well never have taken
 * effect (taking effect could only hide the value that was there).
 */
export function withoutIdleOpen(ops: readonly KvOperation[]): KvOperation[] {
  const seen = new Set(ops.filter((op) => op.result !== undefined && op.result !== null).map((op) => op.result as string));
  return ops.filter((op) => op.result !== undefined || (op.kind === 'set' && op.value !== undefined && seen.has(op.value)));
}

/** The call and return events of `ops` as a doubly linked list after a sentinel; a call comes before a return at the same time. */
function eventList(ops: readonly KvOperation[]): Entry {
  const events: Entry[] = [];
  ops.forEach((op, index) => {
    const call: Entry = { op: index, isCall: true, time: op.invokedUs, prev: undefined, next: undefined, match: undefined };
    // Without an answer (none came, or an error) it may take effect at any time later: it returns at +∞.
    const returnTime = op.result === undefined ? Infinity : (op.completedUs ?? Infinity);
    const ret: Entry = { op: index, isCall: false, time: returnTime, prev: undefined, next: undefined, match: undefined };
    call.match = ret;
    events.push(call, ret);
  });
  events.sort((a, b) => a.time - b.time || Number(b.isCall) - Number(a.isCall));
  const head: Entry = { op: -1, isCall: false, time: -Infinity, prev: undefined, next: undefined, match: undefined };
  let last = head;
  for (const event of events) {
    last.next = event;
    event.prev = last;
    last = event;
  }
  return head;
}

/** Takes a call and its return out of the list. */
function lift(call: Entry): void {
  for (const event of [call, call.match as Entry]) {
    (event.prev as Entry).next = event.next;
    if (event.next) event.next.prev = event.prev;
  }
}

/** Puts back a call and its return that lift() took out (in reverse order). */
function unlift(call: Entry): void {
  for (const event of [call.match as Entry, call]) {
    (event.prev as Entry).next = event;
    if (event.next) event.next.prev = event;
  }
}
