/** The bank's state machine as the lab defines it, replayed by the grader to judge replicas. */

export const INITIAL_BALANCE = 100;

export interface Transfer {
  from: string;
  to: string;
  amount: number;
}

/**
 * Reads `FROM TO AMOUNT` from the start of a request line. Anything after AMOUNT (a timestamp, in
 * whatever encoding the student chose) is ignored, as is a non-digit suffix glued to AMOUNT
 * (`40;# Sat, ...`).
 */
export function parseTransfer(line: string): Transfer | undefined {
  const match = /^\s*(\S+)\s+(\S+)\s+(\d+)/.exec(line);
  if (!match) return undefined;
  return { from: match[1] as string, to: match[2] as string, amount: Number(match[3]) };
}

export const transferKey = (transfer: Transfer): string => `${transfer.from} ${transfer.to} ${transfer.amount}`;

/** A reply line `BALANCE_FROM BALANCE_TO`, or undefined if the line is not one. */
export function parseReply(line: string): [number, number] | undefined {
  const match = /^\s*(-?\d+)\s+(-?\d+)\s*$/.exec(line);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export class BankLedger {
  private readonly balances = new Map<string, number>();

  balance(account: string): number {
    return this.balances.get(account) ?? INITIAL_BALANCE;
  }

  /** Applies a transfer by the lab's rule and returns the reply a correct server gives. */
  apply(transfer: Transfer): string {
    const fromBalance = this.balance(transfer.from);
    if (fromBalance > transfer.amount) {
      this.balances.set(transfer.from, fromBalance - transfer.amount);
      this.balances.set(transfer.to, this.balance(transfer.to) + transfer.amount);
    } else {
      this.balances.set(transfer.from, fromBalance);
      this.balances.set(transfer.to, this.balance(transfer.to));
    }
    return `${this.balance(transfer.from)} ${this.balance(transfer.to)}`;
  }

  /** Every account seen, in the data file's order. */
  snapshot(): Map<string, number> {
    return new Map([...this.balances].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

export const sameReply = (a: string, b: string): boolean => {
  const left = parseReply(a);
  const right = parseReply(b);
  return left !== undefined && right !== undefined && left[0] === right[0] && left[1] === right[1];
};
