/**
 * Keeps each lab's notebooks in step with its files, so the files stay the one source of truth:
 * the module cells of `notebooks/LAB.ipynb` hold the starter's files (without their shebang line,
 * which moduleCells.ts adds back on export), and `solutions/LAB/LAB.ipynb` is the same notebook with
 * the solution's files in those cells. Both are written without outputs. `rsmlab notebooks` calls it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KIT_ROOT, solutionDir, starterDir } from '../kitPaths.ts';
import type { LabDef } from '../labs/labDef.ts';
import { usageError } from '../errors.ts';
import { findModuleCells, PROGRAM_SHEBANG } from './moduleCells.ts';
import { parseNotebook, writeNotebook, type Cell, type Notebook } from './notebookFile.ts';

export interface NotebookFile {
  path: string;      // absolute
  expected: string;  // the text the file must hold
  current: string;   // the text it holds ('' when missing)
}

export const labNotebookPath = (lab: LabDef): string => join(KIT_ROOT, 'notebooks', `${lab.id}.ipynb`);
export const solutionNotebookPath = (lab: LabDef): string => join(solutionDir(lab.id), `${lab.id}.ipynb`);

/** The lab's two notebooks as they are and as they should be; none when the lab has no notebook yet. */
export function plannedNotebooks(lab: LabDef): NotebookFile[] {
  const source = labNotebookPath(lab);
  if (!existsSync(source)) return [];
  const current = readText(source);
  const notebook = parseNotebook(current, source);
  const starter = withModuleFiles(notebook, starterDir(lab.id));
  const solution = withModuleFiles(notebook, solutionDir(lab.id));
  return [
    { path: source, expected: notebookText(starter), current },
    { path: solutionNotebookPath(lab), expected: notebookText(solution), current: readText(solutionNotebookPath(lab)) },
  ];
}

/** Writes the notebooks that are stale; returns those. */
export function buildNotebooks(lab: LabDef): NotebookFile[] {
  const stale = plannedNotebooks(lab).filter((file) => file.expected !== file.current);
  for (const file of stale) writeNotebook(file.path, JSON.parse(file.expected) as Notebook);
  return stale;
}

/** The notebook with each module cell holding DIR/NAME.ts and every output cleared. */
export function withModuleFiles(notebook: Notebook, dir: string): Notebook {
  const modules = new Map(findModuleCells(notebook).map((module) => [module.cellIndex, module.name]));
  const cells = notebook.cells.map((cell, index): Cell => {
    const name = modules.get(index);
    const source = name === undefined ? cell.source : toLines(moduleSource(join(dir, `${name}.ts`), name));
    return cell.cell_type === 'code' ? { ...cell, source, execution_count: null, outputs: [] } : { ...cell, source };
  });
  return { ...notebook, cells };
}

/** A module cell's source: the marker, then the file without its shebang line. */
export function moduleSource(file: string, name: string): string {
  if (!existsSync(file)) throw usageError(`the notebook has a module cell "${name}" but ${file} does not exist`);
  const text = readFileSync(file, 'utf8');
  const body = text.startsWith(`${PROGRAM_SHEBANG}\n`) ? text.slice(PROGRAM_SHEBANG.length + 1) : text;
  return `/** @module ${name} */\n${body}`;
}

/** Jupyter's list-of-lines form, each line keeping its '\n', so a diff shows changed lines. */
const toLines = (text: string): string[] => text.split(/(?<=\n)/);

/** The text writeNotebook would write. */
const notebookText = (notebook: Notebook): string => `${JSON.stringify(notebook, null, 1)}\n`;

const readText = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');
