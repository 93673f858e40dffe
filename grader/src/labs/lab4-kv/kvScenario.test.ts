import { describe, expect, it } from 'vitest';
import { planClients } from './kvScenario.ts';

describe('lab 4 scenario', () => {
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
