/**
 * Quiets tslab about a module cell's imports. tslab type-checks a `/** @module NAME *\/` cell on
 * its own, in the kernel's folder, where the lab's other files are not, and with options that
 * refuse `.ts` in import paths; so a cell such as lab 2's `engineer` gets red lines under it
 * ("Cannot find module './messages.ts'", "An import path can only end with a '.ts' extension")
 * although the program is fine: the experiments and the checks run it next to its files. This hides
 * exactly those two messages, about a lab file importing a lab file, and the one message they bring
 * about: a class from an import tslab could not find has no type, so `error instanceof RemoteError`
 * leaves `error` unknown and tslab says "Property 'code' does not exist on type 'unknown'" (lab 3's
 * rsmClient). That one is hidden only in a file whose lab imports tslab could not find. Every other
 * message shows. If a later tslab prints them differently, they simply show again.
 */
import { readdirSync } from 'node:fs';
import { starterDir } from '../kitPaths.ts';
import type { LabDef } from '../labs/labDef.ts';

// One line tslab prints for one diagnostic of a module cell: `FILE LINE:COLUMN - MESSAGE`.
const TSLAB_DIAGNOSTIC = /^([\w-]+\.ts) \d+:\d+ - (.*)\n?$/;
const TS_EXTENSION = /^An import path can only end with a '\.ts' extension when 'allowImportingTsExtensions' is enabled\.$/;
const NOT_FOUND = /^Cannot find module '\.\/([\w-]+\.ts)' or its corresponding type declarations\.$/;
const UNKNOWN_PROPERTY = /^Property '\w+' does not exist on type 'unknown'\.$/;

const labFiles = new Set<string>(); // the .ts files of every lab opened in this kernel, e.g. 'messages.ts'
const unresolved = new Set<string>(); // the lab files whose imports of lab files tslab could not find
let installed = false;

/** From now on, the kernel's stderr drops tslab's import messages about `lab`'s files. */
export function quietLabImports(lab: LabDef): void {
  for (const file of readdirSync(starterDir(lab.id))) if (file.endsWith('.ts')) labFiles.add(file);
  if (installed) return;
  installed = true;
  filterWrites(process.stderr, (text) => isImportNoise(text, labFiles, unresolved));
}

/**
 * Whether `text`, written on stderr, is tslab's message about a lab file (`files`) importing a lab
 * file, or one it brings about. `unresolved` collects the lab files whose lab imports were not found.
 */
export function isImportNoise(text: string, files: ReadonlySet<string>, unresolved = new Set<string>()): boolean {
  const [, file, message = ''] = TSLAB_DIAGNOSTIC.exec(text) ?? [];
  if (file === undefined || !files.has(file)) return false;
  const missing = NOT_FOUND.exec(message)?.[1];
  if (missing !== undefined && files.has(missing)) {
    unresolved.add(file);
    return true;
  }
  return TS_EXTENSION.test(message) || (UNKNOWN_PROPERTY.test(message) && unresolved.has(file));
}

/**
 * Drops each text written on `stream` that `drop` picks. tslab captures a cell's output by
 * assigning its own function to `stream.write` before each cell (and prints diagnostics through
 * a console.error it saved at start-up), so the filter wraps whatever function is assigned.
 */
function filterWrites(stream: NodeJS.WriteStream, drop: (text: string) => boolean): void {
  let write: typeof stream.write = stream.write;
  const filtered = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string' && drop(chunk)) return true;
    return Reflect.apply(write, stream, [chunk, ...rest]) as boolean;
  };
  Object.defineProperty(stream, 'write', {
    configurable: true,
    enumerable: true,
    get: () => filtered,
    set: (next: typeof stream.write) => {
      write = next;
    },
  });
}
