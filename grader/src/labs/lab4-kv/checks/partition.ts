/**
 * Part B, partitions: four nodes, every link between them through a proxy; the evaluator's
 * clients are pinned to the side of the node they ask first. First the busiest sender (the
 * leader, in a leader design) is cut off alone, then healed; then the nodes are cut two and two,
 * where no side has a majority, then healed. A side with a majority must answer; no side may
 * answer anything a single order of the operations cannot explain.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import type { KvCluster } from '../kvCluster.ts';
import { runScenario, type Phase } from '../kvScenario.ts';

const others = (cluster: KvCluster, node: number): number[] => cluster.ids.filter((id) => id !== node);

function phases(context: CheckContext, cluster: KvCluster): Phase[] {
  let leader = 0;
  return [
    { label: 'four nodes, no fault', act: () => undefined, ms: 3000, mustAnswer: 'all' },
    {
      label: 'the busiest sender cut off alone',
      act: () => {
        leader = cluster.busiestSender() ?? 0;
        context.note(`Node ${leader} sent the most to its peers in the last second: it is the one cut off, and then cut off with one other.`);
        return cluster.partition([[leader], others(cluster, leader)]);
      },
      ms: 8000,
      mustAnswer: 'majority',
    },
    { label: 'healed', act: () => cluster.heal(), ms: 5000, mustAnswer: 'all' },
    {
      label: 'cut two and two (no majority on either side)',
      act: () => {
        const [first, ...rest] = others(cluster, leader);
        return cluster.partition([[leader, first as number], rest]);
      },
      ms: 5000,
      mustAnswer: 'none',
    },
    { label: 'healed again', act: () => cluster.heal(), ms: 6000, mustAnswer: 'all' },
  ];
}

function run(context: CheckContext): Promise<void> {
  return runScenario(context, 4, (cluster) => phases(context, cluster));
}

export const partition: CheckDef = {
  id: 'lab4.B.partition',
  part: 'B',
  title: 'Partitions (one node alone, then two and two) and heals: a majority answers, nothing stale',
  points: 25,
  tags: [],
  faults: ['partition', 'heal'],
  timeoutMs: 120_000,
  run,
};
