/**
 * Part B, partitions: four nodes, every link between them through a proxy; the evaluator's
 * clients are pinned to the side of the node they ask first. First the busiest sender (the
 * leader, in a leader design) is cut off alone, then healed; then the nodes are cut two and two,
 * where no side has a majority, then healed. A side with a majority must answer; no side may
 * answer anything a single order of the operations cannot explain.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import { KvCluster } from '../kvCluster.ts';
import { awaitReady } from '../kvProbe.ts';
import { judgeRun, runPhases } from '../kvScenario.ts';

const others = (cluster: KvCluster, node: number): number[] => cluster.ids.filter((id) => id !== node);

async function run(context: CheckContext): Promise<void> {
  const cluster = await KvCluster.create(context, 4);
  await cluster.startAll();
  const findings = new Findings();
  if (await awaitReady(cluster.clientPort(0), 'node 0', findings)) {
    let leader = 0;
    const result = await runPhases(context, cluster, [
      { label: 'four nodes, no fault', act: () => undefined, ms: 3000, mustAnswer: 'all' },
      {
        label: 'the busiest sender cut off alone',
        act: () => {
          leader = cluster.busiestSender() ?? 0;
          return cluster.partition([[leader], others(cluster, leader)]);
        },
        ms: 6000,
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
    ]);
    judgeRun(context, cluster, result, findings);
  }
  findings.throwIfAny();
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
