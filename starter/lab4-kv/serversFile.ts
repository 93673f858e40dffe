// lab4-kv servers.txt: this node's address, then its peers'. Given code: do not edit; the grader uses its own copy.
//
// One `HOST:PORT` per line (`[IPv6]:PORT` too); blank lines and `#` comments are ignored. The first
// line is this node (port 0: the OS picks one); the others are its peers, in the order given. A peer
// is known only by its place in this list: the grader puts a proxy of its own at every address.
import { readFileSync } from 'node:fs';

export interface Address {
  host: string; // a name or an IP address, without brackets
  port: number; // 0..65535; 0 only on a node's own line
}

export interface Servers {
  self: Address; // where this node listens (the first line)
  peers: Address[]; // where it reaches the others; peer i is the (i + 2)th line
}

/** A servers.txt that cannot be used; the message names the file and line. */
export class ServersFileError extends Error {
  override name = 'ServersFileError';
}

/** The address `text` names, or why it names none. */
export function parseAddress(text: string): Address | string {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]/]+):(\d{1,5})$/.exec(text);
  if (match === null) return `expected HOST:PORT, found ${JSON.stringify(text)}`;
  const port = Number(match[2]);
  if (port > 65535) return `the port ${port} is not a number from 0 to 65535`;
  return { host: (match[1] as string).replace(/^\[(.*)\]$/, '$1'), port };
}

/** Every address of `text` with its line number; throws ServersFileError at the first bad line. */
export function parseAddresses(text: string, source: string): { address: Address; line: number }[] {
  const found: { address: Address; line: number }[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const words = (raw.split('#')[0] ?? '').trim();
    if (words === '') continue;
    const address = parseAddress(words);
    if (typeof address === 'string') throw new ServersFileError(`${source}:${index + 1}: ${address}`);
    found.push({ address, line: index + 1 });
  }
  return found;
}

/** A node's servers.txt: its own address and its peers'. */
export function parseServers(text: string, source = 'servers.txt'): Servers {
  const [self, ...peers] = parseAddresses(text, source);
  if (self === undefined) throw new ServersFileError(`${source}: lists no address (one HOST:PORT per line, this node's first)`);
  const seen = new Set<string>();
  for (const { address, line } of peers) {
    const key = `${address.host}:${address.port}`;
    if (address.port === 0) throw new ServersFileError(`${source}:${line}: a peer cannot be at port 0 (only this node's own line, the first, may say 0)`);
    if (seen.has(key)) throw new ServersFileError(`${source}:${line}: the peer ${key} is listed twice`);
    seen.add(key);
  }
  return { self: self.address, peers: peers.map((peer) => peer.address) };
}

/** Reads and parses the servers.txt at `path`; throws ServersFileError when it cannot be read or used. */
export function readServersFile(path: string): Servers {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ServersFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseServers(text, path);
}

/** Every address of the file at `path`, in order (a client's list of nodes); throws ServersFileError. */
export function readServersFileLines(path: string): Address[] {
  try {
    return parseAddresses(readFileSync(path, 'utf8'), path).map((found) => found.address);
  } catch (error) {
    if (error instanceof ServersFileError) throw error;
    throw new ServersFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
