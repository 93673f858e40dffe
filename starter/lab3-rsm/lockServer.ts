#!/usr/bin/env -S node --import tsx
// lab3-rsm lock server: one replica of the replicated lock service, wired from this folder's parts. Given code: do not edit; the grader uses its own copy.
//
// Usage: ./lockServer.ts CONFIG ID [--join]
// Listens on the port of line ID of CONFIG, reaches the other replicas at their lines, and prints
// `Listening on port N ...` once it takes part (with --join: once it has the master's state).
import { parseArgs } from 'node:util';
import { ConfigError, readConfig } from './config.ts';
import { Heartbeat } from './heartbeat.ts';
import { LockService } from './lockService.ts';
import { RpcClient, RpcServer } from './rpc.ts';
import { RsmServer } from './rsmServer.ts';

const USAGE = 'usage: ./lockServer.ts CONFIG ID [--join]';

class UsageError extends Error {}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { join: { type: 'boolean', default: false } }, allowPositionals: true });
  const [configPath, idText] = positionals;
  if (positionals.length !== 2 || configPath === undefined || idText === undefined || !/^\d+$/.test(idText)) throw new UsageError(USAGE);
  const replicas = readConfig(configPath);
  const me = replicas.find((replica) => replica.id === Number(idText));
  if (me === undefined) throw new ConfigError(`${configPath}: has no line for ID ${idText}`);

  const peers = new Map(replicas.filter((r) => r !== me).map((r) => [r.id, new RpcClient(r.host, r.port, `replica ${r.id}`)] as const));
  const server = new RpcServer();
  const heartbeat = new Heartbeat(me.id, peers);
  const rsm = new RsmServer(me.id, new LockService(), heartbeat, peers);
  heartbeat.register(server);
  const listening = server.listen(me.port, me.host);
  const joined = rsm.start(server, values.join); // registers its methods before the first connection can come
  const [port] = await Promise.all([listening, joined]); // a joining replica answers the master while it joins
  heartbeat.start();
  console.log(`Listening on port ${port} ...`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    console.error(error instanceof UsageError ? USAGE : `lockServer: ${reasonOf(error)}\n${USAGE}`);
    process.exit(2);
  }
  console.error(`lockServer: ${reasonOf(error)}`);
  process.exit(1);
});
