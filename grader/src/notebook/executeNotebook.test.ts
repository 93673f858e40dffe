/**
 * Notebooks run for real: Debian's Jupyter and the project's tslab kernel, as `npm run setup`
 * installs them. Each test writes a tiny notebook in a temporary folder and runs it top to bottom.
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIT_ROOT } from '../kitPaths.ts';
import { createRng } from '../harness/rng.ts';
import { executeNotebook, type NotebookRun } from './executeNotebook.ts';
import { kernelCommand } from './jupyterEnv.ts';
import { codeCell, htmlOutputs, markdownCell, newNotebook, streamText, writeNotebook, type Cell } from './notebookFile.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rsmlab-notebook-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a notebook of these cells in the test's folder and runs it. */
async function run(name: string, cells: Cell[], options: Parameters<typeof executeNotebook>[1] = {}): Promise<NotebookRun> {
  const path = join(dir, `${name}.ipynb`);
  writeNotebook(path, newNotebook(cells));
  return executeNotebook(path, options);
}

/** Processes whose working folder is `folder`: a notebook's kernel works in the notebook's folder. */
function processesWorkingIn(folder: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === folder;
    } catch {
      return false;  // gone meanwhile, or not ours to read
    }
  });
}

const stdoutOf = (run: NotebookRun, index: number): string => streamText(run.notebook.cells[index] as Cell);

describe('executeNotebook', () => {
  it('runs TypeScript cells, shows tslab displays, imports kit modules, and leaves the source file as it was', async () => {
    writeFileSync(join(dir, 'double.ts'), 'export const double = (n: number): number => 2 * n;\n');
    const labRegistry = join(KIT_ROOT, 'grader/src/labs/labRegistry.ts');
    const rngModule = join(KIT_ROOT, 'grader/src/harness/rng.ts');
    const cells = [
      markdownCell('# A tiny notebook'),
      codeCell('const squares: number[] = [1, 2, 3].map((n) => n * n);\nconsole.log("sum of squares", squares.reduce((a, b) => a + b, 0));'),
      codeCell('import * as tslab from "tslab";\ntslab.display.html("<b>replicas agree</b>");'),
      // The kit's modules run through the kit's own TypeScript loader, .ts imports and all.
      codeCell(`const { createRng } = require(${JSON.stringify(rngModule)});\nconsole.log("rng", createRng(7).int(1, 1000));`),
      codeCell(`const { findLab } = require(${JSON.stringify(labRegistry)});\nconsole.log("lab", findLab("1").id);`),
      codeCell('import { double } from "./double";\nconsole.log("double", double(21));'),
      codeCell('console.log(JSON.stringify({ node: process.execPath, cwd: process.cwd() }));'),
    ];
    const path = join(dir, 'tiny.ipynb');
    writeNotebook(path, newNotebook(cells));
    const source = readFileSync(path, 'utf8');

    const started = Date.now();
    const result = await executeNotebook(path);
    process.stderr.write(`[timing] kernel start + a notebook of ${cells.length - 1} small code cells: ${Date.now() - started} ms\n`);

    expect(result.failure).toBeUndefined();
    expect(stdoutOf(result, 1)).toBe('sum of squares 14\n');
    expect(htmlOutputs(result.notebook.cells[2] as Cell)).toEqual(['<b>replicas agree</b>']);
    expect(stdoutOf(result, 3)).toBe(`rng ${createRng(7).int(1, 1000)}\n`);
    expect(stdoutOf(result, 4)).toBe('lab lab1-bank\n');
    expect(stdoutOf(result, 5)).toBe('double 42\n');
    expect(JSON.parse(stdoutOf(result, 6))).toEqual({ node: kernelCommand()[0], cwd: dir });
    expect(readFileSync(path, 'utf8')).toBe(source);
    expect(processesWorkingIn(dir)).toEqual([]);
  });

  it('reports a cell that does not compile, with the compiler\'s message, and runs no cell after it', async () => {
    const result = await run('type-error', [
      codeCell('console.log("before");'),
      codeCell('const replicas: number = "two";'),
      codeCell('console.log("after");'),
    ]);
    expect(result.failure).toMatchObject({ cellIndex: 1, kind: 'error' });
    expect(result.failure?.output).toContain('Type \'string\' is not assignable to type \'number\'');
    expect(result.failure?.message).toContain('cell 2 (counting every cell from 1)');
    expect(result.failure?.message).toContain('| const replicas: number = "two";');
    expect(stdoutOf(result, 0)).toBe('before\n');
    expect(stdoutOf(result, 2)).toBe('');
  });

  it('reports a cell that throws with the error and where the cell threw it, without the kernel\'s own stack frames', async () => {
    const result = await run('throws', [
      markdownCell('The second cell throws.'),
      codeCell('function transfer(amount: number): void {\n  if (amount < 0) throw new RangeError(`negative amount ${amount}`);\n}\ntransfer(-5);'),
    ]);
    expect(result.failure).toMatchObject({ cellIndex: 1, kind: 'error' });
    expect(result.failure?.output).toContain('RangeError: negative amount -5');
    expect(result.failure?.output).toContain('at transfer');
    expect(result.failure?.output).not.toContain('node_modules/tslab');
  });

  it('stops a cell that runs past the time limit of one cell, and names it', async () => {
    const result = await run('slow-cell', [
      codeCell('console.log("quick");'),
      codeCell('while (true) {}'),
      codeCell('console.log("never");'),
    ], { cellTimeLimitMs: 3000 });
    expect(result.failure).toMatchObject({ cellIndex: 1, kind: 'timeout' });
    expect(result.failure?.message).toContain('time limit of one cell');
    expect(stdoutOf(result, 0)).toBe('quick\n');
    expect(processesWorkingIn(dir)).toEqual([]);
  });

  it('stops the whole run at its time limit and leaves no process behind', async () => {
    const result = await run('endless', [
      codeCell('console.log("started");'),
      codeCell('await new Promise(() => {});  // never settles'),
    ], { timeLimitMs: 20_000, cellTimeLimitMs: 60_000 });
    expect(result.failure).toMatchObject({ cellIndex: 1, kind: 'time-limit' });
    expect(result.failure?.message).toContain('did not finish within 20 s');
    expect(result.elapsedMs).toBeLessThan(20_000 + 8_000);
    expect(processesWorkingIn(dir)).toEqual([]);
  });
});
