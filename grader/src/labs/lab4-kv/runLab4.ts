/**
 * `rsmlab run lab4`: N nodes on free ports, each in its own folder under tmp/ with a servers.txt
 * (itself first, then the others), as a student would start them from N terminals. The client is
 * run by hand: the command to try is printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSession } from '../../cli/runSession.ts';
import type { RunOptions } from '../labDef.ts';
import { reserveFreePorts } from '../lab2-factory/freePorts.ts';

export async function runLab4(session: RunSession, options: RunOptions): Promise<void> {
  const ids = [...Array(options.servers).keys()];
  const ports = await reserveFreePorts(options.servers);
  const hosts = ports.map((port) => `127.0.0.1:${port}`);
  const folders = ids.map((id) => {
    const folder = join(session.dir, 'tmp', `node${id}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'servers.txt'), [hosts[id], ...hosts.filter((_, other) => other !== id)].join('\n') + '\n');
    return folder;
  });
  await Promise.all(ids.map((id) => session.startServer('kvServer', [], `node${id}`, folders[id])));
  process.stderr.write(`rsmlab: ${ids.length} nodes at ${hosts.join(', ')} (folders ${join(session.dir, 'tmp')}/node*); try:\n  ./kvClient.ts -h ${hosts.join(',')} -k hello -v world\n`);
}
