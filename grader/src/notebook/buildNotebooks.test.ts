import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIT_ROOT, solutionDir, starterDir } from '../kitPaths.ts';
import { lab1Bank } from '../labs/lab1-bank/lab.ts';
import { lab2Factory } from '../labs/lab2-factory/lab.ts';
import { lab3Rsm } from '../labs/lab3-rsm/lab.ts';
import { lab4Kv } from '../labs/lab4-kv/lab.ts';
import { labNotebookPath, plannedNotebooks, solutionNotebookPath, withModuleFiles } from './buildNotebooks.ts';
import { findModuleCells, moduleFileText, PROGRAM_SHEBANG } from './moduleCells.ts';
import { cellSource, codeCell, markdownCell, newNotebook, readNotebook, type Cell } from './notebookFile.ts';

// Each lab with a notebook, and the files its module cells stand for, in order.
const LABS_WITH_NOTEBOOKS = [
  { lab: lab1Bank, modules: ['coord', 'srv'] },
  { lab: lab2Factory, modules: ['client', 'factoryState', 'engineer', 'admin'] },
  { lab: lab3Rsm, modules: ['rsmServer', 'rsmClient'] },
  { lab: lab4Kv, modules: ['replication', 'election', 'replicaChoice'] },
];

describe.each(LABS_WITH_NOTEBOOKS)('the $lab.id notebooks', ({ lab, modules: moduleNames }) => {
  it('are in step with the starter and solution files (else run `npx rsmlab notebooks`)', () => {
    const files = plannedNotebooks(lab);
    expect(files.map((file) => file.path)).toEqual([labNotebookPath(lab), solutionNotebookPath(lab)]);
    for (const file of files) expect(file.current, `${file.path} is stale: run \`npx rsmlab notebooks\``).toBe(file.expected);
  });

  it.each([
    ['starter', labNotebookPath(lab), starterDir(lab.id)],
    ['solution', solutionNotebookPath(lab), solutionDir(lab.id)],
  ])('%s: each module cell is the file it stands for, the marker in place of a program\'s shebang line', (_name, notebook, dir) => {
    const modules = findModuleCells(readNotebook(notebook));
    expect(modules.map((module) => module.name)).toEqual(moduleNames);
    for (const module of modules) {
      const text = readFileSync(join(dir, `${module.name}.ts`), 'utf8');
      const body = text.startsWith(`${PROGRAM_SHEBANG}\n`) ? text.slice(PROGRAM_SHEBANG.length + 1) : text; // lab 2's engineer.ts is no program
      expect(module.source).toBe(`/** @module ${module.name} */\n${body}`);
      // Exported (to grade or to run it), the cell is the file again, the marker a comment line below the shebang.
      expect(moduleFileText(module)).toBe(`${PROGRAM_SHEBANG}\n/** @module ${module.name} */\n${body}`);
    }
  });

  it('differ only in their module cells', () => {
    const starter = readNotebook(labNotebookPath(lab));
    const solution = readNotebook(solutionNotebookPath(lab));
    const modules = new Set(findModuleCells(starter).map((module) => module.cellIndex));
    expect(solution.cells).toHaveLength(starter.cells.length);
    starter.cells.forEach((cell, index) => {
      if (!modules.has(index)) expect(solution.cells[index]).toEqual(cell);
    });
    expect(solution.metadata).toEqual(starter.metadata);
  });
});

describe('rsmlab notebooks', () => {
  it('`rsmlab notebooks --check` finds them up to date', () => {
    const printed = execFileSync(process.execPath, [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), 'notebooks', '--check'], { encoding: 'utf8' });
    expect(printed).toBe('');
  });

  it('`rsmlab notebooks lab3 --check` checks one lab, and finds it up to date', () => {
    const printed = execFileSync(process.execPath, [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), 'notebooks', 'lab3', '--check'], { encoding: 'utf8' });
    expect(printed).toBe('');
  });
});

describe('withModuleFiles', () => {
  it('puts the marker and the file without its shebang in each module cell, and clears every output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsmlab-build-notebooks-'));
    try {
      execFileSync('sh', ['-c', `printf '#!/usr/bin/env -S node --import tsx\\nconsole.log("coord");\\n' > ${dir}/coord.ts`]);
      const ran: Cell = { ...codeCell('console.log(1);'), execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }] };
      const notebook = newNotebook([markdownCell('# Lab'), ran, codeCell('/** @module coord */\nold text\n')]);
      const built = withModuleFiles(notebook, dir);
      expect(built.cells[0]).toEqual(notebook.cells[0]);
      expect(built.cells[1]).toMatchObject({ source: 'console.log(1);', execution_count: null, outputs: [] });
      expect(cellSource(built.cells[2] as Cell)).toBe('/** @module coord */\nconsole.log("coord");\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
