/**
 * Starter and solution files differ only inside the student regions, which run from
 * `// TODO(labN, part X): ...` to `// END TODO(labN, part X)`: the same regions in the same order,
 * the same lines around them, and every region of the starter different from the solution's.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BEGIN = /^\s*\/\/ TODO\((lab\d+), part ([A-Z])\):/;
const END = /^\s*\/\/ END TODO\((lab\d+), part ([A-Z])\)\s*$/;

interface Region {
  key: string; // `lab1, part B`
  line: number; // 1-based line of its begin marker
  body: string; // the lines between the markers
}

interface Split {
  outside: { line: number; text: string }[]; // every line not inside a region, markers included
  regions: Region[];
}

/** Splits a file (path from the repository's root) into the lines outside the regions and the regions' bodies. */
function splitRegions(path: string): Split {
  const split: Split = { outside: [], regions: [] };
  let open: { key: string; line: number; lines: string[] } | undefined; // the region being read
  const lines = readFileSync(join(ROOT, path), 'utf8').split('\n');
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    const begin = BEGIN.exec(text);
    const end = END.exec(text);
    if (begin && open) throw new Error(`${path}:${line}: a region begins inside the region of line ${open.line}`);
    if (end && open?.key !== `${end[1]}, part ${end[2]}`) {
      throw new Error(`${path}:${line}: \`${text.trim()}\` does not close an open region of the same lab and part`);
    }
    if (open && !end) {
      open.lines.push(text);
      continue;
    }
    split.outside.push({ line, text });
    if (begin) open = { key: `${begin[1]}, part ${begin[2]}`, line, lines: [] };
    if (end && open) {
      split.regions.push({ key: open.key, line: open.line, body: open.lines.join('\n') });
      open = undefined;
    }
  }
  if (open) throw new Error(`${path}:${open.line}: the region of ${open.key} is never closed`);
  return split;
}

/** The first line outside the regions where the files differ, as a message; undefined when none does. */
function firstDifference(starterPath: string, starter: Split, solutionPath: string, solution: Split): string | undefined {
  const count = Math.max(starter.outside.length, solution.outside.length);
  for (let i = 0; i < count; i++) {
    const a = starter.outside[i];
    const b = solution.outside[i];
    if (a?.text === b?.text) continue;
    return [
      `${starterPath}:${a?.line ?? 'end of file'} and ${solutionPath}:${b?.line ?? 'end of file'} differ outside the TODO regions:`,
      `  starter:  ${a?.text ?? '(no more lines)'}`,
      `  solution: ${b?.text ?? '(no more lines)'}`,
    ].join('\n');
  }
  return undefined;
}

/** Every .ts file under `dir`, as paths relative to it (tmp/ and node_modules/ skipped). */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !/(^|\/)(tmp|node_modules)\//.test(path))
    .sort();
}

const labs = readdirSync(join(ROOT, 'starter'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, 'solutions', entry.name)))
  .map((entry) => entry.name)
  .sort();

describe('starter and solution differ only inside TODO regions', () => {
  it('finds at least one lab with both a starter and a solution', () => {
    expect(labs.length).toBeGreaterThan(0);
  });

  for (const lab of labs) {
    const shared = tsFiles(join(ROOT, 'starter', lab)).filter((file) => existsSync(join(ROOT, 'solutions', lab, file)));

    describe(lab, () => {
      it.each(shared)('%s', (file) => {
        const starterPath = `starter/${lab}/${file}`;
        const solutionPath = `solutions/${lab}/${file}`;
        const starter = splitRegions(starterPath);
        const solution = splitRegions(solutionPath);

        expect(firstDifference(starterPath, starter, solutionPath, solution), 'lines outside the regions').toBeUndefined();
        expect(
          starter.regions.map((region) => region.key),
          `${starterPath} and ${solutionPath} must have the same regions in the same order`,
        ).toEqual(solution.regions.map((region) => region.key));
        const unchanged = starter.regions
          .filter((region, i) => region.body === solution.regions[i]?.body)
          .map((region) => `${starterPath}:${region.line} (${region.key}) is the same as the solution's`);
        expect(unchanged, 'every starter region must differ from the solution').toEqual([]);
      });
    });
  }
});
