/**
 * Lab1's invariants, judged from what the link proxies saw reach each replica and what the
 * grader's clients got back. Each audit adds what it finds to a Findings; none depends on how the
 * coordinator passes its timestamp.
 */
import type { Exchange } from '../../harness/linkProxy.ts';
import type { Findings } from '../../check/findings.ts';
import { BankLedger, INITIAL_BALANCE, parseReply, parseTransfer, sameReply, transferKey, type Transfer } from './bankLedger.ts';
import { readDataFile, sameBalances, sideBySide } from './dataFile.ts';
import type { Replica } from './bankCluster.ts';
import type { RequestOutcome } from './bankWire.ts';

export interface ClientRequest {
  client: number;           // 1-based client number
  seq: number;              // 1-based position in that client's sequence
  transfer: Transfer;
  outcome: RequestOutcome;
}

export interface Delivery {
  transfer: Transfer;
  line: string;             // the request as the replica received it
  reply: string;            // the replica's reply line
  exchange: Exchange;
}

export const describe = (request: ClientRequest): string =>
  `'${transferKey(request.transfer)}' (client ${request.client}, request ${request.seq})`;

const firstLine = (bytes: Buffer): string => bytes.toString('utf8').split('\n')[0]?.trim() ?? '';

/** The transfers a replica answered, in the order it received them (its link forwards one at a time). */
export function deliveries(replica: Replica): Delivery[] {
  return replica.proxy
    .exchanges()
    .filter((exchange) => exchange.forwardedAt !== undefined && exchange.reply.length > 0)
    .sort((x, y) => (x.forwardedAt ?? 0) - (y.forwardedAt ?? 0))
    .flatMap((exchange) => {
      const line = firstLine(exchange.request);
      const transfer = parseTransfer(line);
      return transfer ? [{ transfer, line, reply: firstLine(exchange.reply), exchange }] : [];
    });
}

export function auditClients(requests: readonly ClientRequest[], findings: Findings): void {
  for (const request of requests) {
    const { reply, error } = request.outcome;
    if (error !== undefined) {
      findings.add('client-error', 'Expected an answer to every client request; some got none:', `${describe(request)}: ${error}`);
    } else if (!parseReply(reply ?? '')) {
      findings.add('client-bad-reply', "Expected every reply to be 'BALANCE_FROM BALANCE_TO'; the coordinator answered otherwise:", `${describe(request)} was answered '${reply}'`);
    }
  }
}

/** Every answered request reached every listed replica exactly once. */
export function auditDeliveries(replicas: readonly Replica[], requests: readonly ClientRequest[], findings: Findings): void {
  const answered = requests.filter((request) => parseReply(request.outcome.reply ?? '') !== undefined);
  for (const replica of replicas) {
    const counts = new Map<string, number>();
    for (const delivery of deliveries(replica)) counts.set(transferKey(delivery.transfer), (counts.get(transferKey(delivery.transfer)) ?? 0) + 1);
    for (const request of answered) {
      const count = counts.get(transferKey(request.transfer)) ?? 0;
      if (count === 0) findings.add('missing', 'Expected every request the coordinator answered to reach every replica; some never did:', `${describe(request)} was answered but never reached replica ${replica.name}`);
      if (count > 1) findings.add('duplicate', 'Expected each request to reach each replica once; some came several times:', `${describe(request)} reached replica ${replica.name} ${count} times`);
    }
  }
}

/** Each replica's replies equal a serial replay of the requests it received; returns the replays. */
export function auditReplays(replicas: readonly Replica[], findings: Findings): Map<string, BankLedger> {
  const ledgers = new Map<string, BankLedger>();
  for (const replica of replicas) {
    const ledger = new BankLedger();
    for (const [index, delivery] of deliveries(replica).entries()) {
      const expected = ledger.apply(delivery.transfer);
      if (!sameReply(delivery.reply, expected)) {
        findings.add(
          'replay',
          "Expected each replica to answer as a replay of the requests it received, in order (a transfer happens only when FROM's balance is greater than AMOUNT):",
          `replica ${replica.name}, request #${index + 1} '${delivery.line}' was answered '${delivery.reply}'; replaying gives '${expected}'`,
        );
      }
    }
    ledgers.set(replica.name, ledger);
  }
  return ledgers;
}

