// Module cells: the code cells of a notebook that hold a whole file of the lab. Such a cell opens
// with `/** @module NAME */` and its source is the file NAME.ts, so a student can write a lab's
// program in the notebook and export it to the folder the grader checks (`rsmlab export`).
// (Line comments here because the marker itself closes a block comment.)
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { usageError } from '../errors.ts';
import { cellSource, readNotebook, type Notebook } from './notebookFile.ts';

export interface ModuleCell {
  name: string;       // the file's name without `.ts`, e.g. 'coord'
  source: string;     // the cell's whole source, marker line included
  cellIndex: number;  // counting every cell from 0
}

/** The marker, before anything else in the cell but blank space; NAME is checked below. */
const MODULE_MARKER = /^\s*\/\*\*\s*@module\s+(\S*?)\s*\*\//;
const VALID_NAME = /^[A-Za-z_][\w-]*$/;  // a plain file name: no folder, no dot, no `.ts`

/**
 * The notebook's module cells, in order. A marker with a name that is not a plain file name, or a
 * name used by two cells, is a usage error naming the cells.
 */
export function findModuleCells(notebook: Notebook): ModuleCell[] {
  const modules: ModuleCell[] = [];
  notebook.cells.forEach((cell, cellIndex) => {
    const source = cellSource(cell);
    const name = cell.cell_type === 'code' ? MODULE_MARKER.exec(source)?.[1] : undefined;
    if (name === undefined) return;
    if (!VALID_NAME.test(name)) {
      throw usageError(`cell ${cellIndex + 1}: "@module ${name}" is not a file name; write the name without a folder or ".ts", e.g. /** @module coord */`);
    }
    const earlier = modules.find((module) => module.name === name);
    if (earlier) throw usageError(`cells ${earlier.cellIndex + 1} and ${cellIndex + 1} are both "@module ${name}"; give each file one cell`);
    modules.push({ name, source, cellIndex });
  });
  return modules;
}

/**
 * The first line of every exported file: like the starter's files, an exported program runs
 * as `./NAME.ts`. A TypeScript cell cannot hold it (a `#!` line is valid only at the very top of a
 * file, where the marker is), so the export adds it.
 */
export const PROGRAM_SHEBANG = '#!/usr/bin/env -S node --import tsx';

/** The text of the file a module cell stands for. */
export function moduleFileText(module: ModuleCell): string {
  return `${PROGRAM_SHEBANG}\n${module.source.endsWith('\n') ? module.source : `${module.source}\n`}`;
}

/**
 * Writes each module cell of the notebook to DIR/NAME.ts (creating DIR, replacing files of the
 * same name), executable like the starter's programs. Returns the paths written; a notebook
 * without module cells is a usage error.
 */
export function exportModules(notebookPath: string, dir: string): string[] {
  const modules = findModuleCells(readNotebook(notebookPath));
  if (modules.length === 0) {
    throw usageError(`${notebookPath} has no module cells: a cell becomes the file NAME.ts when its first line is /** @module NAME */`);
  }
  mkdirSync(dir, { recursive: true });
  return modules.map((module) => {
    const file = resolve(join(dir, `${module.name}.ts`));
    writeFileSync(file, moduleFileText(module));
    chmodSync(file, 0o755);
    return file;
  });
}
