/**
 * Part B, crashes: three nodes under the evaluator's clients; the busiest sender (the leader, in
 * a leader design) is cut off from its peers, both ways, for a second and then killed (SIGKILL),
 * so anything it acknowledged meanwhile it could not have replicated; it is restarted; at last
 * every node is killed at once and all are restarted. No acknowledged set may be lost, and the
 * others must keep answering while a majority is up.
 */
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import type { KvCluster } from '../kvCluster.ts';
import { runScenario, type Phase } from '../kvScenario.ts';

const CUT_OFF_MS = 1000;

function phases(context: CheckContext, cluster: KvCluster): Phase[] {
  let victim = 0;
  return [
    { label: 'three nodes, no fault', act: () => undefined, ms: 3000, mustAnswer: 'all' },
    {
      label: 'the busiest sender cut off for 1 s, then killed',
      act: async () => {
        victim = cluster.busiestSender() ?? 0;
        context.note(`Node ${victim} sent the most to its peers in the last second: it is the one cut off and killed.`);
        await cluster.kill(victim, CUT_OFF_MS);
      },
      ms: 8000,
      mustAnswer: 'majority',
    },
    { label: 'the killed node restarted in its folder', act: async () => void (await cluster.start(victim)), ms: 6000, mustAnswer: 'all' },
    {
      label: 'every node killed at once, then all restarted',
      act: async () => {
        await Promise.all(cluster.ids.map((id) => cluster.kill(id)));
        await cluster.startAll();
      },
      ms: 8000,
      mustAnswer: 'all',
    },
  ];
}

function run(context: CheckContext): Promise<void> {
  return runScenario(context, 3, (cluster) => phases(context, cluster));
}

export const killRestart: CheckDef = {
  id: 'lab4.B.kill-restart',
  part: 'B',
  title: 'A node killed and restarted, then all of them: nothing acknowledged is lost',
  points: 20,
  tags: [],
  faults: ['kill', 'restart', 'partition'],
  timeoutMs: 120_000,
  run,
};
