#!/usr/bin/env -S node --import tsx
// lab1-bank replica: a bank whose balances live in memory and in DATAFILE (handout parts A, C and D).
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = 'usage: ./srv.ts DATAFILE [--join HOST:PORT]';
const OPENING_BALANCE = 100; // what an account holds the first time a request names it
const MAX_LINE = 64 * 1024; // longest request line accepted, in characters
const JOIN_TIMEOUT_MS = 10_000; // how long --join waits for the coordinator's answer (part D)

/** A request line that breaks the protocol; the message says how. */
class BadRequest extends Error {}

interface Address {
  host: string;
  port: number;
  name: string; // as the user wrote it, for messages
}

let dataFile = ''; // path of DATAFILE, set once from the command line
const balances = new Map<string, number>(); // every account seen so far, with its balance
let fileTime = new Date(); // time in DATAFILE's header: of the last request applied (start-up until then)

/**
 * Part C. Receives the text after AMOUNT in a transfer request ('' when there is none) and returns
 * the time to write in DATAFILE's header for that request. A request with no extension must keep
 * working. Throws BadRequest (its message says why) when the extension is malformed; the transfer
 * is then not applied.
 */
function requestTime(extension: string): Date {
  // TODO(lab1, part C): write the time the coordinator chose, the same on every replica.
  return new Date(); // stub: this replica's own clock
  // END TODO(lab1, part C)
}

/*
 * Part D (optional). A replica restarted with `--join HOST:PORT` starts empty; it must take a copy
 * of a live replica's state before it receives transfers.
 * - handleInternal(line) sees every request line first. It returns the reply to a line that is one
 *   of your own messages between coord.ts and srv.ts, or undefined for any other line (which is
 *   then handled as a transfer). A replica whose state is replaced rewrites DATAFILE before replying.
 * - joinCoordinator(coordinator, port) runs once this replica listens on `port`. It returns when the
 *   coordinator has added this replica, and throws an Error saying why when it cannot.
 */
// TODO(lab1, part D): (optional) let a restarted replica copy a live replica's state and rejoin.
function handleInternal(line: string): string | undefined {
  return undefined; // stub: every line is a transfer
}

async function joinCoordinator(coordinator: Address, port: number): Promise<void> {
  throw new Error('--join is not implemented (optional part D)');
}
// END TODO(lab1, part D)

// ---- Given code below: the bank itself, DATAFILE and the listener. ----

function balanceOf(account: string): number {
  return balances.get(account) ?? OPENING_BALANCE;
}

/** Moves `amount` from `from` to `to` when `from` holds more than `amount`; returns both balances after. */
function transfer(from: string, to: string, amount: number): [number, number] {
  for (const account of [from, to]) balances.set(account, balanceOf(account)); // both are now seen
  if (balanceOf(from) > amount) {
    balances.set(from, balanceOf(from) - amount);
    balances.set(to, balanceOf(to) + amount);
  }
  return [balanceOf(from), balanceOf(to)];
}

/** `Sat, 21 Nov 2026 04:12:00 +0000`: RFC 1123, in UTC. */
function formatTime(time: Date): string {
  return time.toUTCString().replace(/GMT$/, '+0000');
}

/** Rewrites DATAFILE whole: a new file renamed over the old one, so no reader sees half a file. */
function writeDataFile(): void {
  const lines = [`# ${formatTime(fileTime)}`];
  // sort() compares code units, as `<` does: the order does not depend on the locale.
  for (const account of [...balances.keys()].sort()) lines.push(`${account} ${balanceOf(account)}`);
  const temporary = `${dataFile}.tmp`;
  writeFileSync(temporary, `${lines.join('\n')}\n`);
  renameSync(temporary, dataFile);
}

/** Applies one `FROM TO AMOUNT [EXTENSION]` line and returns the reply `BALANCE_FROM BALANCE_TO`. */
function applyTransfer(line: string): string {
  const [from, to, amountText, ...extension] = line.trim().split(/\s+/);
  if (!from || !to || !amountText) throw new BadRequest('expected FROM TO AMOUNT');
  if (!/^\d{1,15}$/.test(amountText)) throw new BadRequest(`AMOUNT must be a whole number, not "${amountText}"`);
  const time = requestTime(extension.join(' '));
  const [fromBalance, toBalance] = transfer(from, to, Number(amountText));
  fileTime = time;
  writeDataFile();
  return `${fromBalance} ${toBalance}`;
}

/** The reply to one request line. It runs start to end before the next line is handled. */
function answer(line: string): string {
  try {
    return handleInternal(line) ?? applyTransfer(line);
  } catch (error) {
    if (error instanceof BadRequest) return `ERROR bad request: ${error.message}`;
    console.error(`srv: ${reasonOf(error)}`);
    return `ERROR ${reasonOf(error)}`;
  }
}

/** Resolves with the first line the peer sends (no newline), or all it sent if it closes first. */
function readLine(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received: string | undefined = ''; // the line so far; undefined once it is complete
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      if (received === undefined) return; // anything after the first line is ignored
      received += chunk;
      const end = received.indexOf('\n');
      if (end >= 0) {
        resolve(received.slice(0, end));
        received = undefined;
      } else if (received.length > MAX_LINE) {
        reject(new BadRequest('request line too long'));
        received = undefined;
      }
    });
    socket.on('end', () => resolve(received ?? ''));
    socket.on('error', reject);
  });
}

function serve(socket: Socket): void {
  readLine(socket).then(
    (line) => socket.end(`${answer(line)}\n`),
    (error: unknown) => socket.end(`ERROR bad request: ${reasonOf(error)}\n`), // lost if the socket broke
  );
}

/** PORT or HOST:PORT; a bare port means this machine. */
function parseAddress(text: string): Address | undefined {
  const colon = text.lastIndexOf(':');
  const host = colon >= 0 ? text.slice(0, colon) : '127.0.0.1';
  const portText = text.slice(colon + 1);
  const port = Number(portText);
  if (host === '' || !/^\d+$/.test(portText) || port < 1 || port > 65535) return undefined;
  return { host, port, name: text };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The command line: DATAFILE and maybe --join HOST:PORT, or undefined when it is wrong. */
function parseCommandLine(argv: string[]): { dataFile: string; join?: Address } | undefined {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { join: { type: 'string' } },
      allowPositionals: true,
    });
    const join = values.join === undefined ? undefined : parseAddress(values.join);
    if (positionals.length !== 1 || (values.join !== undefined && join === undefined)) return undefined;
    return { dataFile: positionals[0] ?? '', join };
  } catch {
    return undefined; // an unknown option, or --join without a value
  }
}

async function main(): Promise<void> {
  const command = parseCommandLine(process.argv.slice(2));
  if (command === undefined) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  dataFile = command.dataFile;
  rmSync(dataFile, { force: true });
  const server = createServer({ allowHalfOpen: true }, serve);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, resolve));
  server.on('error', (error) => console.error(`srv: ${error.message}`));
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on port ${port} ...`);
  if (command.join) {
    await joinCoordinator(command.join, port);
    console.log(`Joined ${command.join.name}`);
  }
}

main().catch((error: unknown) => {
  console.error(`srv: ${reasonOf(error)}`);
  process.exit(1);
});
