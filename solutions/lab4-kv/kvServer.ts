#!/usr/bin/env -S node --import tsx
// lab4-kv node: one replica of the key-value service, wired from this folder's parts. Given code: do not edit; the grader uses its own copy.
//
// Usage: ./kvServer.ts, run in the node's own folder. It reads ./servers.txt (its own address
// first, then its peers'), keeps what it needs to recover in ./data, and prints
// `Listening on port N ...` once it serves clients and peers.
import { DiskState, DiskStateError } from './diskState.ts';
import { Election } from './election.ts';
import { listen } from './httpFront.ts';
import { KvMap } from './kvMap.ts';
import { PeerLink } from './peerLink.ts';
import { RaftState } from './raftState.ts';
import { Replication } from './replication.ts';
import { RequestRouter } from './requestRouter.ts';
import { readServersFile, ServersFileError } from './serversFile.ts';

const USAGE = 'usage: ./kvServer.ts (no arguments: run it in the node\'s folder, next to its servers.txt)';

class UsageError extends Error {}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function main(): Promise<void> {
  if (process.argv.length > 2) throw new UsageError(USAGE);
  const servers = readServersFile('servers.txt');
  const disk = new DiskState('data');
  const peers = new PeerLink(disk.nodeId, servers.peers);
  const state = new RaftState(disk, peers);
  const election = new Election(state, () => replication.lead());
  const replication = new Replication(state, election, new KvMap());
  const port = await listen(servers.self, new RequestRouter(state, replication), peers);
  election.start();
  console.log(`Listening on port ${port} ...`);
}

// A bug in a handler must not take the node down with it: one line on stderr, and on it goes.
process.on('unhandledRejection', (error: unknown) => console.error(`kvServer: unhandled: ${reasonOf(error)}`));

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(USAGE);
    process.exit(2);
  }
  const known = error instanceof ServersFileError || error instanceof DiskStateError;
  console.error(`kvServer: ${known ? reasonOf(error) : `cannot start: ${reasonOf(error)}`}`);
  process.exit(1);
});
