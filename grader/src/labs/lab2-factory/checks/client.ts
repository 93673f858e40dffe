/**
 * Part A: the client program (handout, "The client"), run as a real process against the grader's
 * reference factory, one scenario after another: concurrent customers placing orders, then reading,
 * a scan, and a server that dies mid-run. The factory proves what the client did on the wire (who
 * connected, what each connection sent, one request at a time, customers waiting at once); the
 * summary's numbers are judged against what the factory measured, with bounds that hold for any
 * correct client however slow the machine, and fail unit mistakes (ms for µs, per ms for per s).
 */
import { performance } from 'node:perf_hooks';
import type { CheckDef } from '../../../check/types.ts';
import type { CheckContext } from '../../../check/checkContext.ts';
import { Findings } from '../../../check/findings.ts';
import type { ExitStatus } from '../../../harness/processLauncher.ts';
import { formatTail } from '../../../harness/waitForPort.ts';
import { REQUEST } from '../factoryWire.ts';
import { ReferenceFactory, type ReferenceFactoryOptions, type ServedRequest } from '../referenceFactory.ts';

const SECTION = '(handout, "The client")';
const DEATH_SECTION = '(handout, "The client", "When the server dies")';
const HOST = '127.0.0.1';
const CLIENT_BOUND_MS = 20_000;      // start to exit: tsx start-up (1–3 s, more under load) plus under 2 s of work
const EXIT_AFTER_DEATH_MS = 10_000;  // the server's death to the client's exit
const OUTPUT_DRAIN_MS = 1_000;       // the exit may be reported before the pipes delivered the last lines
const GATE_BOUND_MS = 5_000;         // how long first replies wait for every customer to have sent a request
const CLOCK_STEP_US = 1000;          // slack for a client that times with a millisecond clock

interface Scenario {
  name: string;                      // process name, log file `<name>.log`
  what: string;                      // for messages
  customers: number;
  orders: number;
  type: 1 | 2 | 3;
  factory: ReferenceFactoryOptions;
}

const ORDERS: Scenario = {
  name: 'client-orders', what: 'orders', customers: 4, orders: 6, type: 1,
  // Customer 1 is slow: the others finish long before it, so a summary printed when the first
  // (or the last-started) customer is done comes ~1.4 s before the last reply.
  factory: { replyDelayMs: (request) => (request.customerId === 1 ? 250 : 15), holdFirstReplies: { connections: 4, boundMs: GATE_BOUND_MS } },
};
const READS: Scenario = {
  name: 'client-reads', what: 'reads', customers: 3, orders: 4, type: 2,
  factory: { records: [[0, 5], [1, 0]], replyDelayMs: 25, holdFirstReplies: { connections: 3, boundMs: GATE_BOUND_MS } },
};
const SCAN_RECORDS: ReadonlyArray<readonly [number, number]> = [[0, 4], [1, 0], [3, 9], [7, 2], [8, 11]];
const SCAN: Scenario = { name: 'client-scan', what: 'scan', customers: 1, orders: 10, type: 3, factory: { records: SCAN_RECORDS } };
const DIES_AFTER = 10;
const SERVER_DIES: Scenario = {
  name: 'client-server-dies', what: 'server dies', customers: 2, orders: 50, type: 1,
  factory: { replyDelayMs: 10, holdFirstReplies: { connections: 2, boundMs: GATE_BOUND_MS }, dieAfterReplies: DIES_AFTER },
};

interface Line { text: string; stream: 'stdout' | 'stderr'; at: number }

interface ClientRun {
  scenario: Scenario;
  factory: ReferenceFactory;
  command: string;                   // as a student would type it
  lines: Line[];
  exit: ExitStatus | undefined;      // undefined: still running at its bound (then stopped)
  bound: string;                     // the bound it was held to, for messages
  lifetimeMs: number;                // start to exit, as the grader saw it
  stdout(): Line[];
  stderr(): Line[];
}

