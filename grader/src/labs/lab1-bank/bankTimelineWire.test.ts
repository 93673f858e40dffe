import { describe, expect, test } from 'vitest';
import { bankLinkEnds, lineFramer } from './bankTimelineWire.ts';

describe('lab 1 timeline framing', () => {
  test('a line split across chunks is one message, and several lines in one chunk are several', () => {
    const framer = lineFramer();
    expect(framer.push('request', Buffer.from('ann b'))).toEqual([]);
    expect(framer.push('request', Buffer.from('en 10\ncat dan 5\nx'))).toEqual([
      { bytes: 11, summary: 'ann ben 10' },
      { bytes: 10, summary: 'cat dan 5' },
    ]);
    expect(framer.push('reply', Buffer.from('90 110\n'))).toEqual([{ bytes: 7, summary: '90 110' }]);
    expect(framer.flush('request')).toEqual([{ bytes: 1, summary: 'x' }]);
    expect(framer.flush('request')).toEqual([]);
  });

  test('long lines are shortened to about 60 characters', () => {
    const [message] = lineFramer().push('request', Buffer.from(`${'a'.repeat(100)}\n`));
    expect(message?.bytes).toBe(101);
    expect(message?.summary.length).toBeLessThanOrEqual(60);
  });

  test('a replica link is used by the coordinator when it runs, else by the client, else by the grader', () => {
    expect(bankLinkEnds('→a', ['a', 'b', 'coord'])).toEqual({ from: 'coord', to: 'a' });
    expect(bankLinkEnds('→b', ['a', 'b', 'clnt'])).toEqual({ from: 'clnt', to: 'b' });
    expect(bankLinkEnds('→b', ['a', 'b'])).toEqual({ from: 'grader', to: 'b' });
  });
});
