/**
 * Jupyter notebooks (.ipynb, nbformat 4) as typed values: reading, writing, building, and getting
 * at what a cell printed or displayed. Only the parts of the format the kit uses are typed; every
 * other field is kept as it was read, so a notebook written back loses nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { usageError } from '../errors.ts';
import { KERNEL_NAME } from './jupyterEnv.ts';

/** Jupyter stores text either whole or as a list of lines that each keep their '\n'. */
export type MultilineString = string | string[];

/** Output data keyed by MIME type: 'text/plain', 'text/html', 'application/json'... */
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineString;
}

export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ErrorOutput {
  output_type: 'error';
  ename: string;       // the error's class, e.g. 'TypeError'
  evalue: string;      // its message
  traceback: string[]; // lines, possibly with terminal colour codes
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

interface CellBase {
  id?: string;                        // required from nbformat 4.5 on
  source: MultilineString;
  metadata: Record<string, unknown>;
}

export interface CodeCell extends CellBase {
  cell_type: 'code';
  execution_count: number | null;     // null until the cell has run
  outputs: Output[];
}

export interface MarkdownCell extends CellBase {
  cell_type: 'markdown';
}

export interface RawCell extends CellBase {
  cell_type: 'raw';
}

export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;  // kernelspec, language_info, ...
  cells: Cell[];
}

/** Reads a notebook; a file that is missing or is not an nbformat 4 notebook is a usage error. */
export function readNotebook(path: string): Notebook {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usageError(`cannot read the notebook ${path}: no such file, or not readable`);
  }
  return parseNotebook(text, path);
}

export function parseNotebook(text: string, where: string): Notebook {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError(`${where} is not a notebook: ${(error as Error).message}`);
  }
  const notebook = value as Partial<Notebook> | null;
  if (notebook?.nbformat !== 4 || !Array.isArray(notebook.cells)) {
    throw usageError(`${where} is not a Jupyter notebook in format 4 (nbformat 4, with a list of cells)`);
  }
  return notebook as Notebook;
}

/** Writes a notebook the way Jupyter does (one-space indent, final newline), so diffs stay small. */
export function writeNotebook(path: string, notebook: Notebook): void {
  writeFileSync(path, `${JSON.stringify(notebook, null, 1)}\n`);
}

export const codeCell = (source: string): CodeCell => ({ cell_type: 'code', source, metadata: {}, execution_count: null, outputs: [] });
export const markdownCell = (source: string): MarkdownCell => ({ cell_type: 'markdown', source, metadata: {} });

/** A new notebook for the kit's TypeScript kernel; cells get ids from their position, so the file is reproducible. */
export function newNotebook(cells: readonly Cell[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: KERNEL_NAME, display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts' },
    },
    cells: cells.map((cell, index) => ({ ...cell, id: `cell-${index + 1}` })),
  };
}

export const joinText = (text: MultilineString): string => (Array.isArray(text) ? text.join('') : text);

/** A cell's source as one string. */
export const cellSource = (cell: Cell): string => joinText(cell.source);

const outputsOf = (cell: Cell): Output[] => (cell.cell_type === 'code' ? cell.outputs : []);

/** What a code cell printed on one stream, in order. */
export function streamText(cell: Cell, stream: 'stdout' | 'stderr' = 'stdout'): string {
  return outputsOf(cell)
    .filter((output): output is StreamOutput => output.output_type === 'stream' && output.name === stream)
    .map((output) => joinText(output.text))
    .join('');
}

/** The `text/html` of each display or result the cell showed (tslab's `display.html(...)`), in order. */
export function htmlOutputs(cell: Cell): string[] {
  return outputsOf(cell).flatMap((output) => {
    if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') return [];
    const html = output.data['text/html'];
    return typeof html === 'string' || Array.isArray(html) ? [joinText(html as MultilineString)] : [];
  });
}

/**
 * What a failing cell said about its failure: error outputs (kernels such as IPython's) and what it
 * printed on stderr (tslab reports compile and run-time errors there), without colour codes.
 */
export function errorText(cell: Cell): string {
  const errors = outputsOf(cell)
    .filter((output): output is ErrorOutput => output.output_type === 'error')
    .map((output) => (output.traceback.length > 0 ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`));
  return [...errors, streamText(cell, 'stderr')].join('\n').replace(ANSI_CODES, '').trim();
}

const ANSI_CODES = /\u001b\[[0-9;]*m/g;
