/** Lab 2 (CS 6650 robot factories): primary-backup replication of a state-machine log, with failures and rejoin. */
import type { LabDef } from '../labDef.ts';
import { logAndRecords } from './checks/logAndRecords.ts';
import { clientCheck } from './checks/client.ts';
import { replication } from './checks/replication.ts';
import { failures } from './checks/failures.ts';
import { rejoin } from './checks/rejoin.ts';
import { runLab2 } from './runLab2.ts';
import { withOutput } from '../../check/withOutput.ts';
import { factoryTimelineWire } from './factoryTimelineWire.ts';

export const lab2Factory: LabDef = {
  id: 'lab2-factory',
  number: 2,
  title: 'Robot factories: primary-backup replication of a state-machine log',
  roles: {
    server: { file: 'server.ts', description: 'a factory: server PORT ID NPEERS (PEER_ID PEER_HOST PEER_PORT)*' },
    client: { file: 'client.ts', description: 'the customers: client HOST PORT CUSTOMERS ORDERS REQUEST_TYPE' },
  },
  givenFiles: ['messages.ts', 'frameReader.ts', 'stubs.ts', 'updateQueue.ts', 'serverArgs.ts', 'server.ts', 'clientArgs.ts', 'latencyStats.ts'],
  checks: [logAndRecords, clientCheck, replication, failures, rejoin].map((check) => withOutput(check)),
  timelineWire: factoryTimelineWire,
  run: runLab2,
};
