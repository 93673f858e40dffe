/** `rsmlab run LAB`: start a lab's programs in one terminal instead of several; Ctrl-C stops them all. */
import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findLab } from '../../labs/labRegistry.ts';
import { starterDir } from '../../kitPaths.ts';
import { roleCommands } from '../../harness/submission.ts';
import { CheckFailure } from '../../check/checkFailure.ts';
import { RsmlabError } from '../../errors.ts';
import { RunSession } from '../runSession.ts';
import { parseCount } from '../options.ts';

interface RunCommandOptions {
  servers: number;
  clients: number;
  coord: boolean;
  dir?: string;
}

export function runCommand(): Command {
  return new Command('run')
    .description('start a lab\'s servers, coordinator and clients in one terminal with labelled output; Ctrl-C stops all')
    .argument('<lab>', 'lab number or name: 1, lab1 or lab1-bank')
    .option('--servers <n>', 'number of servers (replicas)', parseCount('--servers'), 2)
    .option('--clients <n>', 'number of clients', parseCount('--clients', 0), 1)
    .option('--coord', 'put the coordinator in front of the servers (clients talk to it)', false)
    .option('--dir <dir>', 'folder with the programs (default: the lab\'s starter folder)')
    .action(async (labName: string, options: RunCommandOptions) => {
      const lab = findLab(labName);
      const dir = resolve(options.dir ?? starterDir(lab.id));
      const logDir = join(dir, 'tmp', 'logs');
      mkdirSync(logDir, { recursive: true });
      const session = new RunSession(dir, await roleCommands(lab, dir), logDir);
      // Ctrl-C is how a run normally ends: stop the processes gracefully instead of the default hard exit.
      process.removeAllListeners('SIGINT');
      const interrupted = new Promise<void>((done) => process.once('SIGINT', () => done()));
      try {
        await lab.run(session, { ...options, dir });
      } catch (error) {
        await session.stopAll();
        if (error instanceof CheckFailure) throw new RsmlabError('SUBMISSION', error.message);
        throw error;
      }
      process.stderr.write(`rsmlab: running; logs in ${logDir}. Press Ctrl-C to stop everything.\n`);
      await Promise.race([interrupted, session.allExited()]);
      await session.stopAll();
    });
}
