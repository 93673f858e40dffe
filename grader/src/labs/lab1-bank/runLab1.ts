/** `rsmlab run lab1`: servers on ./tmp/a, ./tmp/b, ..., an optional coordinator, and clients. */
import { join } from 'node:path';
import type { RunSession } from '../../cli/runSession.ts';
import type { RunOptions } from '../labDef.ts';

export async function runLab1(session: RunSession, options: RunOptions): Promise<void> {
  const names = Array.from({ length: options.servers }, (_, index) => String.fromCharCode(97 + index));
  const ports = await Promise.all(names.map((name) => session.startServer('srv', [join('tmp', name)], name)));
  const targets = options.coord ? [await session.startServer('coord', ports.map(String), 'coord')] : ports;
  for (let client = 1; client <= options.clients; client++) {
    session.start('clnt', targets.map(String), `clnt${client}`);
  }
}
