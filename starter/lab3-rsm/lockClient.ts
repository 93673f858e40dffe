// lab3-rsm lock client: acquire and release through the RSM client. Given code: do not edit; the grader uses its own copy.
//
// A grant is never pushed to a client: on RETRY the client waits a little and asks again. So when
// the master fails, no grant can be lost on the way; the next ask reaches the new master.
import type { LockOp, LockResult } from './lockService.ts';

/** What the lock client needs from an RSM client (rsmClient.ts's RsmClient has it). */
export interface Invoker {
  call(op: object): Promise<unknown>; // executes `op` once on the replicated service and resolves with its result
}

const FIRST_WAIT_MS = 5; // wait after the first RETRY
const LONGEST_WAIT_MS = 20; // the wait grows up to this

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class LockClient {
  constructor(private readonly rsm: Invoker) {}

  /** Resolves once `owner` holds `lock`, however long that takes; rejects when the RSM call fails. */
  async acquire(lock: string, owner: string): Promise<void> {
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
      const result = await this.send({ kind: 'acquire', lock, owner });
      if (result === 'GRANTED') return;
      if (result !== 'RETRY') throw new Error(`acquire ${lock}: unexpected result ${JSON.stringify(result)}`);
      await sleep(wait);
    }
  }

  /** Frees `lock`; rejects when the RSM call fails. */
  async release(lock: string, owner: string): Promise<void> {
    const result = await this.send({ kind: 'release', lock, owner });
    if (result !== 'OK') throw new Error(`release ${lock}: unexpected result ${JSON.stringify(result)}`);
  }

  private async send(op: LockOp): Promise<LockResult | unknown> {
    return this.rsm.call(op);
  }
}
