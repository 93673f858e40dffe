#!/usr/bin/env -S node --import tsx
// Given code (lab1-bank client), complete as it is: students do not edit it, and the grader uses its own copy.
import { createConnection } from 'node:net';
import { parseArgs } from 'node:util';

const USAGE = 'usage: ./clnt.ts PORT [PORT ...] [--count N] [--seed N]   (a PORT may also be HOST:PORT)';
const ACCOUNTS = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'joe'];
const REPLY_TIMEOUT_MS = 10_000; // a server silent for this long counts as unreachable

interface Target {
  host: string;
  port: number;
  name: string; // as written on the command line, for messages
}

interface Options {
  targets: Target[]; // every request goes to each of these, one after another
  count: number; // requests to send; Infinity: until Ctrl-C
  seed: number; // drives every random choice, so that a run can be repeated
}

/** A failure that ends the run: the message is printed alone on stderr. */
class Stop extends Error {}

/** mulberry32: a tiny seeded generator of numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `FROM TO AMOUNT`: two different accounts and an amount from 1 to 100. */
function randomRequest(random: () => number): string {
  const below = (n: number): number => Math.floor(random() * n);
  const from = below(ACCOUNTS.length);
  const to = (from + 1 + below(ACCOUNTS.length - 1)) % ACCOUNTS.length; // any account but `from`
  return `${ACCOUNTS[from]} ${ACCOUNTS[to]} ${1 + below(100)}`;
}

/** Sends one request line and resolves with the reply, read until the server closes. */
function ask(target: Target, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(target.port, target.host);
    let reply = '';
    socket.setEncoding('utf8');
    socket.setTimeout(REPLY_TIMEOUT_MS, () => {
      socket.destroy(new Error(`no reply within ${REPLY_TIMEOUT_MS / 1000} s`));
    });
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('end', () => {
      if (reply.trim() === '') reject(new Error('closed without replying'));
      else resolve(reply.trim());
    });
    socket.on('error', reject);
    socket.write(`${line}\n`);
  });
}

/** Sends `line` to every target in turn and returns their replies, in the same order. */
async function askAll(targets: Target[], line: string): Promise<string[]> {
  const replies: string[] = [];
  for (const target of targets) {
    const reply = await ask(target, line).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Stop(`ERROR: cannot reach ${target.name}: ${reason}`);
    });
    if (reply.startsWith('ERROR')) throw new Stop(`ERROR: ${target.name} answered "${line}" with: ${reply}`);
    replies.push(reply);
  }
  return replies;
}

function parseTarget(text: string): Target | undefined {
  const colon = text.lastIndexOf(':');
  const host = colon >= 0 ? text.slice(0, colon) : '127.0.0.1';
  const portText = text.slice(colon + 1);
  const port = Number(portText);
  if (host === '' || !/^\d+$/.test(portText) || port < 1 || port > 65535) return undefined;
  return { host, port, name: text };
}

/** The options on the command line, or undefined when it is wrong. */
function parseCommandLine(argv: string[]): Options | undefined {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { count: { type: 'string' }, seed: { type: 'string' } },
      allowPositionals: true,
    });
    const targets = positionals.map(parseTarget).filter((target) => target !== undefined);
    const whole = (text: string | undefined, otherwise: number): number | undefined =>
      text === undefined ? otherwise : /^\d+$/.test(text) ? Number(text) : undefined;
    const count = whole(values.count, Infinity);
    const seed = whole(values.seed, Math.floor(Math.random() * 2 ** 32));
    if (targets.length === 0 || targets.length !== positionals.length) return undefined;
    return count === undefined || seed === undefined ? undefined : { targets, count, seed };
  } catch {
    return undefined; // an unknown option, or one without its value
  }
}

async function main(): Promise<void> {
  const options = parseCommandLine(process.argv.slice(2));
  if (options === undefined) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  let stopping = false; // set by the first Ctrl-C: finish the request under way, then stop
  const stop = (): void => {
    if (stopping) process.exit(130); // a second Ctrl-C: stop at once
    stopping = true;
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);
  const until = Number.isFinite(options.count) ? `${options.count} requests` : 'Ctrl-C';
  console.log(`clnt: sending transfers to ${options.targets.map((target) => target.name).join(', ')} until ${until}`);
  const random = mulberry32(options.seed);
  let sent = 0;
  let mismatches = 0;
  while (!stopping && sent < options.count) {
    const request = randomRequest(random);
    const replies = await askAll(options.targets, request);
    sent += 1;
    if (new Set(replies).size > 1) {
      mismatches += 1;
      const each = options.targets.map((target, i) => `${target.name} -> ${replies[i]}`);
      console.log(`ERROR replies differ for "${request}": ${each.join(', ')}`);
    }
  }
  console.log(`clnt: ${sent} requests, ${mismatches} mismatches`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Stop ? error.message : `clnt: ${String(error)}`);
  process.exit(1);
});
