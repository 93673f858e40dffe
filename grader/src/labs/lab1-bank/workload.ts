/**
 * The grader's clients for lab1. Every transfer of a run has a distinct AMOUNT, so a request seen
 * on a replica's link is matched to the client that sent it whatever the timestamp encoding.
 * Few accounts and amounts around the balances make order matter: most pairs of requests conflict.
 */
import type { Rng } from '../../harness/rng.ts';
import type { Transfer } from './bankLedger.ts';
import { sendRequest } from './bankWire.ts';
import type { ClientRequest } from './replicaAudit.ts';

export const CONFLICT_ACCOUNTS = ['ann', 'ben', 'cat', 'dan'];
export const REQUEST_TIMEOUT_MS = 5000;

/** Hands out distinct amounts in a seeded order. */
export class AmountPool {
  private readonly amounts: number[];

  constructor(rng: Rng, largest = 160) {
    this.amounts = rng.shuffle(Array.from({ length: largest }, (_, index) => index + 1));
  }

  take(): number {
    const amount = this.amounts.pop();
    if (amount === undefined) throw new Error('the amount pool is exhausted; the workload is larger than it was sized for');
    return amount;
  }
}

export function randomTransfer(rng: Rng, pool: AmountPool, accounts: readonly string[] = CONFLICT_ACCOUNTS): Transfer {
  const from = rng.pick(accounts);
  const to = rng.pick(accounts.filter((account) => account !== from));
  return { from, to, amount: pool.take() };
}

/** Sequences of transfers, one per client. */
export function makeWorkload(rng: Rng, pool: AmountPool, clients: number, perClient: number): Transfer[][] {
  return Array.from({ length: clients }, () => Array.from({ length: perClient }, () => randomTransfer(rng, pool)));
}

/**
 * Runs each client's sequence against `port`, all clients at once; each waits for a reply before
 * its next request, and stops at the first request that gets no reply.
 */
export interface Numbering {
  firstClient?: number;     // the number of the first client, so that messages name each client once
  firstSeq?: number;        // the number of each client's first request
}

export async function runClients(port: number, workload: readonly Transfer[][], numbering: Numbering = {}): Promise<ClientRequest[]> {
  const { firstClient = 1, firstSeq = 1 } = numbering;
  const perClient = await Promise.all(
    workload.map(async (transfers, index) => {
      const done: ClientRequest[] = [];
      for (const [seq, transfer] of transfers.entries()) {
        const line = `${transfer.from} ${transfer.to} ${transfer.amount}`;
        const outcome = await sendRequest(port, line, REQUEST_TIMEOUT_MS);
        done.push({ client: firstClient + index, seq: firstSeq + seq, transfer, outcome });
        if (outcome.error !== undefined) break; // a silent coordinator would cost a timeout per request
      }
      return done;
    }),
  );
  return perClient.flat();
}
