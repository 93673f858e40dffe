/**
 * Invariants judged from what crossed the links (rsmTap.ts), which a wrong order of steps breaks
 * on every request, not only when a failure happens to hit it:
 * - at most once: one client request is never executed under two different seqs;
 * - replicate, then answer: a master answers a client only after every other live replica
 *   acknowledged that request's `replicate`.
 */
import type { Findings } from '../../check/findings.ts';
import type { Replicated, RsmTap } from './rsmTap.ts';
import type { RsmCluster } from './rsmCluster.ts';
import { opText, shortClient } from './rsmWire.ts';

const requestKey = (client: string, clientSeq: number): string => `${client}#${clientSeq}`;
const requestName = (message: { client: string; clientSeq: number; op: unknown }): string =>
  `${opText(message.op)} from client ${shortClient(message.client)} (clientSeq ${message.clientSeq})`;

/** A request acknowledged under two seqs was executed twice (handout, "Every replica": at-most-once). */
export function auditAtMostOnce(tap: RsmTap, findings: Findings): void {
  const seqs = new Map<string, Map<number, Replicated>>(); // request -> seq -> one acknowledged replicate of it
  for (const message of tap.replicates) {
    if (!message.answer?.reply.ok) continue;
    const key = requestKey(message.client, message.clientSeq);
    const bySeq = seqs.get(key) ?? new Map<number, Replicated>();
    if (!bySeq.has(message.seq)) bySeq.set(message.seq, message);
    seqs.set(key, bySeq);
  }
  for (const bySeq of seqs.values()) {
    if (bySeq.size < 2) continue;
    const copies = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    const where = copies.map((copy) => `as #${copy.seq} (replica ${copy.from} → replica ${copy.to}, acknowledged)`).join(' and ');
    findings.add('executed-twice', 'Expected each client request to be executed at most once: a retry (same client, same clientSeq) must get the stored result, not a new seq (handout, "The master", step 2, and "Every replica"). These were executed twice:',
      `${requestName(copies[0] as Replicated)}: ${where}`);
  }
}

/**
 * Before a client gets its first answer to a request, every replica that takes part must have
 * executed it (handout, "The master", steps 3 and 4): each one acknowledged a replicate of it.
 * A replica takes part from its start (or, joined, for requests past the seq it joined at) until
 * the grader froze its links to kill it.
 */
export function auditReplicatedBeforeAnswer(tap: RsmTap, cluster: RsmCluster, findings: Findings): void {
  const acks = new Map<string, Replicated[]>(); // request -> its acknowledged replicates
  for (const message of tap.replicates) {
    if (!message.answer?.reply.ok) continue;
    const key = requestKey(message.client, message.clientSeq);
    acks.set(key, [...(acks.get(key) ?? []), message]);
  }
  const answered = new Set<string>();
  for (const invoke of [...tap.invokes].sort((a, b) => (a.answer?.receivedAt ?? Infinity) - (b.answer?.receivedAt ?? Infinity))) {
    const answer = invoke.answer;
    const key = requestKey(invoke.client, invoke.clientSeq);
    if (!answer?.reply.ok || answered.has(key)) continue;
    answered.add(key);
    const copies = acks.get(key) ?? [];
    const seq = copies[0]?.seq;
    for (const other of cluster.ids.filter((id) => id !== invoke.replica && takesPart(tap, cluster, id, answer.receivedAt, seq))) {
      const first = copies.filter((copy) => copy.to === other).reduce((soonest, copy) => Math.min(soonest, copy.answer?.t ?? Infinity), Infinity);
      if (first <= answer.receivedAt) continue;
      const seen = Number.isFinite(first) ? `its acknowledgement reached the master ${(first - answer.receivedAt).toFixed(1)} ms after the answer left` : 'it never acknowledged that request';
      findings.add('answer-before-replicate', 'Expected the master to answer a client only after every other live replica acknowledged the request\'s `replicate` (handout, "The master", steps 3 and 4: replicate to each replica, waiting for each reply, then execute and answer):',
        `replica ${invoke.replica} answered ${JSON.stringify(answer.reply.result)} to ${requestName(invoke)} before replica ${other} had executed it: ${seen}`);
    }
  }
}

/** Whether replica `id` had to have executed a request (of `seq`, when known) answered at `at`. */
function takesPart(tap: RsmTap, cluster: RsmCluster, id: number, at: number, seq: number | undefined): boolean {
  const killed = cluster.killedAt(id);
  if (killed !== undefined && killed <= at) return false;
  const started = cluster.startedAt(id);
  if (started !== undefined) return started <= at;
  const joined = tap.joins.find((join) => join.replica === id && join.at <= at);
  return joined !== undefined && seq !== undefined && seq > joined.seq;
}
