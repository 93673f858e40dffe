import { describe, it, expect } from 'vitest';
import { BankLedger, parseReply, parseTransfer } from './bankLedger.ts';
import { parseDataFile, sideBySide } from './dataFile.ts';

describe('bank ledger', () => {
  it('applies a transfer only when FROM has more than AMOUNT', () => {
    const ledger = new BankLedger();
    expect(ledger.apply({ from: 'x', to: 'y', amount: 100 })).toBe('100 100');
    expect(ledger.apply({ from: 'x', to: 'y', amount: 99 })).toBe('1 199');
    expect(ledger.apply({ from: 'x', to: 'y', amount: 1 })).toBe('1 199');
    expect(ledger.apply({ from: 'x', to: 'x', amount: 50 })).toBe('1 1');
    expect([...ledger.snapshot()]).toEqual([['x', 1], ['y', 199]]);
  });

  it('reads FROM TO AMOUNT whatever timestamp encoding follows', () => {
    expect(parseTransfer('ann ben 40')).toEqual({ from: 'ann', to: 'ben', amount: 40 });
    expect(parseTransfer('ann ben 40 1795235918777')).toEqual({ from: 'ann', to: 'ben', amount: 40 });
    expect(parseTransfer('ann ben 40;# Sat, 21 Nov 2026 04:12:00 +0000')).toEqual({ from: 'ann', to: 'ben', amount: 40 });
    expect(parseTransfer('STATE')).toBeUndefined();
    expect(parseReply('60 140\n')).toEqual([60, 140]);
    expect(parseReply('ERROR not implemented')).toBeUndefined();
  });
});

describe('data file', () => {
  it('parses a well-formed file', () => {
    const file = parseDataFile('# Sat, 21 Nov 2026 04:12:00 +0000\nann 60\nben 140\n');
    expect(file.problems).toEqual([]);
    expect(file.timestamp?.toISOString()).toBe('2026-11-21T04:12:00.000Z');
    expect(file.balances.get('ben')).toBe(140);
  });

  it('names each format problem', () => {
    const file = parseDataFile('# 2026-11-21T04:12:00Z\nben 140\nann 60\nbroken line\n');
    expect(file.problems.join('\n')).toContain('first line');
    expect(file.problems.join('\n')).toContain('out of order');
    expect(file.problems.join('\n')).toContain('not "ACCOUNT BALANCE"');
  });

  it('shows two tables side by side and marks differences', () => {
    const table = sideBySide('a', new Map([['ann', 60]]), 'b', new Map([['ann', 70]]));
    expect(table).toContain('differs');
  });
});
