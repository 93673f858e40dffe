import { describe, expect, it } from 'vitest';
import { formatTail } from './waitForPort.ts';

describe('formatTail', () => {
  it("keeps V8's out-of-memory line and drops the native stack trace below it (as printed by a process V8 aborted)", () => {
    const printed = [
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      '----- Native stack trace -----',
      '',
      ...[...Array(15).keys()].map((index) => ` ${index + 1}: 0x10fb205 v8::internal::Heap::CollectGarbage() [/usr/bin/node]`),
    ];
    expect(formatTail(printed)).toBe('\n  Its last output:\n    | FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');
  });

  it('drops JavaScript stack frames and keeps the error line', () => {
    expect(formatTail(['Error: boom', '    at main (/x/coord.ts:3:9)', 'Node.js v20.20.2'])).toBe('\n  Its last output:\n    | Error: boom');
  });

  it('says when nothing was printed', () => {
    expect(formatTail(['', '  '])).toBe(' It printed nothing.');
  });
});
