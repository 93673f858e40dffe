#!/usr/bin/env -S node --import tsx
// lab2-factory server: one robot factory, wired from this folder's parts. Given code: do not edit; the grader uses its own copy.
//
// Where the seed's threads live, in one Node process:
// - engineers: one serveConnection() call per accepted connection (engineer.ts);
// - the production factory admin: the one loop of Admin.run(), fed by the UpdateQueue (admin.ts);
// - the idle factory admin: the role-2 branch of serveConnection() (engineer.ts).
// They share one FactoryState. Node switches between them only at an `await`, so the state needs
// no mutex; the queue is what keeps orders one at a time and in order.
import { createServer, type AddressInfo } from 'node:net';
import { Admin } from './admin.ts';
import { serveConnection, type Factory } from './engineer.ts';
import { FactoryState } from './factoryState.ts';
import type { CustomerRequest } from './messages.ts';
import { SERVER_USAGE, parseServerArgs } from './serverArgs.ts';
import { ServerStub } from './stubs.ts';
import { UpdateQueue } from './updateQueue.ts';

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function main(): Promise<void> {
  const args = parseServerArgs(process.argv.slice(2));
  if ('error' in args) {
    console.error(`server: ${args.error}`);
    console.error(SERVER_USAGE);
    process.exitCode = 2;
    return;
  }
  const factory: Factory = { state: new FactoryState(args.id), queue: new UpdateQueue<CustomerRequest, number>() };
  new Admin(factory.state, args).run(factory.queue).catch((error: unknown) => {
    console.error(`server: the admin stopped: ${reasonOf(error)}`);
    process.exit(1);
  });
  let engineers = 0; // engineers hired so far: the next one gets this number as its ID
  const server = createServer((socket) => void serveConnection(new ServerStub(socket), engineers++, factory));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(args.port, resolve));
  server.on('error', (error) => console.error(`server: ${error.message}`));
  console.log(`Listening on port ${(server.address() as AddressInfo).port} ...`);
}

main().catch((error: unknown) => {
  console.error(`server: ${reasonOf(error)}`);
  process.exit(1);
});
