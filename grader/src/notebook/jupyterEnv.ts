/**
 * Where the kit's Jupyter lives and the environment that makes Jupyter use it. `npm run setup`
 * installs Debian's Jupyter and registers the tslab kernel inside the project (under `.rsmlab/`,
 * which git ignores), never in the user's home: every notebook run by rsmlab gets the same kernel,
 * pinned to the project's node, whatever else the machine has installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentError } from '../errors.ts';
import { KIT_ROOT } from '../kitPaths.ts';

/** Debian's Python and Jupyter. A `python3` found first on PATH (pyenv, conda) lacks Debian's packages. */
export const PYTHON = '/usr/bin/python3';
export const JUPYTER = '/usr/bin/jupyter';

/** The name the kernel is registered under, as notebooks name it in `metadata.kernelspec.name`. */
export const KERNEL_NAME = 'tslab';

/** The project's Jupyter folder; scripts/setup.sh passes it to tslab's installer as `--prefix`. */
export const JUPYTER_DIR = join(KIT_ROOT, '.rsmlab', 'jupyter');
const KERNELS_PATH = join(JUPYTER_DIR, 'share', 'jupyter');      // where the kernel spec is installed
export const KERNEL_SPEC_FILE = join(KERNELS_PATH, 'kernels', KERNEL_NAME, 'kernel.json');

const SETUP_HINT = 'run `npm run setup` (it installs Jupyter and registers the tslab kernel in the project)';

/** Variables that point Jupyter at the project's folder, added to the current environment. */
export function jupyterEnv(): Record<string, string> {
  return {
    JUPYTER_PATH: KERNELS_PATH,                          // searched first for kernel specs
    JUPYTER_DATA_DIR: join(JUPYTER_DIR, 'data'),         // Jupyter's own state: runtime files, signatures
    JUPYTER_CONFIG_DIR: join(JUPYTER_DIR, 'config'),     // so a config in ~/.jupyter cannot change the kit's runs
  };
}

/**
 * Throws an environment error naming what is missing when Jupyter or the project's kernel is not
 * set up, or when the kernel's command line names a file that is gone (the node it was pinned to,
 * or the kit after the folder moved).
 */
export function assertJupyterReady(program: string = JUPYTER): void {
  if (!existsSync(program)) throw environmentError(`Jupyter is not installed (${program} is missing); ${SETUP_HINT}.`);
  if (!existsSync(KERNEL_SPEC_FILE)) throw environmentError(`the tslab kernel is not registered in this project (${KERNEL_SPEC_FILE} is missing); ${SETUP_HINT}.`);
  const gone = kernelCommand().filter(isFileArgument).filter((file) => !existsSync(toPath(file)));
  if (gone.length > 0) throw environmentError(`the tslab kernel's command names files that are gone (${gone.join(', ')}); ${SETUP_HINT}.`);
}

/** The command line Jupyter runs to start the kernel, as registered in its kernel.json. */
export function kernelCommand(): string[] {
  const spec: unknown = JSON.parse(readFileSync(KERNEL_SPEC_FILE, 'utf8'));
  const argv = (spec as { argv?: unknown }).argv;
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === 'string')) {
    throw environmentError(`${KERNEL_SPEC_FILE} has no command line (argv); ${SETUP_HINT}.`);
  }
  return argv;
}

const isFileArgument = (arg: string): boolean => arg.startsWith('/') || arg.startsWith('file:');
const toPath = (arg: string): string => (arg.startsWith('file:') ? fileURLToPath(arg) : arg);
