/**
 * Jupyter Notebook, served with the project's tslab kernel as the default for new notebooks: the
 * server behind `rsmlab notebook`. It runs as a process group of its own; stop it with
 * `stop(grace)`, whose SIGTERM lets Jupyter shut its kernels down before it exits.
 */
import { join } from 'node:path';
import { environmentError } from '../errors.ts';
import { launch, type ManagedProcess } from '../harness/processLauncher.ts';
import { assertJupyterReady, JUPYTER, JUPYTER_DIR, jupyterEnv, KERNEL_NAME } from './jupyterEnv.ts';

export interface NotebookServerOptions {
  dir: string;           // the folder the server shows
  open?: string;         // a notebook in that folder to open, relative to it
  port?: number;         // when given, exactly this port; else Jupyter's 8888 or the next free one
  openBrowser: boolean;
}

export interface NotebookServer {
  process: ManagedProcess;
  url: Promise<string>;  // the server's address with its login token, once Jupyter prints it
}

export const SERVER_LOG = join(JUPYTER_DIR, 'notebook-server.log');

export function startNotebookServer(options: NotebookServerOptions): NotebookServer {
  assertJupyterReady(JUPYTER);
  const server = launch({
    name: 'jupyter',
    command: JUPYTER,
    args: serverArgs(options),
    cwd: options.dir,
    env: jupyterEnv(),
    logFile: SERVER_LOG,
    outputCapBytes: 64 * 1024 * 1024,  // a whole day's session logs a line per save; keep showing them
  });
  return { process: server, url: printedUrl(server) };
}

function serverArgs(options: NotebookServerOptions): string[] {
  return [
    'notebook',
    `--notebook-dir=${options.dir}`,
    '--ip=127.0.0.1',  // this machine only: a notebook runs any code it is given
    ...(options.port === undefined ? [] : [`--port=${options.port}`, '--port-retries=0']),
    ...(options.openBrowser ? [] : ['--no-browser']),
    `--MultiKernelManager.default_kernel_name=${KERNEL_NAME}`,
    // Jupyter refuses to run as root unless told; in a container or a grading VM root is the usual user.
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ...(options.open ? [options.open] : []),
  ];
}

/** Resolves with the first address Jupyter prints (`http://127.0.0.1:8888/?token=...`). */
function printedUrl(server: ManagedProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const stopListening = server.onLine((line) => {
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(line)?.[1];
      if (!url) return;
      stopListening();
      resolve(url);
    });
    void server.exited.then(() => reject(environmentError(`Jupyter Notebook stopped before it was ready:\n${server.outputTail().join('\n')}`)));
  });
}

/** The address of one notebook of the server, from the server's address and its token. */
export function notebookUrl(serverUrl: string, notebook: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/notebooks/${notebook.split('/').map(encodeURIComponent).join('/')}`;
  return url.toString();
}
