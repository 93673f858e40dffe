#!/usr/bin/env -S node --import tsx
// lab1-bank coordinator: the one place that orders transfers for all bank replicas (handout parts B, C and D).
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const USAGE = 'usage: ./coord.ts PORT [PORT ...]   (a PORT may also be HOST:PORT)';
const REPLICA_TIMEOUT_MS = 2000; // a replica silent for this long has failed
const MAX_LINE = 64 * 1024; // longest line accepted from a client, in characters

interface Replica {
  host: string;
  port: number;
  name: string; // as written on the command line or in a JOIN line, for messages
}

let replicas: Replica[] = []; // the live replicas, in command-line order; part D removes and adds some

/*
 * Part B. handleRequest receives each line a client sends (without its newline) as soon as it
 * arrives, so several calls may be in progress at once. It resolves to the reply for that client.
 * - Every live replica receives every transfer, and all replicas apply transfers in the same order.
 * - Resolve only once every live replica has replied, with the reply of the first of them in
 *   `replicas`; with no live replica left (part D), resolve `ERROR no live replica`.
 * - Send replicas the line withTimestamp() returns (part C), and ask them through askOrDrop()
 *   (part D makes it survive a failed replica; until then a failure fails the request).
 * - Part D: a line `JOIN [HOST:]PORT` from a restarting srv.ts goes to addReplica(), in the same order.
 * A rejection is sent to the client as `ERROR <message>`.
 */
// TODO(lab1, part B): apply every request on every replica, all replicas in one order.
let lastInOrder: Promise<unknown> = Promise.resolve(); // settles once the newest request in the order is done

async function handleRequest(line: string): Promise<string> {
  const isJoin = /^JOIN \S+$/.test(line.trim()); // a transfer has at least three words
  const turn = lastInOrder.then(() => (isJoin ? addReplica(line) : forwardToAll(line)));
  lastInOrder = turn.catch(() => undefined); // a failed request must not block the ones behind it
  return turn;
}

async function forwardToAll(line: string): Promise<string> {
  const stamped = withTimestamp(line);
  const replies: string[] = [];
  for (const replica of [...replicas]) { // a copy: askOrDrop may remove entries meanwhile
    const reply = await askOrDrop(replica, stamped);
    if (reply !== undefined) replies.push(reply);
  }
  return replies[0] ?? 'ERROR no live replica';
}
// END TODO(lab1, part B)

/**
 * Part C. Receives a client's request line when its turn in the order comes, and returns the line
 * every replica is sent for it. srv.ts must be able to take from it the time to write in its
 * header, the same on every replica; each request gets the coordinator's current time.
 */
function withTimestamp(line: string): string {
  // TODO(lab1, part C): add the time chosen for this request.
  return `${line.trim()} ${Date.now()}`;
  // END TODO(lab1, part C)
}

/*
 * Part D (optional).
 * - askOrDrop(replica, line) resolves with the replica's reply. When the replica fails, it removes
 *   it from `replicas`, prints `coord: dropping replica NAME: REASON` on stderr and resolves undefined.
 * - addReplica(line) receives `JOIN [HOST:]PORT`, in the global order. It gives the newcomer a copy
 *   of a live replica's state, and only then adds it to `replicas`. It resolves to the reply for
 *   the newcomer; rejects or resolves `ERROR ...` when the newcomer cannot be added.
 */
// TODO(lab1, part D): (optional) survive a failed replica, and let a restarted one rejoin.
async function askOrDrop(replica: Replica, line: string): Promise<string | undefined> {
  try {
    return await askReplica(replica, line);
  } catch (error) {
    replicas = replicas.filter((other) => other !== replica);
    console.error(`coord: dropping replica ${replica.name}: ${reasonOf(error)}`);
    return undefined;
  }
}

async function addReplica(line: string): Promise<string> {
  const newcomer = parseReplica(line.trim().slice('JOIN '.length));
  if (newcomer === undefined) return 'ERROR bad request: expected JOIN [HOST:]PORT';
  for (const source of [...replicas]) {
    const state = await askOrDrop(source, 'STATE');
    if (state === undefined) continue; // that one just failed: try the next
    const restored = await askReplica(newcomer, `RESTORE ${state}`);
    if (restored !== 'OK') return `ERROR ${newcomer.name} answered RESTORE with: ${restored}`;
    replicas.push(newcomer);
    return 'OK';
  }
  return 'ERROR no live replica to copy the state from';
}
// END TODO(lab1, part D)

// ---- Given code below: replica connections, the listener and the command line. ----

/**
 * Sends `line` to one replica and resolves with its reply: what it sends before closing, without
 * the newline. Rejects when the replica cannot be reached, closes without replying, or stays silent
 * for REPLICA_TIMEOUT_MS.
 */
function askReplica(replica: Replica, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(replica.port, replica.host);
    let reply = '';
    socket.setEncoding('utf8');
    socket.setTimeout(REPLICA_TIMEOUT_MS, () => {
      socket.destroy(new Error(`no reply within ${REPLICA_TIMEOUT_MS} ms`));
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
        reject(new Error('bad request: request line too long'));
        received = undefined;
      }
    });
    socket.on('end', () => resolve(received ?? ''));
    socket.on('error', reject);
  });
}

/** Answers one client connection: one line in, one line out, then close. */
async function serveClient(socket: Socket): Promise<void> {
  let reply: string;
  try {
    reply = await handleRequest(await readLine(socket));
  } catch (error) {
    console.error(`coord: ${reasonOf(error)}`);
    reply = `ERROR ${reasonOf(error)}`;
  }
  socket.end(`${reply}\n`); // if the client has gone, this goes nowhere
}

/** PORT or HOST:PORT; a bare port means this machine. */
function parseReplica(text: string): Replica | undefined {
  const colon = text.lastIndexOf(':');
  const host = colon >= 0 ? text.slice(0, colon) : '127.0.0.1';
  const portText = text.slice(colon + 1);
  const port = Number(portText);
  if (host === '' || !/^\d+$/.test(portText) || port < 1 || port > 65535) return undefined;
  return { host, port, name: text };
}

/** The replicas named on the command line, or undefined when it is wrong. */
function parseCommandLine(argv: string[]): Replica[] | undefined {
  try {
    const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true });
    const named = positionals.map(parseReplica).filter((replica) => replica !== undefined);
    return named.length > 0 && named.length === positionals.length ? named : undefined;
  } catch {
    return undefined; // an option: coord.ts takes none
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  const named = parseCommandLine(process.argv.slice(2));
  if (named === undefined) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  replicas = named;
  const server = createServer({ allowHalfOpen: true }, (socket) => void serveClient(socket));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, resolve));
  server.on('error', (error) => console.error(`coord: ${error.message}`));
  console.log(`Listening on port ${(server.address() as AddressInfo).port} ...`);
}

main().catch((error: unknown) => {
  console.error(`coord: ${reasonOf(error)}`);
  process.exit(1);
});
