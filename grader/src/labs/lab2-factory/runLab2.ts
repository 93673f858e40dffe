/**
 * `rsmlab run lab2`: N factories wired to each other, ids 0 … N−1, each on a free port passed as
 * PORT so that every command line names its peers' real ports (as a student would type them in N
 * terminals), and M clients whose customers place orders through factory 0.
 */
import type { RunSession } from '../../cli/runSession.ts';
import type { RunOptions } from '../labDef.ts';
import { reserveFreePorts } from './freePorts.ts';

const CUSTOMERS_PER_CLIENT = 4;   // concurrent customers in each client
const ORDERS_PER_CUSTOMER = 1000; // orders each customer places before its client prints its summary
const SCAN_IDS = 64;              // customer ids 0 … 63 in the scan command printed for each factory

export async function runLab2(session: RunSession, options: RunOptions): Promise<void> {
  const ids = [...Array(options.servers).keys()];
  const ports = await reserveFreePorts(options.servers);
  const argsOf = (id: number): string[] => {
    const peers = ids.filter((peer) => peer !== id);
    return [String(ports[id]), String(id), String(peers.length), ...peers.flatMap((peer) => [String(peer), '127.0.0.1', String(ports[peer])])];
  };
  await Promise.all(ids.map((id) => session.startServer('server', argsOf(id), `factory${id}`)));
  for (const id of ids) {
    const role = id === 0 ? ' (clients order through it, so it becomes the primary)' : '';
    process.stderr.write(`rsmlab: factory ${id} on port ${ports[id]}${role}: server ${argsOf(id).join(' ')}\n`);
    process.stderr.write(`rsmlab:   its records: ./client.ts 127.0.0.1 ${ports[id]} 1 ${SCAN_IDS} 3\n`);
  }
  for (let client = 1; client <= options.clients; client++) {
    session.start('client', ['127.0.0.1', String(ports[0]), String(CUSTOMERS_PER_CLIENT), String(ORDERS_PER_CUSTOMER), '1'], `client${client}`);
  }
}
