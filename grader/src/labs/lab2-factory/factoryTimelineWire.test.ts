import { describe, expect, test } from 'vitest';
import { factoryFramer, factoryLinkEnds } from './factoryTimelineWire.ts';
import { ROLE, encode } from './factoryWire.ts';

const int = (value: number): Buffer => encode('role', { role: value });

describe('lab 2 timeline framing', () => {
  test('an admin connection: identification, replication requests split and joined across chunks, replies', () => {
    const framer = factoryFramer();
    const first = encode('replicationRequest', { factoryId: 2, committedIndex: 8, lastIndex: 9, opcode: 1, arg1: 4, arg2: 7 });
    const second = encode('replicationRequest', { factoryId: 2, committedIndex: 9, lastIndex: 10, opcode: 1, arg1: 5, arg2: 1 });
    const stream = Buffer.concat([int(ROLE.admin), first, second]);
    expect(framer.push('request', stream.subarray(0, 10))).toEqual([{ bytes: 4, summary: 'hello: primary admin' }]);
    expect(framer.push('request', stream.subarray(10))).toEqual([
      { bytes: 24, summary: 'replicate #9 (factory 2, committed 8)' },
      { bytes: 24, summary: 'replicate #10 (factory 2, committed 9)' },
    ]);
    expect(framer.push('reply', encode('replicationReply', { factoryId: 3, lastIndex: 9 }))).toEqual([{ bytes: 8, summary: 'ack #9 (factory 3)' }]);
  });

  test('a customer connection: each reply is decoded by the request it answers', () => {
    const framer = factoryFramer();
    framer.push('request', int(ROLE.customer));
    const order = encode('customerRequest', { customerId: 3, orderNumber: 5, requestType: 1 });
    const read = encode('customerRequest', { customerId: 3, orderNumber: -1, requestType: 2 });
    expect(framer.push('request', Buffer.concat([order, read])).map((m) => m.summary)).toEqual(['order 5 (customer 3)', 'read (customer 3)']);
    const robot = encode('robotInfo', { customerId: 3, orderNumber: 5, requestType: 1, engineerId: 0, adminId: 1 });
    const record = encode('customerRecord', { customerId: 3, lastOrder: 5 });
    const replies = Buffer.concat([robot, record]);
    expect(framer.push('reply', replies.subarray(0, 25))).toEqual([{ bytes: 20, summary: 'robot: customer 3 order 5 (admin 1)' }]);
    expect(framer.push('reply', replies.subarray(25))).toEqual([{ bytes: 8, summary: 'record: customer 3 last order 5' }]);
  });

  test('bytes outside the protocol are reported as such, an unfinished message at close as incomplete', () => {
    const framer = factoryFramer();
    expect(framer.push('request', Buffer.concat([int(7), Buffer.alloc(6)]))).toEqual([
      { bytes: 4, summary: 'hello: role 7' },
      { bytes: 6, summary: '6 bytes (not in the protocol here)' },
    ]);
    const admin = factoryFramer();
    admin.push('request', Buffer.concat([int(ROLE.admin), Buffer.alloc(10)]));
    expect(admin.flush('request')).toEqual([{ bytes: 10, summary: '10 bytes (an incomplete message)' }]);
  });

  test('link i→j joins factory i and factory j, or the restarted one while it runs', () => {
    expect(factoryLinkEnds('0→2', ['factory0', 'factory1', 'factory2'])).toEqual({ from: 'factory0', to: 'factory2' });
    expect(factoryLinkEnds('0→2', ['factory0', 'factory1', 'factory2-restarted'])).toEqual({ from: 'factory0', to: 'factory2-restarted' });
  });
});
