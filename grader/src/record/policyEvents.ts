/** Names a change of a link's policy as the fault vocabulary does: partition, heal, or another fault. */
import type { LinkPolicy, PolicyChange } from '../harness/linkProxy.ts';
import type { TimelineEventKind } from './recordTypes.ts';

export function describePolicyChange(change: PolicyChange): { kind: TimelineEventKind; text: string } | undefined {
  const { before, after, link } = change;
  if (after.mode === 'blackhole' && before.mode !== 'blackhole') return { kind: 'partition', text: `grader: partitioned link ${link} (every byte held)` };
  if (after.mode === 'reset' && before.mode !== 'reset') return { kind: 'fault', text: `grader: reset every connection on link ${link}` };
  if (after.mode === 'pass' && before.mode === 'blackhole') return { kind: 'heal', text: `grader: healed link ${link} (held bytes delivered)` };
  const changed = settings(after).filter((setting, index) => setting !== settings(before)[index]);
  if (changed.length === 0) return undefined;     // e.g. reset back to pass: nothing a reader needs
  return { kind: 'fault', text: `grader: link ${link} now ${changed.join(', ')}` };
}

function settings(policy: LinkPolicy): string[] {
  return [
    `delay ${policy.delayMs} ms`,
    `jitter ${policy.jitterMs} ms`,
    policy.serialize ? `one connection at a time (${policy.order}, hold ${policy.holdMs} ms)` : 'connections in parallel',
    `drop rate ${policy.dropRate}`,
  ];
}
