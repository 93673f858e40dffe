#!/usr/bin/env -S node --import tsx
// lab3-rsm lock tester: one client process with several concurrent lockers. Given code: do not edit; the grader uses its own copy.
//
// Usage: ./lockTester.ts CONFIG CLIENT_ID [--lockers N] [--rounds R] [--shared S] [--hold-ms H]
// Each locker does R rounds of: acquire a lock, print `ENTER <lock> <locker> <t>`, hold it H ms,
// print `LEAVE <lock> <locker> <t>`, release it. Even rounds take a shared lock s0..s{S-1} (every
// client contends for them), odd rounds the locker's own lock c<CLIENT_ID>.<locker>. <t> is in
// microseconds on the machine's monotonic clock, so that the lines of several testers can be
// merged. Ends with `DONE <ops> operations in <ms> ms` (exit 0), or `ERROR <message>` at the first
// failure (exit 1).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readConfig, type Replica } from './config.ts';
import { LockClient } from './lockClient.ts';
import { RsmClient } from './rsmClient.ts';

const USAGE = 'usage: ./lockTester.ts CONFIG CLIENT_ID [--lockers N] [--rounds R] [--shared S] [--hold-ms H]';

interface Options {
  replicas: Replica[]; // from CONFIG
  clientId: string; // CLIENT_ID
  lockers: number; // concurrent lockers in this process
  rounds: number; // rounds per locker
  shared: number; // shared locks
  holdMs: number; // how long a lock is held
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
// One clock for every process on the machine. Not performance.timeOrigin + now(): each process
// fixes its own timeOrigin as it starts, and on a busy machine it can be milliseconds off.
const micros = (): number => Number(process.hrtime.bigint() / 1000n);
const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The options, or a usage message. */
function parseOptions(argv: string[]): Options | string {
  const count = { type: 'string' } as const;
  const { values, positionals } = parseArgs({
    args: argv,
    options: { lockers: count, rounds: count, shared: count, 'hold-ms': count },
    allowPositionals: true,
  });
  const [config, clientId] = positionals;
  if (positionals.length !== 2 || config === undefined || clientId === undefined || !/^[\w.-]+$/.test(clientId)) return USAGE;
  const numbers = { lockers: values.lockers ?? '4', rounds: values.rounds ?? '20', shared: values.shared ?? '2', holdMs: values['hold-ms'] ?? '2' };
  for (const [name, text] of Object.entries(numbers)) if (!/^\d+$/.test(text) || (name !== 'holdMs' && Number(text) < 1)) return `${USAGE}\n--${name}: not a count: ${text}`;
  return {
    replicas: readConfig(config),
    clientId,
    lockers: Number(numbers.lockers),
    rounds: Number(numbers.rounds),
    shared: Number(numbers.shared),
    holdMs: Number(numbers.holdMs),
  };
}

/** One locker's rounds; each locker has its own RSM client, since an RSM client makes one call at a time. */
async function runLocker(options: Options, locker: number, nonce: string): Promise<number> {
  const rsm = new RsmClient(options.replicas, `${options.clientId}.${locker}.${nonce}`);
  const locks = new LockClient(rsm);
  const owner = `${options.clientId}.${locker}`;
  try {
    for (let round = 0; round < options.rounds; round++) {
      const lock = round % 2 === 0 ? `s${(round / 2 + locker) % options.shared}` : `c${options.clientId}.${locker}`;
      await locks.acquire(lock, owner);
      console.log(`ENTER ${lock} ${locker} ${micros()}`);
      await sleep(options.holdMs);
      console.log(`LEAVE ${lock} ${locker} ${micros()}`);
      await locks.release(lock, owner);
    }
    return 2 * options.rounds;
  } finally {
    rsm.close();
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === 'string') {
    console.error(options);
    return 2;
  }
  const nonce = randomBytes(4).toString('hex'); // a client name is never reused by a later run
  const start = performance.now();
  const counts = await Promise.all(Array.from({ length: options.lockers }, (_, locker) => runLocker(options, locker, nonce)));
  const ops = counts.reduce((a, b) => a + b, 0);
  console.log(`DONE ${ops} operations in ${Math.round(performance.now() - start)} ms`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.log(`ERROR ${reasonOf(error)}`);
    process.exit(1);
  },
);
