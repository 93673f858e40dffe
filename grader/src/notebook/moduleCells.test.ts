import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KIT_ROOT } from '../kitPaths.ts';
import { exportModules, findModuleCells, moduleFileText, PROGRAM_SHEBANG } from './moduleCells.ts';
import { codeCell, markdownCell, newNotebook, writeNotebook, type Cell } from './notebookFile.ts';

const COORD = '/** @module coord */\nexport const coordinator = true;\n';

const lines = (text: string): string[] => text.split(/(?<=\n)/);  // Jupyter's list-of-lines form

describe('findModuleCells', () => {
  it('finds the code cells that open with the marker, in order, with their whole source', () => {
    const notebook = newNotebook([
      markdownCell('# Lab 1'),
      codeCell(COORD),
      codeCell('const notAModule = 1;'),
      { ...codeCell(''), source: lines('\n  /**  @module srv  */\nconsole.log("srv");\n') },
    ]);
    expect(findModuleCells(notebook)).toEqual([
      { name: 'coord', source: COORD, cellIndex: 1 },
      { name: 'srv', source: '\n  /**  @module srv  */\nconsole.log("srv");\n', cellIndex: 3 },
    ]);
  });

  it('ignores the marker in markdown cells and anywhere but the start of a code cell', () => {
    const notebook = newNotebook([
      markdownCell('/** @module coord */'),
      codeCell('// the coordinator\n/** @module coord */'),
      codeCell('const x = 1; /** @module coord */'),
    ]);
    expect(findModuleCells(notebook)).toEqual([]);
  });

  it.each([
    ['a folder', '../srv'],
    ['an extension', 'coord.ts'],
    ['no name', ''],
  ])('rejects a name with %s, naming the cell', (_what, name) => {
    const notebook = newNotebook([markdownCell('intro'), codeCell(`/** @module ${name} */\n`)]);
    expect(() => findModuleCells(notebook)).toThrow(/^cell 2: "@module .*" is not a file name/);
  });

  it('rejects two cells for the same file, naming both', () => {
    const notebook = newNotebook([codeCell(COORD), markdownCell('again'), codeCell(COORD)]);
    expect(() => findModuleCells(notebook)).toThrow('cells 1 and 3 are both "@module coord"');
  });
});

describe('exportModules', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rsmlab-module-cells-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const writeLab = (cells: Cell[]): string => {
    const path = join(dir, 'lab.ipynb');
    writeNotebook(path, newNotebook(cells));
    return path;
  };

  it('writes each module cell to DIR/NAME.ts, creating DIR, as an executable program', () => {
    const notebook = writeLab([codeCell(COORD), codeCell('/** @module srv */\nconsole.log("srv");')]);
    const out = join(dir, 'out', 'lab1-bank');
    expect(exportModules(notebook, out)).toEqual([join(out, 'coord.ts'), join(out, 'srv.ts')]);
    expect(readFileSync(join(out, 'coord.ts'), 'utf8')).toBe(`${PROGRAM_SHEBANG}\n${COORD}`);
    expect(readFileSync(join(out, 'srv.ts'), 'utf8')).toBe(`${PROGRAM_SHEBANG}\n/** @module srv */\nconsole.log("srv");\n`);
    expect(statSync(join(out, 'srv.ts')).mode & 0o111).toBe(0o111);
  });

  it('refuses a notebook without module cells, saying how to make one', () => {
    const notebook = writeLab([codeCell('console.log(1);')]);
    expect(() => exportModules(notebook, join(dir, 'out'))).toThrow('a cell becomes the file NAME.ts when its first line is /** @module NAME */');
  });

  it('is what `rsmlab export NOTEBOOK DIR` does', () => {
    const notebook = writeLab([codeCell(COORD)]);
    const out = join(dir, 'exported');
    const printed = execFileSync(process.execPath, [join(KIT_ROOT, 'grader/bin/rsmlab.mjs'), 'export', notebook, out], { cwd: dir, encoding: 'utf8' });
    expect(printed).toBe('wrote exported/coord.ts\n');
    expect(readFileSync(join(out, 'coord.ts'), 'utf8')).toBe(moduleFileText({ name: 'coord', source: COORD, cellIndex: 0 }));
  });
});
