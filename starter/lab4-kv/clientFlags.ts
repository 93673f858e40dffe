// lab4-kv client's command line and host list. Given code: do not edit; the grader uses its own copy.
//
// `./kvClient.ts -h HOST:PORT[,HOST:PORT...] -k KEY [-v VALUE]`: the hosts of -h come first, then
// the lines of ./servers.txt if there is one; an address listed twice is tried once.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { KvRequest } from './kvProtocol.ts';
import { parseAddress, readServersFileLines, type Address } from './serversFile.ts';

export const USAGE = 'usage: ./kvClient.ts -h HOST:PORT[,HOST:PORT...] -k KEY [-v VALUE]';

/** A command line that cannot be used; the message says why. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const OPTIONS = {
  h: { type: 'string', short: 'h' }, // the nodes to ask, in order
  k: { type: 'string', short: 'k' }, // the key
  v: { type: 'string', short: 'v' }, // the value to set; none: a get
} as const;

export interface ClientFlags {
  hosts: Address[]; // from -h, in order
  request: KvRequest; // a set with -v, else a get
}

/** The flags of `argv` (without node and the script); throws UsageError. */
export function parseClientFlags(argv: string[]): ClientFlags {
  let values: { h?: string; k?: string; v?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.h === undefined) throw new UsageError('-h is missing');
  if (values.k === undefined) throw new UsageError('-k is missing');
  const hosts = values.h.split(',').map((text) => {
    const address = parseAddress(text.trim());
    if (typeof address === 'string') throw new UsageError(`-h: ${address}`);
    return address;
  });
  const request: KvRequest = values.v === undefined ? { kind: 'get', key: values.k } : { kind: 'set', key: values.k, value: values.v };
  return { hosts, request };
}

/** `first`, then the addresses of the servers file at `path` if it exists, each address once (port 0 skipped). */
export function hostList(first: readonly Address[], path: string): Address[] {
  const more = existsSync(path) ? readServersFileLines(path) : [];
  const seen = new Set<string>();
  return [...first, ...more].filter((address) => {
    const key = `${address.host}:${address.port}`;
    if (address.port === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
