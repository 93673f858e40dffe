#!/usr/bin/env -S node --import tsx
// lab2-factory client: customers that order robots or read their records at the same time, or one scan of the records (handout part A).
import { CLIENT_USAGE, parseClientArgs, type ClientArgs } from './clientArgs.ts';
import { nowUs, summaryLine } from './latencyStats.ts';
import { RequestType } from './messages.ts';
import { ClientStub, ConnectionLost } from './stubs.ts';

/*
 * Part A. runClient(args) does what the handout's "The client" section asks for args.requestType
 * 1, 2 or 3. On stdout it prints only the summary line made by summaryLine() (types 1 and 2) or
 * the records found (type 3); on stderr at most one line, naming the server, when it loses the
 * server or cannot reach it. It resolves with the exit status: 1 when no connection could be
 * opened at all, else 0. Only a bug may make it reject.
 */
// TODO(lab2, part A): run every customer at the same time, each on its own connection; scan the records.
export async function runClient(args: ClientArgs): Promise<number> {
  console.error('client: not implemented (handout part A)');
  return 1;
}
// END TODO(lab2, part A)

// ---- Given code below: the command line and exit status. ----

async function main(): Promise<void> {
  const args = parseClientArgs(process.argv.slice(2));
  if ('error' in args) {
    console.error(`client: ${args.error}`);
    console.error(CLIENT_USAGE);
    process.exitCode = 2;
    return;
  }
  process.exitCode = await runClient(args);
}

main().catch((error: unknown) => {
  console.error(`client: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
