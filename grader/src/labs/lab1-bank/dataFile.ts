/** Reads a replica's DATAFILE: `# <UTC time>` then `ACCOUNT BALANCE` lines sorted by account. */
import { readUntrustedFile } from '../../harness/untrustedFile.ts';

export interface DataFile {
  timestampLine: string;          // the first line as written, '' when the file is empty
  timestamp: Date | undefined;    // parsed, when it has the lab's form
  balances: Map<string, number>;
  problems: string[];             // format errors, each a sentence
}

const TIMESTAMP = /^# (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const BALANCE_LINE = /^(\S+) (-?\d+)$/;

/** The replica's data file; undefined when it does not exist. */
export async function readDataFile(path: string): Promise<DataFile | undefined> {
  const read = await readUntrustedFile(path);
  if (read.kind === 'missing') return undefined;
  if (read.kind === 'refused') return { timestampLine: '', timestamp: undefined, balances: new Map(), problems: [`the grader did not read it: ${read.why}`] };
  const file = parseDataFile(read.text);
  if (read.truncated) file.problems.unshift('it is larger than 1 MiB; only its first MiB was read');
  return file;
}

export function parseDataFile(text: string): DataFile {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const timestampLine = lines[0] ?? '';
  const problems: string[] = [];
  let timestamp: Date | undefined;
  if (TIMESTAMP.test(timestampLine)) timestamp = new Date(timestampLine.slice(2).replace('+0000', 'GMT'));
  else problems.push(`its first line is "${timestampLine}", not "# " followed by a UTC time like "Sat, 21 Nov 2026 04:12:00 +0000"`);
  const balances = new Map<string, number>();
  let previous = '';
  for (const [index, line] of lines.slice(1).entries()) {
    const match = BALANCE_LINE.exec(line);
    if (!match) {
      problems.push(`line ${index + 2} is "${line}", not "ACCOUNT BALANCE"`);
      continue;
    }
    const account = match[1] as string;
    if (account <= previous) problems.push(`line ${index + 2} (${account}) is out of order: accounts must be sorted`);
    previous = account;
    balances.set(account, Number(match[2]));
  }
  return { timestampLine, timestamp, balances, problems };
}

/** Two balance tables side by side, marking the rows that differ. */
export function sideBySide(leftName: string, left: Map<string, number>, rightName: string, right: Map<string, number>): string {
  const accounts = [...new Set([...left.keys(), ...right.keys()])].sort();
  const cell = (value: number | undefined): string => (value === undefined ? '-' : String(value)).padStart(8);
  const rows = accounts.map((account) => {
    const a = left.get(account);
    const b = right.get(account);
    return `    ${account.padEnd(10)}${cell(a)}${cell(b)}${a === b ? '' : '   <-- differs'}`;
  });
  return [`    ${'account'.padEnd(10)}${leftName.padStart(8)}${rightName.padStart(8)}`, ...rows].join('\n');
}

export const sameBalances = (left: Map<string, number>, right: Map<string, number>): boolean =>
  left.size === right.size && [...left].every(([account, balance]) => right.get(account) === balance);
