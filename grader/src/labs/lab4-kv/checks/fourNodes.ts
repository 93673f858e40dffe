/**
 * Part B without faults, four nodes (a leader must be elected): a value set through one node is what every other node answers right
 * after (the set has completed, so a linearizable read must see it), then the evaluator's clients
 * on every node, judged linearizable.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import type { Findings } from '../../../check/findings.ts';
import type { KvCluster } from '../kvCluster.ts';
import { expectOld } from '../kvProbe.ts';
import { runScenario, type Phase } from '../kvScenario.ts';

const SECTION = 'Consistency';

/** For each ordered pair of nodes: a set through the first, then a get through the second. */
async function probeAcrossNodes(cluster: KvCluster, findings: Findings): Promise<void> {
  for (const from of cluster.ids) {
    for (const to of cluster.ids.filter((id) => id !== from)) {
      const key = `probe.${from}.${to}`;
      const set = await expectOld(cluster.clientPort(from), `node ${from}`, { kind: 'set', key, value: `from${from}` }, null, findings, SECTION);
      if (set) await expectOld(cluster.clientPort(to), `node ${to} (right after the set through node ${from} was answered)`, { kind: 'get', key }, `from${from}`, findings, SECTION);
    }
  }
}

function run(context: CheckContext): Promise<void> {
  const phases = (): Phase[] => [{ label: 'four nodes, no fault', act: () => undefined, ms: 5000, mustAnswer: 'all' }];
  return runScenario(context, 4, phases, probeAcrossNodes);
}

export const fourNodes: CheckDef = {
  id: 'lab4.B.four-nodes',
  part: 'B',
  title: 'Four nodes: every node answers what any node set, and a linearizable history',
  points: 15,
  tags: [],
  faults: [],
  timeoutMs: 90_000,
  run,
};
