/** `rsmlab notebook [LAB]`: Jupyter Notebook on the kit's notebooks, with the kit's TypeScript kernel; Ctrl-C stops it. */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findLab } from '../../labs/labRegistry.ts';
import { KIT_ROOT } from '../../kitPaths.ts';
import { usageError } from '../../errors.ts';
import { notebookUrl, SERVER_LOG, startNotebookServer } from '../../notebook/notebookServer.ts';

interface NotebookCommandOptions {
  browser: boolean;  // false with --no-browser
  port?: number;
}

const NOTEBOOKS_DIR = join(KIT_ROOT, 'notebooks');
const STOP_GRACE_MS = 10_000;  // Jupyter shuts its kernels down on SIGTERM; SIGKILL only after this

export function notebookCommand(): Command {
  return new Command('notebook')
    .description('open Jupyter Notebook on the labs\' notebooks (or on one lab\'s) with the kit\'s TypeScript kernel; Ctrl-C stops it')
    .argument('[lab]', 'lab number or name whose notebook to open: 1, lab1 or lab1-bank (default: the notebooks folder)')
    .option('--no-browser', 'do not open a web browser; open the printed address yourself')
    .option('--port <port>', 'serve on this port (default: 8888, or the next free one)', parsePort)
    .action(async (labName: string | undefined, options: NotebookCommandOptions) => {
      const open = labName === undefined ? undefined : labNotebook(labName);
      mkdirSync(NOTEBOOKS_DIR, { recursive: true });  // git keeps no empty folder: a fresh clone may lack it
      const server = startNotebookServer({ dir: NOTEBOOKS_DIR, open, port: options.port, openBrowser: options.browser });
      server.process.onLine((line) => process.stderr.write(`${line}\n`));
      // Ctrl-C is how a session normally ends: stop Jupyter gracefully instead of the default hard
      // exit. A second Ctrl-C does not wait: Jupyter is killed, and its kernels stop by themselves.
      process.removeAllListeners('SIGINT');
      let interrupts = 0;
      const interrupted = new Promise<'interrupted'>((done) => process.on('SIGINT', () => {
        if (++interrupts > 1) server.process.kill();
        done('interrupted');
      }));
      try {
        const url = await Promise.race([server.url, interrupted]);
        if (url !== 'interrupted') {
          const where = open ? notebookUrl(url, open) : url;
          process.stderr.write(`\nrsmlab: Jupyter Notebook is at ${where}\nrsmlab: kernel: TypeScript (tslab); log: ${SERVER_LOG}. Press Ctrl-C to stop it.\n`);
          await Promise.race([interrupted, server.process.exited]);
        }
      } finally {
        await server.process.stop(STOP_GRACE_MS);
      }
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError('--port must be a whole number from 1 to 65535.');
  return port;
}

/** The file name of a lab's notebook in notebooks/, which must exist. */
function labNotebook(labName: string): string {
  const file = `${findLab(labName).id}.ipynb`;
  if (!existsSync(join(NOTEBOOKS_DIR, file))) throw usageError(`there is no notebook for this lab yet (notebooks/${file}); run \`rsmlab notebook\` to open the folder`);
  return file;
}
