/**
 * Linearizable histories made up for tests and the benchmark: clients, each one operation at a
 * time, on a few keys each; every operation takes effect at a random moment inside its own
 * interval, in a real register, so the history is linearizable by construction.
 */
import { createRng } from '../../../harness/rng.ts';
import type { KvOperation } from './kvHistory.ts';

export interface HistoryPlan {
  operations: number;
  clients: number;
  keys: number;
  clientsPerKey: number;     // each key is used by this many clients
  seed: number;
}

export function generateHistory(plan: HistoryPlan): KvOperation[] {
  const rng = createRng(plan.seed);
  const clientKeys = (client: number): number[] => Array.from({ length: plan.keys }, (_, key) => key).filter((key) => key % Math.ceil(plan.clients / plan.clientsPerKey) === client % Math.ceil(plan.clients / plan.clientsPerKey));
  const clock = Array.from({ length: plan.clients }, () => 0);
  const pending: { op: KvOperation; effectAt: number }[] = [];
  for (let id = 0; id < plan.operations; id++) {
    const client = rng.int(0, plan.clients - 1);
    const keys = clientKeys(client);
    const key = `k${keys[rng.int(0, keys.length - 1)]}`;
    const invokedUs = (clock[client] as number) + rng.int(1, 50);
    const completedUs = invokedUs + rng.int(10, 300);
    clock[client] = completedUs;
    const kind = rng.int(0, 1) === 0 ? 'get' : 'set';
    const op: KvOperation = { id, client: `c${client}`, key, kind, invokedUs, completedUs, ...(kind === 'set' ? { value: `v${id}` } : {}) };
    pending.push({ op, effectAt: rng.int(invokedUs, completedUs) });
  }
  const registers = new Map<string, string | null>();
  for (const { op } of pending.sort((a, b) => a.effectAt - b.effectAt)) {
    const before = registers.get(op.key) ?? null;
    op.result = before;
    if (op.kind === 'set') registers.set(op.key, op.value ?? null);
  }
  return pending.map(({ op }) => op).sort((a, b) => a.id - b.id);
}
