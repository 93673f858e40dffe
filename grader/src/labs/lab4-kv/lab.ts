/** Lab 4 (CS 739 project): a replicated key-value service over HTTP that survives crashes and partitions. */
import type { LabDef } from '../labDef.ts';
import { oneNode } from './checks/oneNode.ts';
import { fourNodes } from './checks/fourNodes.ts';
import { killRestart } from './checks/killRestart.ts';
import { stopResume } from './checks/stopResume.ts';
import { partition } from './checks/partition.ts';
import { clientFailover } from './checks/clientFailover.ts';
import { runLab4 } from './runLab4.ts';

export const lab4Kv: LabDef = {
  id: 'lab4-kv',
  number: 4,
  title: 'A replicated key-value service that survives crashes and partitions',
  roles: {
    kvServer: { file: 'kvServer.ts', description: 'one node, run in its own folder holding servers.txt: kvServer' },
    kvClient: { file: 'kvClient.ts', description: 'the client: kvClient -h HOST:PORT[,HOST:PORT...] -k KEY [-v VALUE]' },
  },
  givenFiles: [
    'kvServer.ts', 'kvClient.ts', 'serversFile.ts', 'httpFront.ts', 'kvProtocol.ts', 'requestRouter.ts', 'peerLink.ts',
    'raftMessages.ts', 'raftState.ts', 'raftLog.ts', 'diskState.ts', 'kvMap.ts', 'clientFlags.ts', 'servers.example',
  ],
  checks: [oneNode, fourNodes, killRestart, stopResume, partition, clientFailover],
  run: runLab4,
};
