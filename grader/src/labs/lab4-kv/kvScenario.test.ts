import { describe, expect, it } from 'vitest';
import { countStaleReads, planClients } from './kvScenario.ts';
import type { KvOperation } from './linearizability/kvHistory.ts';

let nextId = 0;
const set = (value: string, invokedUs: number, completedUs?: number, result: string | null = null): KvOperation =>
  ({ id: nextId++, client: 'w', key: 'a', kind: 'set', value, invokedUs, ...(completedUs === undefined ? {} : { completedUs, result }) });
const get = (result: string | null, invokedUs: number): KvOperation => ({ id: nextId++, client: 'r', key: 'a', kind: 'get', invokedUs, completedUs: invokedUs + 1, result });

describe('lab 4 scenario', () => {
  it('counts a get older than the newest set completed before it as stale, and only that', () => {
    expect(countStaleReads([set('1', 0, 10), get(null, 20)])).toBe(1);
    expect(countStaleReads([set('1', 0, 10), get('1', 20)])).toBe(0);
    expect(countStaleReads([set('1', 0, 10), set('2', 12, 18, '1'), get('1', 20)])).toBe(1);
    expect(countStaleReads([set('1', 0, 10), set('2', 15, 30, '1'), get('2', 20)])).toBe(0); // overlapping the get: may be newer
    expect(countStaleReads([set('1', 0, 10), set('2', 15), get('2', 20)])).toBe(0);        // never answered: may have taken effect
    expect(countStaleReads([get(null, 5), set('1', 10, 20)])).toBe(0);                       // nothing completed before the get
  });

  it('spreads the clients of each key group over different nodes, at most three per key', () => {
    for (const nodes of [1, 2, 3, 4]) {
      const clients = planClients(nodes);
      expect(clients.length).toBeGreaterThanOrEqual(Math.max(3, 2 * nodes));
      const perKey = new Map<string, number[]>();
      for (const client of clients) for (const key of client.keys) perKey.set(key, [...(perKey.get(key) ?? []), client.home]);
      for (const homes of perKey.values()) {
        expect(homes.length).toBeLessThanOrEqual(3);
        if (nodes >= 3) expect(new Set(homes).size).toBe(homes.length);
      }
      expect(new Set(clients.map((client) => client.home)).size).toBe(nodes);
    }
  });
});
