/**
 * The replicas' final state, read with `dump` over the wire: every live replica must answer the
 * same seq, state (held locks) and clients (at-most-once table). When they differ, the message
 * puts the differing entries side by side, one column per replica.
 */
import type { Findings } from '../../check/findings.ts';
import type { RsmCluster } from './rsmCluster.ts';
import { describeOutcome } from './rsmWire.ts';

export interface Dump {
  seq: unknown;
  state: Record<string, unknown>;
  clients: Record<string, unknown>;
}

const SHOWN = 6; // differing entries shown per field

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { '(not an object)': value };

/** Dumps every live replica and reports those that fail to answer or differ; returns the dumps it got. */
export async function auditDumps(cluster: RsmCluster, findings: Findings, when: string): Promise<Map<number, Dump>> {
  const dumps = new Map<number, Dump>();
  for (const id of cluster.alive()) {
    const outcome = await cluster.call(id, 'dump');
    if (outcome.kind === 'reply' && outcome.reply.ok) {
      const result = asRecord(outcome.reply.result);
      dumps.set(id, { seq: result.seq, state: asRecord(result.state), clients: asRecord(result.clients) });
    } else {
      findings.add('no-dump', `Expected every live replica to answer \`dump\` ${when}:`, `replica ${id}: ${describeOutcome(outcome)}`);
    }
  }
  const [first, ...others] = [...dumps];
  if (!first) return dumps;
  const differing = others.filter(([, dump]) => JSON.stringify(dump) !== JSON.stringify(first[1]));
  if (differing.length > 0) {
    findings.add('replicas-differ', `Expected every live replica to answer the same \`dump\` (seq, state, clients) ${when}; they differ:`, sideBySide(dumps));
  }
  return dumps;
}

/** The fields where the dumps differ, one column per replica. */
function sideBySide(dumps: Map<number, Dump>): string {
  const ids = [...dumps.keys()];
  const column = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value)).slice(0, 60).padEnd(28);
  const lines = [`${''.padEnd(30)}${ids.map((id) => `replica ${id}`.padEnd(28)).join(' ')}`];
  const seqs = ids.map((id) => dumps.get(id)?.seq);
  if (new Set(seqs.map((seq) => JSON.stringify(seq))).size > 1) lines.push(`${'seq'.padEnd(30)}${seqs.map(column).join(' ')}`);
  for (const field of ['state', 'clients'] as const) {
    const keys = [...new Set(ids.flatMap((id) => Object.keys(dumps.get(id)?.[field] ?? {})))].sort();
    const differing = keys.filter((key) => new Set(ids.map((id) => JSON.stringify(dumps.get(id)?.[field][key]))).size > 1);
    for (const key of differing.slice(0, SHOWN)) lines.push(`${`${field} ${key}`.slice(0, 29).padEnd(30)}${ids.map((id) => column(dumps.get(id)?.[field][key])).join(' ')}`);
    if (differing.length > SHOWN) lines.push(`  … and ${differing.length - SHOWN} more differing entries of ${field}`);
  }
  return lines.join('\n');
}