/** All replicas applied the requests they share in the same order. */
export function auditOrder(replicas: readonly Replica[], findings: Findings): void {
  const [first, ...others] = replicas;
  if (!first) return;
  const reference = deliveries(first).map((delivery) => transferKey(delivery.transfer));
  for (const other of others) {
    const theirs = deliveries(other).map((delivery) => transferKey(delivery.transfer));
    const shared = new Set(theirs);
    const mine = reference.filter((key) => shared.has(key));
    const inMine = new Set(mine);
    const common = theirs.filter((key) => inMine.has(key));
    const at = mine.findIndex((key, index) => key !== common[index]);
    if (at >= 0) {
      findings.add(
        'order',
        'Expected every replica to apply requests in one global order; two replicas applied them in different orders:',
        `at shared position ${at + 1}, replica ${first.name} applied '${mine[at]}' but replica ${other.name} applied '${common[at]}'`,
      );
    }
  }
}

/** A client got its answer only after every replica had answered the request. */
export function auditReplyAfterAll(replicas: readonly Replica[], requests: readonly ClientRequest[], findings: Findings): void {
  for (const replica of replicas) {
    const repliedAt = new Map(deliveries(replica).map((delivery) => [transferKey(delivery.transfer), delivery.exchange.firstReplyAt]));
    for (const request of requests) {
      const clientTime = request.outcome.repliedAt;
      const replicaTime = repliedAt.get(transferKey(request.transfer));
      if (clientTime === undefined || replicaTime === undefined || replicaTime <= clientTime) continue;
      findings.add(
        'early-reply',
        'Expected the coordinator to answer a client only after every replica applied the request; it answered earlier:',
        `${describe(request)} was answered ${Math.round(replicaTime - clientTime)} ms before replica ${replica.name} replied`,
      );
    }
  }
}

/** The coordinator passed on the replicas' answer, not something else. */
export function auditClientReplies(replicas: readonly Replica[], requests: readonly ClientRequest[], findings: Findings): void {
  const replies = new Map<string, string[]>();
  for (const replica of replicas) {
    for (const delivery of deliveries(replica)) {
      const key = transferKey(delivery.transfer);
      replies.set(key, [...(replies.get(key) ?? []), delivery.reply]);
    }
  }
  for (const request of requests) {
    const reply = request.outcome.reply;
    const fromReplicas = replies.get(transferKey(request.transfer)) ?? [];
    if (reply === undefined || !parseReply(reply) || fromReplicas.length === 0) continue;
    if (!fromReplicas.some((replicaReply) => sameReply(replicaReply, reply))) {
      findings.add('client-reply-mismatch', "Expected the coordinator to answer with the replicas' reply:", `${describe(request)} was answered '${reply}' but the replicas answered '${fromReplicas.join("', '")}'`);
    }
  }
}

/** Data files: well formed, equal to the replica's replay, equal to each other, money conserved. */
export async function auditFiles(replicas: readonly Replica[], ledgers: Map<string, BankLedger>, findings: Findings): Promise<void> {
  const files = [];
  for (const replica of replicas) {
    const file = await readDataFile(replica.dataFile);
    if (!file) {
      findings.add('file-missing', 'Expected every replica to write its data file:', `replica ${replica.name} never wrote ${replica.dataFile}`);
      continue;
    }
    for (const problem of file.problems) findings.add('file-format', "Expected every data file in the lab's format:", `replica ${replica.name}'s file: ${problem}`);
    const replay = ledgers.get(replica.name)?.snapshot() ?? new Map<string, number>();
    if (!sameBalances(file.balances, replay)) {
      findings.add('file-replay', 'Expected each data file to hold the balances of a replay of the requests its replica answered:', `replica ${replica.name}:\n${sideBySide('file', file.balances, 'replay', replay)}`);
    }
    auditMoney(replica.name, file.balances, findings);
    files.push({ replica, file });
  }
  const [first, ...others] = files;
  for (const other of others) {
    if (first && !sameBalances(first.file.balances, other.file.balances)) {
      findings.add('files-differ', 'Expected the replicas\' data files to hold the same balances; they differ:', sideBySide(first.replica.name, first.file.balances, other.replica.name, other.file.balances));
    }
  }
}

function auditMoney(name: string, balances: Map<string, number>, findings: Findings): void {
  const total = [...balances.values()].reduce((sum, balance) => sum + balance, 0);
  if (total !== balances.size * INITIAL_BALANCE) {
    findings.add('money', 'Expected money to be conserved (every account starts with 100):', `replica ${name} holds ${total} across ${balances.size} accounts, not ${balances.size * INITIAL_BALANCE}`);
  }
  for (const [account, balance] of balances) {
    if (balance < 0) findings.add('negative', 'Expected no negative balance (a transfer needs FROM\'s balance to be greater than AMOUNT):', `replica ${name}: ${account} has ${balance}`);
  }
}
