#!/usr/bin/env -S node --import tsx
// lab4-kv client: one get or set, printed as the node answered it. Given code: do not edit; the grader uses its own copy.
//
// Usage: ./kvClient.ts -h HOST:PORT[,HOST:PORT...] -k KEY [-v VALUE]
// Prints only the answer's body (`KEY=OLD`, or `KEY=NIL`) and exits 0; on failure prints one line
// `ERROR: message` and exits 1 (2 for a bad command line). Nodes are tried as replicaChoice.ts says.
import { hostList, parseClientFlags, USAGE, UsageError, type ClientFlags } from './clientFlags.ts';
import { targetOf } from './kvProtocol.ts';
import { ask } from './replicaChoice.ts';

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

async function main(): Promise<number> {
  let flags: ClientFlags;
  try {
    flags = parseClientFlags(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.log(`ERROR: ${USAGE} (${oneLine(error.message)})`);
    return 2;
  }
  const body = await ask(hostList(flags.hosts, 'servers.txt'), targetOf(flags.request));
  console.log(body);
  return 0;
}

main().then(
  (code) => void (process.exitCode = code),
  (error: unknown) => {
    console.log(`ERROR: ${oneLine(reasonOf(error))}`);
    process.exitCode = 1;
  },
);
