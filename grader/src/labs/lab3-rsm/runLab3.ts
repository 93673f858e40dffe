/**
 * `rsmlab run lab3`: N replicas of the lock server on free ports, all sharing one CONFIG (as a
 * student would start them from N terminals), and M lock testers against them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSession } from '../../cli/runSession.ts';
import type { RunOptions } from '../labDef.ts';
import { reserveFreePorts } from '../lab2-factory/freePorts.ts';
import { configText } from './configText.ts';

const ROUNDS = 1000; // rounds per locker: the testers run until stopped, in practice

export async function runLab3(session: RunSession, options: RunOptions): Promise<void> {
  const ids = [...Array(options.servers).keys()];
  const ports = await reserveFreePorts(options.servers);
  mkdirSync(join(session.dir, 'tmp'), { recursive: true });
  const config = join(session.dir, 'tmp', 'run.config');
  writeFileSync(config, `# written by rsmlab run\n${configText(ports)}`);
  await Promise.all(ids.map((id) => session.startServer('lockServer', [config, String(id)], `replica${id}`)));
  process.stderr.write(`rsmlab: ${ids.length} replicas on ports ${ports.join(', ')}; CONFIG ${config}\n`);
  for (let client = 1; client <= options.clients; client++) {
    session.start('lockTester', [config, String(client), '--rounds', String(ROUNDS)], `tester${client}`);
  }
}
