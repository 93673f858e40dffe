/**
 * Finds lines of the kit's solutions/ in a student bundle. A line counts when, trimmed, it is at
 * least MIN_LINE long and occurs in no given file (starter/, handouts/, notebooks/), not even as
 * part of a longer line: given lines are shared on purpose, while a solution region's lines must
 * never reach students. Notebooks are searched by their cells' text as well as their JSON (which
 * escapes quotes).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_LINE = 25;
/**
 * The grader's own sources are ordinary TypeScript too, so short generic lines
 * (`for (const entry of entries) {`) match by chance; there only a long line counts as a leak.
 */
export const MIN_LINE_IN_GRADER = 50;

export interface TextFile {
  path: string;   // relative, for messages
  text: string;
}

export interface Leak {
  line: string;           // the solution line, trimmed
  solutionFile: string;   // e.g. solutions/lab1-bank/coord.ts
  bundleFile: string;     // where it appears in the bundle
}

/** The folders of the kit whose lines students receive on purpose. */
const GIVEN_DIRS = ['starter', 'handouts', 'notebooks'];

/** A file's text, plus its cells' sources when it is a notebook. */
export function searchableText(path: string, content: Buffer | string): string {
  const text = content.toString();
  if (!path.endsWith('.ipynb')) return text;
  try {
    const notebook = JSON.parse(text) as { cells?: Array<{ source?: string | string[] }> };
    const cells = (notebook.cells ?? []).map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source ?? ''));
    return `${text}\n${cells.join('\n')}`;
  } catch {
    return text;  // not JSON after all: searched as it is
  }
}

/** Every file under `dir` (of the kit), as searchable text. */
export function readTree(root: string, dir: string): TextFile[] {
  const files: TextFile[] = [];
  const visit = (relative: string): void => {
    const full = join(root, relative);
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules') visit(path);
      else if (entry.isFile()) files.push({ path, text: searchableText(path, readFileSync(join(root, path))) });
    }
  };
  if (existsSync(join(root, dir))) visit(dir);
  return files;
}

const longLines = (text: string): string[] => text.split('\n').map((line) => line.trim()).filter((line) => line.length >= MIN_LINE);

/** The solution lines that must not leak: long, and in no given file. Empty when the kit has no solutions/. */
export function secretLines(kitRoot: string): Map<string, string> {
  const given = GIVEN_DIRS.flatMap((dir) => readTree(kitRoot, dir)).map((file) => file.text).join('\n\0\n');
  const secret = new Map<string, string>();  // line -> the solution file it comes from
  for (const file of readTree(kitRoot, 'solutions')) {
    for (const line of longLines(file.text)) if (!secret.has(line) && !given.includes(line)) secret.set(line, file.path);
  }
  return secret;
}

/** Every (secret line, bundle file holding it) pair. */
export function findLeaks(secret: ReadonlyMap<string, string>, bundle: readonly TextFile[]): Leak[] {
  const leaks: Leak[] = [];
  for (const [line, solutionFile] of secret) {
    for (const file of bundle) {
      const minimum = file.path.startsWith('grader/') ? MIN_LINE_IN_GRADER : MIN_LINE;
      if (line.length >= minimum && file.text.includes(line)) leaks.push({ line, solutionFile, bundleFile: file.path });
    }
  }
  return leaks;
}
