import { describe, expect, test } from 'vitest';
import type { LinkEvent } from '../harness/linkProxy.ts';
import { LinkMessageLog } from './linkMessages.ts';
import { lineFramer } from '../labs/lab1-bank/bankTimelineWire.ts';

const data = (t: number, receivedAt: number, direction: 'request' | 'reply', text: string, exchange = 1): LinkEvent =>
  ({ t, link: '→a', kind: 'data', exchange, direction, bytes: Buffer.from(text), receivedAt, delayMs: 0 });

describe('LinkMessageLog', () => {
  test('a message is sent when its first byte reached the proxy and received when its last was delivered', () => {
    const log = new LinkMessageLog({ framer: lineFramer, linkEnds: (_link, live) => ({ from: live[0] ?? 'grader', to: 'a' }) }, 1000, () => ['coord']);
    log.observe({ t: 1001, link: '→a', kind: 'accept', exchange: 1 });
    log.observe(data(1012, 1010, 'request', 'ann b'));
    log.observe(data(1022, 1020, 'request', 'en 1\ncat dan 2\n'));
    log.observe(data(1030, 1025, 'reply', '99 101\n'));
    log.observe({ t: 1031, link: '→a', kind: 'close', exchange: 1 });
    expect(log.all()).toEqual([
      { id: 1, link: '→a', from: 'coord', to: 'a', sentMs: 10, receivedMs: 22, bytes: 10, summary: 'ann ben 1' },
      { id: 2, link: '→a', from: 'coord', to: 'a', sentMs: 20, receivedMs: 22, bytes: 10, summary: 'cat dan 2' },
      { id: 3, link: '→a', from: 'a', to: 'coord', sentMs: 25, receivedMs: 30, bytes: 7, summary: '99 101' },
    ]);
  });

  test('without a lab framer every chunk is a message, and the link name gives its ends', () => {
    const log = new LinkMessageLog(undefined, 0, () => []);
    log.observe({ ...data(5, 4, 'request', 'abc'), link: 'x→y' });
    log.observe({ ...data(9, 8, 'reply', 'de'), link: 'x→y' });
    expect(log.all().map((m) => [m.from, m.to, m.summary])).toEqual([['x', 'y', '3 bytes'], ['y', 'x', '2 bytes']]);
  });
});
