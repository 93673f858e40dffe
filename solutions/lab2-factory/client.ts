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
  return args.requestType === RequestType.SCAN ? scan(args) : runCustomers(args);
}

interface CustomerRun {
  connected: boolean; // whether its connection opened
  lost: ConnectionLost | undefined; // how it lost the server, if it did
}

async function runCustomers(args: ClientArgs): Promise<number> {
  const latenciesUs: number[] = [];
  const start = nowUs();
  let lastReply = start;
  const answered = (latencyUs: number): void => {
    latenciesUs.push(latencyUs);
    lastReply = nowUs();
  };
  const ids = Array.from({ length: args.customers }, (_, id) => id);
  const runs = await Promise.all(ids.map((id) => runCustomer(args, id, answered)));
  const lost = runs.find((run) => run.lost !== undefined)?.lost;
  if (runs.every((run) => !run.connected)) {
    console.error(`client: ${lost?.message ?? 'cannot connect'}`);
    return 1;
  }
  if (lost) console.error(`client: ${lost.message}`);
  const requests = args.customers * args.orders;
  console.log(summaryLine({ customers: args.customers, requests, latenciesUs, elapsedUs: lastReply - start }));
  return 0;
}

/** One customer: its own connection, its requests one after the other; stops when the server is lost. */
async function runCustomer(args: ClientArgs, customerId: number, answered: (latencyUs: number) => void): Promise<CustomerRun> {
  let stub: ClientStub;
  try {
    stub = await ClientStub.connect(args.host, args.port);
  } catch (error) {
    return { connected: false, lost: lossOf(error) };
  }
  try {
    for (let orderNumber = 0; orderNumber < args.orders; orderNumber++) {
      const sentAt = nowUs();
      if (args.requestType === RequestType.ORDER) await stub.order({ customerId, orderNumber, requestType: RequestType.ORDER });
      else await stub.readRecord({ customerId, orderNumber: -1, requestType: RequestType.READ });
      answered(nowUs() - sentAt);
    }
    return { connected: true, lost: undefined };
  } catch (error) {
    return { connected: true, lost: lossOf(error) };
  } finally {
    stub.close();
  }
}

/** Type 3: reads customers 0 .. ORDERS - 1 on one connection and prints each record that exists. */
async function scan(args: ClientArgs): Promise<number> {
  let stub: ClientStub;
  try {
    stub = await ClientStub.connect(args.host, args.port);
  } catch (error) {
    console.error(`client: ${lossOf(error).message}`);
    return 1;
  }
  try {
    for (let customerId = 0; customerId < args.orders; customerId++) {
      const record = await stub.readRecord({ customerId, orderNumber: -1, requestType: RequestType.READ });
      if (record.customerId !== -1) console.log(`${record.customerId}\t${record.lastOrder}`);
    }
  } catch (error) {
    console.error(`client: ${lossOf(error).message}`);
  } finally {
    stub.close();
  }
  return 0;
}

/** The ConnectionLost `error` is; any other error is a bug and is thrown again. */
function lossOf(error: unknown): ConnectionLost {
  if (error instanceof ConnectionLost) return error;
  throw error;
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
