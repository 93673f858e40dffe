import { describe, expect, test } from 'vitest';
import { rsmFramer, rsmLinkEnds } from './rsmTimelineWire.ts';

const line = (value: object): string => `${JSON.stringify(value)}\n`;

describe('lab 3 timeline framing', () => {
  test('requests split across chunks, replies named after the request they answer', () => {
    const framer = rsmFramer();
    const replicate = line({ id: 3, method: 'replicate', args: { seq: 41, client: '2.1.6a4d405d', clientSeq: 7, op: { kind: 'acquire', lock: 's1', owner: '2.1' } } });
    const ping = line({ id: 4, method: 'ping', args: { from: 0 } });
    const stream = Buffer.from(replicate + ping);
    expect(framer.push('request', stream.subarray(0, 20))).toEqual([]);
    expect(framer.push('request', stream.subarray(20)).map((m) => m.summary)).toEqual(['replicate #41 (acquire s1, 2.1#7)', 'ping']);
    const replies = line({ id: 4, ok: true, result: { id: 1 } }) + line({ id: 3, ok: false, error: 'OUT_OF_ORDER', message: 'x', result: { last: 39 } });
    expect(framer.push('reply', Buffer.from(replies)).map((m) => m.summary)).toEqual(['ping ok', 'OUT_OF_ORDER last=39']);
  });

  test('a client connection: invoke, its result, NOT_MASTER; byte counts include the newline', () => {
    const framer = rsmFramer();
    const invoke = line({ id: 1, method: 'invoke', args: { client: '3.0.deadbeef', clientSeq: 2, op: { kind: 'release', lock: 's0', owner: '3.0' } } });
    expect(framer.push('request', Buffer.from(invoke))).toEqual([{ bytes: Buffer.byteLength(invoke), summary: 'invoke release s0 (3.0#2)' }]);
    expect(framer.push('reply', Buffer.from(line({ id: 1, ok: true, result: 'OK' }))).map((m) => m.summary)).toEqual(['OK']);
    expect(framer.push('reply', Buffer.from(line({ id: 9, ok: false, error: 'NOT_MASTER', message: 'm', result: { master: 1 } }))).map((m) => m.summary)).toEqual(['NOT_MASTER (master 1)']);
    framer.push('request', Buffer.from('{"id": 5, "meth'));
    expect(framer.flush('request')).toEqual([{ bytes: 15, summary: '15 bytes (an incomplete line)' }]);
  });

  test('links join replicas and testers, the newest process of a replica when it was started again', () => {
    expect(rsmLinkEnds('0→2', ['replica0', 'replica1', 'replica2'])).toEqual({ from: 'replica0', to: 'replica2' });
    expect(rsmLinkEnds('tester1→0', ['replica0', 'tester1'])).toEqual({ from: 'tester1', to: 'replica0' });
    expect(rsmLinkEnds('1→2', ['replica1', 'replica2', 'replica2-attempt2'])).toEqual({ from: 'replica1', to: 'replica2-attempt2' });
  });
});
