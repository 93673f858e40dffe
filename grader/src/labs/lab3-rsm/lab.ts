/** Lab 3 (6.824 lab 7): a replicated state machine library with a replicated lock server on top. */
import type { LabDef } from '../labDef.ts';
import { noFailure } from './checks/noFailure.ts';
import { replicaKilled } from './checks/replicaKilled.ts';
import { masterKilled } from './checks/masterKilled.ts';
import { joinThenMasterKilled } from './checks/joinThenMasterKilled.ts';
import { rsmTimelineWire } from './rsmTimelineWire.ts';
import { runLab3 } from './runLab3.ts';
import { withOutput } from '../../check/withOutput.ts';

/** The testers' routine lines, left out of what a failed check quotes of the programs' output. */
const TESTER_LINES = /^(ENTER |LEAVE |DONE )/;

export const lab3Rsm: LabDef = {
  id: 'lab3-rsm',
  number: 3,
  title: 'A replicated lock server on a replicated state machine',
  roles: {
    lockServer: { file: 'lockServer.ts', description: 'one replica: lockServer CONFIG ID [--join]' },
    lockTester: { file: 'lockTester.ts', description: 'the given tester: lockTester CONFIG CLIENT_ID [--lockers N] [--rounds R]' },
  },
  givenFiles: ['rpc.ts', 'config.ts', 'heartbeat.ts', 'lockService.ts', 'lockClient.ts', 'lockServer.ts', 'lockTester.ts', 'config.example'],
  checks: [noFailure, replicaKilled, masterKilled, joinThenMasterKilled].map((check) => withOutput(check, TESTER_LINES)),
  timelineWire: rsmTimelineWire,
  run: runLab3,
};
