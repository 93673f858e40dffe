// lab2-factory state: one factory's state-machine log, customer records and replication indexes (handout parts A and B).
//
// Engineers, the admin and the backup role all use the one FactoryState of their server. Node runs
// them on one thread and switches between them only at an `await`, so a method that does not await
// runs whole: no reader ever sees half an update, and no lock is needed.
import { NO_RECORD, Opcode, type CustomerRecord, type MapOp, type Status } from './messages.ts';

export class FactoryState {
  readonly log: MapOp[] = []; // the state-machine log: entry i at index i, committed or not
  readonly records = new Map<number, number>(); // customer_id -> last_order, from committed entries only
  lastIndex = -1; // index of the newest entry in the log, -1 when empty
  committedIndex = -1; // index of the newest entry committed and applied to records, -1 when none
  primaryId = -1; // ID of the factory this one believes is the primary, -1 when none

  constructor(readonly factoryId: number) {} // this factory's ID, from the command line

  /** The Status message that describes this state (request type 4). */
  status(): Status {
    return {
      factoryId: this.factoryId,
      primaryId: this.primaryId,
      lastIndex: this.lastIndex,
      committedIndex: this.committedIndex,
    };
  }

  /*
   * Part A.
   * - append(op) adds `op` to the log as its newest entry, without applying it, and returns its index.
   * - commitThrough(index) commits every entry up to `index` and applies each to the records, in
   *   index order, each exactly once. It never goes past the last index and never backwards: with
   *   an index at or below the committed index it changes nothing.
   * - recordOf(customerId) returns that customer's record, NO_RECORD when it has none. It changes nothing.
   */
  // TODO(lab2, part A): keep the log and apply its committed entries to the records.
  append(op: MapOp): number {
    this.log.push({ ...op });
    this.lastIndex = this.log.length - 1;
    return this.lastIndex;
  }

  commitThrough(index: number): void {
    const end = Math.min(index, this.lastIndex);
    for (let i = this.committedIndex + 1; i <= end; i++) {
      const op = this.log[i] as MapOp; // i <= lastIndex: the entry exists
      if (op.opcode === Opcode.SET_LAST_ORDER) this.records.set(op.arg1, op.arg2);
      this.committedIndex = i;
    }
  }

  recordOf(customerId: number): CustomerRecord {
    const lastOrder = this.records.get(customerId);
    return lastOrder === undefined ? { ...NO_RECORD } : { customerId, lastOrder };
  }
  // END TODO(lab2, part A)

  /*
   * Part B. storeAt(index, op) is a backup's step 2: it stores `op` at `index`, drops every entry
   * after it, and makes `index` the last index. It applies nothing and leaves the committed index
   * as it is. An `index` at or below the committed index changes nothing: a committed entry is
   * final. `index` is at most lastIndex + 1 (no gap in the log); otherwise it throws a
   * RangeError and changes nothing.
   */
  // TODO(lab2, part B): store an entry the primary sent, at the index it says.
  storeAt(index: number, op: MapOp): void {
    if (!Number.isInteger(index) || index < 0 || index > this.lastIndex + 1) {
      throw new RangeError(`cannot store an entry at index ${index}: the last index is ${this.lastIndex}`);
    }
    if (index <= this.committedIndex) return; // being brought up to date: this entry is already final here
    this.log.length = index; // drops the entry at `index` and every one after it
    this.log.push({ ...op });
    this.lastIndex = index;
  }
  // END TODO(lab2, part B)
}