async function run(context: CheckContext): Promise<void> {
  const findings = new Findings();
  for (const scenario of [ORDERS, READS]) {
    const client = await runClient(context, scenario);
    auditExit(client, findings);
    auditCustomers(client, findings);
    auditSummary(client, findings);
  }
  const scan = await runClient(context, SCAN);
  auditExit(scan, findings);
  auditScan(scan, findings);
  const dies = await runClient(context, SERVER_DIES);
  auditExit(dies, findings);
  auditCustomers(dies, findings);
  auditSummary(dies, findings);
  auditLostServer(dies, findings);
  findings.throwIfAny();
}

/** Starts a fresh reference factory and the client against it; returns once the client exited or was stopped at its bound. */
async function runClient(context: CheckContext, scenario: Scenario): Promise<ClientRun> {
  const factory = await ReferenceFactory.start(scenario.factory);
  try {
    const args = [HOST, String(factory.port), String(scenario.customers), String(scenario.orders), String(scenario.type)];
    const role = context.submission.roles['client'];
    const program = role?.file ? `./${role.file}` : [role?.command ?? 'client', ...(role?.args ?? [])].join(' ');
    const command = `${program} ${args.join(' ')}`;
    const dies = scenario.factory.dieAfterReplies;
    context.note(`${scenario.name}: \`${command}\`${dies ? `, the factory dying after its reply #${dies}` : ''}`);
    const lines: Line[] = [];
    const startedAt = performance.now();
    const proc = context.start('client', args, { name: scenario.name });
    proc.onLine((text, stream) => lines.push({ text, stream, at: performance.now() }));
    const { exit, bound } = await exitWithin(proc.exited, factory);
    const lifetimeMs = performance.now() - startedAt;
    if (exit) await drained(() => expectedOutputSeen(scenario, lines));
    else await proc.stop(300);
    return {
      scenario, factory, command, lines, exit, bound, lifetimeMs,
      stdout: () => lines.filter((line) => line.stream === 'stdout'),
      stderr: () => lines.filter((line) => line.stream === 'stderr'),
    };
  } finally {
    await factory.close();
  }
}

async function exitWithin(exited: Promise<ExitStatus>, factory: ReferenceFactory): Promise<{ exit: ExitStatus | undefined; bound: string }> {
  const timers: NodeJS.Timeout[] = [];
  let settled = false;
  const after = (ms: number, bound: string): Promise<{ exit: undefined; bound: string }> => new Promise((resolve) => {
    if (!settled) timers.push(setTimeout(() => resolve({ exit: undefined, bound }), ms));
  });
  const outcome = await Promise.race([
    exited.then((exit) => ({ exit, bound: '' })),
    after(CLIENT_BOUND_MS, `${CLIENT_BOUND_MS / 1000} s after its start`),
    factory.died.then(() => after(EXIT_AFTER_DEATH_MS, `${EXIT_AFTER_DEATH_MS / 1000} s after its server died`)),
  ]);
  settled = true;
  timers.forEach(clearTimeout);
  return outcome;
}

/** What a correct client prints: its summary (types 1, 2), its records (scan), a line naming the lost server. */
function expectedOutputSeen(scenario: Scenario, lines: readonly Line[]): boolean {
  const stdout = lines.filter((line) => line.stream === 'stdout').length;
  const wanted = scenario.type === 3 ? SCAN_RECORDS.length : 1;
  const stderrWanted = scenario.factory.dieAfterReplies ? 1 : 0;
  return stdout >= wanted && lines.filter((line) => line.stream === 'stderr').length >= stderrWanted;
}

/**
 * Waits until `seen()` or OUTPUT_DRAIN_MS, then a moment for any line right behind. A process's
 * exit is reported before its pipes have necessarily delivered their last bytes, and ManagedProcess
 * offers no event for the end of its output, so this is the one wait on time here.
 */
async function drained(seen: () => boolean): Promise<void> {
  const deadline = performance.now() + OUTPUT_DRAIN_MS;
  while (!seen() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const logOf = (client: ClientRun): string => `(log: ${client.scenario.name}.log)`;
const quote = (text: string): string => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

function auditExit(client: ClientRun, findings: Findings): void {
  const { scenario, exit } = client;
  if (!exit) {
    findings.add('exit-bound', `Expected the client to finish and exit on its own ${SECTION}:`,
      `${scenario.what}: \`${client.command}\` was still running ${client.bound}; the grader stopped it ${logOf(client)}.${formatTail(client.lines.map((line) => line.text))}`);
    return;
  }
  if (exit.code === 0) return;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with status ${exit.code}`;
  findings.add('exit-status', `Expected the client to exit with status 0, also when its server dies ${SECTION}:`,
    `${scenario.what}: \`${client.command}\` ${how} ${logOf(client)}.${formatTail(client.lines.map((line) => line.text))}`);
}

/** Connections, identification, each customer's requests in order and one at a time, customers at the same time. */
function auditCustomers(client: ClientRun, findings: Findings): void {
  const { scenario, factory } = client;
  const tag = `${scenario.what}: \`${client.command}\``;
  const connections = factory.connections;
  const opened = connections.length + factory.turnedAway;
  if (opened !== scenario.customers) {
    findings.add('connections', `Expected one connection per customer ${SECTION}:`, `${tag} opened ${opened} connection(s) for ${scenario.customers} customers ${logOf(client)}`);
  }
  const seenIds = new Set<number>();
  for (const connection of connections) {
    const where = `${tag}, connection #${connection.index}`;
    if (connection.role !== 1) {
      findings.add('identification', `Expected every connection to start with the identification 1 (customer) ${SECTION}:`,
        `${where}: ${connection.role === undefined ? 'sent no identification' : `identified as ${connection.role}`}`);
      continue;
    }
    const first = connection.requests[0];
    if (!first) continue;
    const customerId = first.request.customerId;
    if (customerId < 0 || customerId >= scenario.customers) findings.add('customer-ids', `Expected customers 0 … CUSTOMERS − 1, each on its own connection ${SECTION}:`, `${where}: sent requests as customer ${customerId}, outside 0 … ${scenario.customers - 1}`);
    if (seenIds.has(customerId)) findings.add('customer-ids', `Expected customers 0 … CUSTOMERS − 1, each on its own connection ${SECTION}:`, `${where}: customer ${customerId} already had a connection`);
    seenIds.add(customerId);
    auditSequence(client, connection.requests, customerId, where, findings);
    const pipelined = connection.requests.find((served) => served.outstanding > 0);
    if (pipelined) {
      findings.add('one-at-a-time', `Expected each customer to send a request only after the reply to the previous one ${SECTION}:`,
        `${where}: ${show(pipelined)} arrived while ${pipelined.outstanding} earlier request(s) were unanswered`);
    }
  }
  const missing = [...Array(scenario.customers).keys()].filter((id) => !seenIds.has(id));
  if (missing.length > 0) findings.add('customer-ids', `Expected customers 0 … CUSTOMERS − 1, each on its own connection ${SECTION}:`, `${tag}: no connection sent requests as customer ${missing.join(', ')}`);
  const gate = factory.gate;
  if (gate?.byBound) {
    findings.add('concurrent', `Expected the customers to run at the same time ${SECTION}; the factory held every first reply until all of them had sent a request:`,
      `${tag}: after ${GATE_BOUND_MS / 1000} s only ${gate.waiting} of ${scenario.customers} customers had sent one, so the customers do not run concurrently`);
  }
}

/** Customer i sends (i, 0 … ORDERS − 1, 1) for orders, (i, −1, 2) ORDERS times for reads; a prefix of that once the server died. */
function auditSequence(client: ClientRun, requests: readonly ServedRequest[], customerId: number, where: string, findings: Findings): void {
  const { scenario, factory } = client;
  const expected = [...Array(scenario.orders).keys()].map((n) => (scenario.type === 1 ? { customerId, orderNumber: n, requestType: REQUEST.order } : { customerId, orderNumber: -1, requestType: REQUEST.read }));
  const wrong = requests.findIndex((served, n) => !sameRequest(served, expected[n]));
  if (wrong >= 0) {
    const want = expected[wrong];
    findings.add('requests', `Expected each customer to send its own requests in order: orders 0, 1, … with type 1, reads (order_number −1) with type 2 ${SECTION}:`,
      `${where}: request #${wrong} was ${show(requests[wrong] as ServedRequest)}, expected ${want ? `(${want.customerId}, ${want.orderNumber}, ${want.requestType})` : 'none'}`);
  } else if (requests.length < expected.length && factory.diedAt === undefined) {
    findings.add('requests-missing', `Expected each customer to send all ORDERS requests ${SECTION}:`, `${where}: customer ${customerId} sent ${requests.length} of ${expected.length}`);
  }
}

const sameRequest = (served: ServedRequest | undefined, want: { customerId: number; orderNumber: number; requestType: number } | undefined): boolean =>
  served !== undefined && want !== undefined && served.request.customerId === want.customerId && served.request.orderNumber === want.orderNumber && served.request.requestType === want.requestType;
const show = (served: ServedRequest): string => `(${served.request.customerId}, ${served.request.orderNumber}, ${served.request.requestType})`;

const SUMMARY_KEYS = ['customers', 'requests', 'answered', 'mean_latency_us', 'p99_latency_us', 'throughput_per_s'] as const;
type Summary = Record<(typeof SUMMARY_KEYS)[number], number>;
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** The summary's fields, or what is wrong with the line. */
function parseSummary(line: string): Summary | string {
  const fields = new Map<string, string>();
  for (const token of line.trim().split(/\s+/)) {
    const match = /^([a-z0-9_]+)=(.*)$/.exec(token);
    if (!match) return `${quote(token)} is not key=value`;
    const [, key, value] = match as unknown as [string, string, string];
    if (!(SUMMARY_KEYS as readonly string[]).includes(key)) return `unknown field ${quote(key)}`;
    if (fields.has(key)) return `${key} appears twice`;
    if (!NUMBER.test(value)) return `${key}=${quote(value)} is not a number`;
    fields.set(key, value);
  }
  const summary: Partial<Summary> = {};
  for (const key of SUMMARY_KEYS) {
    const value = fields.get(key);
    if (value === undefined) return `${key} is missing`;
    summary[key] = Number(value);
  }
  return summary as Summary;
}

function auditSummary(client: ClientRun, findings: Findings): void {
  if (!client.exit) return;
  const { scenario, factory } = client;
  const tag = `${scenario.what}: \`${client.command}\``;
  const stdout = client.stdout();
  if (stdout.length !== 1) {
    findings.add('stdout-lines', `Expected exactly one line on stdout, the summary, once every customer has finished ${SECTION}:`,
      `${tag} printed ${stdout.length} line(s)${stdout.length ? `: ${stdout.slice(0, 3).map((line) => quote(line.text)).join(', ')}${stdout.length > 3 ? ', …' : ''}` : ''} ${logOf(client)}`);
  }
  const lastReply = factory.lastReplyAt() ?? Infinity;
  const early = stdout.find((line) => line.at < lastReply);
  if (early && factory.answered().length > 0) {
    findings.add('printed-early', `Expected nothing on stdout while customers run, and the summary only when every customer has finished ${SECTION}:`,
      `${tag} printed ${quote(early.text)} ${Math.round(lastReply - early.at)} ms before the factory sent its last reply: printed before the end`);
  }
  const line = stdout.at(-1);
  if (!line) return;
  const summary = parseSummary(line.text);
  if (typeof summary === 'string') {
    findings.add('summary-format', `Expected the summary as \`customers=C requests=R answered=A mean_latency_us=M p99_latency_us=P throughput_per_s=T\` ${SECTION}:`, `${tag} printed ${quote(line.text)}: ${summary}`);
    return;
  }
  const answered = factory.answered();
  const counts = { customers: scenario.customers, requests: scenario.customers * scenario.orders, answered: answered.length };
  for (const [key, want] of Object.entries(counts) as [keyof typeof counts, number][]) {
    if (summary[key] !== want) {
      findings.add('summary-counts', `Expected customers = CUSTOMERS, requests = CUSTOMERS × ORDERS and answered = the replies received ${SECTION}:`,
        `${tag}: ${key}=${summary[key]}, expected ${key}=${want}${key === 'answered' ? ` (the factory sent ${want} replies)` : ''}`);
    }
  }
  if (summary.answered !== answered.length) return; // the numbers are over other replies than the factory's
  for (const problem of numberProblems(summary, answered, factory, client.lifetimeMs)) {
    findings.add('summary-numbers', `Expected latencies in microseconds from sending a request to its whole reply, and throughput = answered per second from the first connection to the last reply ${SECTION}:`, `${tag}: ${problem}`);
  }
}

/**
 * Bounds that hold for every correct client. Each latency the client measures contains the time the
 * factory held that request (arrival to reply), so its mean is at least the held times' mean, and
 * its p99 at least their 95th percentile (whatever percentile rule it uses). Nothing the client
 * measures exceeds its lifetime. Its throughput window contains the factory's window (first request
 * arrived to last reply sent) and lies within its lifetime. Slack: 10 % below, 50 % above for a
 * window measured from a slightly later start, and one step of a millisecond clock; unit mistakes
 * are off by 1000.
 */
function numberProblems(summary: Summary, answered: readonly ServedRequest[], factory: ReferenceFactory, lifetimeMs: number): string[] {
  if (answered.length === 0) return [];
  const held = answered.map((served) => (served.reply?.sentAt ?? 0) - served.arrivedAt).sort((a, b) => a - b);
  const meanHeldUs = (held.reduce((sum, ms) => sum + ms, 0) / held.length) * 1000;
  const highHeldUs = (held[Math.floor(0.95 * (held.length - 1))] ?? 0) * 1000;
  const lifetimeUs = lifetimeMs * 1000;
  const windowS = ((factory.lastReplyAt() ?? 0) - (factory.firstRequestAt() ?? 0)) / 1000;
  const problems: string[] = [];
  const { mean_latency_us: mean, p99_latency_us: p99, throughput_per_s: throughput } = summary;
  if (mean < 0.9 * meanHeldUs - CLOCK_STEP_US) problems.push(`mean_latency_us=${mean}, but the factory alone held requests ${us(meanHeldUs)} µs on average`);
  if (p99 < 0.9 * highHeldUs - CLOCK_STEP_US) problems.push(`p99_latency_us=${p99}, but the factory held 5 % of the requests at least ${us(highHeldUs)} µs each`);
  for (const [key, value] of [['mean_latency_us', mean], ['p99_latency_us', p99]] as const) {
    if (value > lifetimeUs + CLOCK_STEP_US) problems.push(`${key}=${value}, longer than the whole client ran (${us(lifetimeUs)} µs)`);
  }
  const low = (0.9 * answered.length) / (lifetimeMs / 1000);
  const high = windowS > 0 ? (1.5 * answered.length) / windowS : Infinity;
  if (throughput < low || throughput > high) {
    problems.push(`throughput_per_s=${throughput}, expected between ${low.toFixed(1)} (${answered.length} replies over the client's whole life, −10 %) and ${high.toFixed(1)} (over the ${(windowS * 1000).toFixed(0)} ms from the first request's arrival to the last reply, +50 %)`);
  }
  return problems;
}

const us = (value: number): string => value.toFixed(0);

/** Type 3: one connection reading 0 … ORDERS − 1 in order; stdout exactly the existing records. */
function auditScan(client: ClientRun, findings: Findings): void {
  const { scenario, factory } = client;
  const tag = `scan: \`${client.command}\``;
  const connections = factory.connections;
  const opened = connections.length + factory.turnedAway;
  if (opened !== 1) findings.add('scan-connections', `Expected the scan to open one customer connection ${SECTION}:`, `${tag} opened ${opened} ${logOf(client)}`);
  for (const connection of connections) {
    if (connection.role !== 1) {
      findings.add('identification', `Expected every connection to start with the identification 1 (customer) ${SECTION}:`, `${tag}, connection #${connection.index}: ${connection.role === undefined ? 'sent no identification' : `identified as ${connection.role}`}`);
      continue;
    }
    const sent = connection.requests;
    const wrong = [...Array(Math.max(sent.length, scenario.orders)).keys()].find((id) => !sameRequest(sent[id], id < scenario.orders ? { customerId: id, orderNumber: -1, requestType: REQUEST.read } : undefined));
    if (wrong !== undefined) {
      findings.add('scan-requests', `Expected the scan to read customer ids 0, 1, … ORDERS − 1 in that order, as reads (order_number −1, type 2) ${SECTION}:`,
        `${tag}: request #${wrong} was ${sent[wrong] ? show(sent[wrong]) : 'never sent'}, expected ${wrong < scenario.orders ? `(${wrong}, -1, 2)` : 'none'}`);
    }
    const pipelined = sent.find((served) => served.outstanding > 0);
    if (pipelined) findings.add('one-at-a-time', `Expected each customer to send a request only after the reply to the previous one ${SECTION}:`, `${tag}: ${show(pipelined)} arrived while an earlier read was unanswered`);
  }
  if (!client.exit) return;
  const expected = SCAN_RECORDS.map(([id, last]) => `${id}\t${last}`);
  const printed = client.stdout().map((line) => line.text);
  if (printed.join('\n') !== expected.join('\n')) {
    const visible = (lines: readonly string[]): string => (lines.length ? lines.map((line) => quote(line)).join(', ') : 'nothing');
    findings.add('scan-output', `Expected the scan to print \`customer_id<TAB>last_order\` for every existing record, in id order, and nothing else on stdout ${SECTION}:`,
      `${tag} printed ${visible(printed.slice(0, 8))}${printed.length > 8 ? ', …' : ''}; expected ${visible(expected)} (ids ${[...Array(scenario.orders).keys()].filter((id) => !SCAN_RECORDS.some(([has]) => has === id)).join(', ')} have no record) ${logOf(client)}`);
  }
}

/** Stack traces and uncaught-exception reports of Node, Python, Java and C++, line by line. */
const CRASH_REPORT = [
  /^\s+at .+[:(]/,                              // a JavaScript or Java stack frame
  /^Node\.js v\d+/,                             // what Node prints last after an uncaught exception
  /Unhandled 'error' event|triggerUncaughtException|UnhandledPromiseRejection/,
  /^Traceback \(most recent call last\)/,
  /^Exception in thread /,
  /^terminate called after throwing/,
];

/** When the server dies: one line on stderr naming the server, no stack trace. */
function auditLostServer(client: ClientRun, findings: Findings): void {
  if (!client.exit) return;
  const tag = `server dies: \`${client.command}\``;
  const stderr = client.stderr().map((line) => line.text).filter((text) => text.trim() !== '');
  const port = String(client.factory.port);
  if (stderr.length === 0) {
    findings.add('lost-line', `Expected the client to print one line on stderr saying which server it lost ${DEATH_SECTION}:`, `${tag} printed nothing on stderr ${logOf(client)}`);
  } else if (!stderr.some((text) => text.includes(port))) {
    findings.add('lost-line', `Expected the client to print one line on stderr saying which server it lost ${DEATH_SECTION}:`,
      `${tag}: no stderr line names the server ${HOST}:${port}; it printed ${quote(stderr[0] as string)}`);
  }
  const crash = stderr.find((text) => CRASH_REPORT.some((pattern) => pattern.test(text)));
  if (crash !== undefined) {
    findings.add('stack-trace', `Expected no stack trace when the server dies, only one line ${DEATH_SECTION}:`, `${tag} printed ${quote(crash)} ${logOf(client)}`);
  }
}

export const clientCheck: CheckDef = {
  id: 'lab2.A.client',
  part: 'A',
  title: 'The client: concurrent customers, orders, reads, scan format, summary at the end, graceful end when its server dies',
  points: 3,
  tags: [],
  faults: ['kill'],
  timeoutMs: 90_000,
  run,
};
