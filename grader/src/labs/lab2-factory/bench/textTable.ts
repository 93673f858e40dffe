/** A plain-text table: a header row and data rows; columns right-aligned unless listed in `left`. */

export function textTable(header: readonly string[], rows: readonly (readonly string[])[], left: readonly number[] = [0], indent = '  '): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    indent + cells.map((cell, column) => (left.includes(column) ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
