/**
 * Part B, a stopped node: three nodes under the evaluator's clients; the busiest sender (the
 * leader, in a leader design) is stopped with SIGSTOP for several seconds, as a frozen machine,
 * and then resumed. The other two must go on answering, and the resumed node must not answer
 * from what it knew before it was stopped.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import type { KvCluster } from '../kvCluster.ts';
import { runScenario, type Phase } from '../kvScenario.ts';

function phases(context: CheckContext, cluster: KvCluster): Phase[] {
  let victim = 0;
  return [
    { label: 'three nodes, no fault', act: () => undefined, ms: 3000, mustAnswer: 'all' },
    {
      label: 'the busiest sender stopped (SIGSTOP)',
      act: () => {
        victim = cluster.busiestSender() ?? 0;
        context.note(`Node ${victim} sent the most to its peers in the last second: it is the one stopped.`);
        cluster.pause(victim);
      },
      ms: 8000,
      mustAnswer: 'majority',
    },
    { label: 'the stopped node resumed (SIGCONT)', act: () => cluster.resume(victim), ms: 6000, mustAnswer: 'all' },
  ];
}

function run(context: CheckContext): Promise<void> {
  return runScenario(context, 3, (cluster) => phases(context, cluster));
}

export const stopResume: CheckDef = {
  id: 'lab4.B.stop-resume',
  part: 'B',
  title: 'A node stopped for seconds and resumed: the others answer, nothing stale',
  points: 15,
  tags: [],
  faults: ['pause', 'resume'],
  timeoutMs: 120_000,
  run,
};
