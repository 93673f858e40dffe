/** Lab 1 (6.033 hands-on): a coordinator that orders requests for two bank replicas. */
import type { LabDef } from '../labDef.ts';
import { oneServer } from './checks/oneServer.ts';
import { twoServers } from './checks/twoServers.ts';
import { concurrentClients } from './checks/concurrentClients.ts';
import { skewedClocks } from './checks/skewedClocks.ts';
import { freshTimestamp } from './checks/freshTimestamp.ts';
import { replicaKilled } from './checks/replicaKilled.ts';
import { replicaRejoins } from './checks/replicaRejoins.ts';
import { runLab1 } from './runLab1.ts';
import { bankTimelineWire } from './bankTimelineWire.ts';

export const lab1Bank: LabDef = {
  id: 'lab1-bank',
  number: 1,
  title: 'Bank replicas ordered by a coordinator',
  roles: {
    srv: { file: 'srv.ts', description: 'a bank replica: srv DATAFILE [--join HOST:PORT]' },
    coord: { file: 'coord.ts', description: 'the coordinator: coord PORT [PORT ...]' },
  },
  givenFiles: ['clnt.ts'],
  checks: [oneServer, twoServers, concurrentClients, skewedClocks, freshTimestamp, replicaKilled, replicaRejoins],
  timelineWire: bankTimelineWire,
  run: runLab1,
};
