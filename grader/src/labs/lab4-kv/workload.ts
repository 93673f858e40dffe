/**
 * The evaluator's load: clients in the grader, each one request at a time in a closed loop, each
 * pinned to the nodes it may reach (one side of a partition, say) and to a small group of keys,
 * so that every key has few clients and the linearizability search stays small. Every set writes
 * a value no other set writes, so a read shows exactly which write it saw. Runs until stopped.
 */
import type { Rng } from '../../harness/rng.ts';
import type { KvOperation } from './linearizability/kvHistory.ts';
import { recordCall } from './kvCall.ts';
import type { KvRequest } from './kvProtocol.ts';

export interface WorkloadClient {
  name: string;
  ports: () => readonly number[];  // the node ports it may use now; it takes the next one after a failure
  keys: readonly string[];
}

export interface WorkloadPlan {
  clients: readonly WorkloadClient[];
  setFraction: number;             // share of requests that are sets
  timeoutMs: number;               // per request; then it counts as unanswered and the client moves on
  pauseMs: number;                 // between two requests of a client
  rng: Rng;
}

export interface Workload {
  history: KvOperation[];          // grows while it runs
  stop: () => Promise<void>;       // resolves once every client has finished its request in flight
}

export function startWorkload(plan: WorkloadPlan): Workload {
  const history: KvOperation[] = [];
  let running = true;
  let nextId = 0;
  const loops = plan.clients.map(async (client) => {
    let node = 0;
    for (let round = 0; running; round++) {
      const ports = client.ports();
      if (ports.length === 0) break;
      const key = client.keys[plan.rng.int(0, client.keys.length - 1)] as string;
      const request: KvRequest = plan.rng.next() < plan.setFraction ? { kind: 'set', key, value: `${client.name}.${round}` } : { kind: 'get', key };
      const { op } = await recordCall(nextId++, client.name, ports[node % ports.length] as number, request, plan.timeoutMs);
      history.push(op);
      if (op.result === undefined) node += 1; // no answer: try the next node it may reach
      await new Promise((resolve) => setTimeout(resolve, plan.pauseMs));
    }
  });
  return {
    history,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
