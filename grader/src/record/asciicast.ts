/**
 * Writes a check's recording as asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/):
 * a JSON header line, then one `[seconds, "o", text]` event per output line and one
 * `[seconds, "m", label]` marker per grader event, so that the player can jump to it.
 */

export type CastEntry =
  | { atMs: number; kind: 'output'; process: string; stream: 'stdout' | 'stderr'; text: string }
  | { atMs: number; kind: 'event'; text: string; tone: 'grader' | 'passed' | 'failed' };

export interface CastMeta {
  title: string;               // the check id
  startedAtMs: number;         // Date.now() at the check's start
  width?: number;              // terminal columns, 120 by default
  height?: number;             // terminal rows, 32 by default
}

export const CAST_OUTPUT_CAP = 2 * 1024 * 1024; // bytes of process output kept in one recording

const PALETTE = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94, 91, 31]; // ANSI foreground colours, red last (verdicts use it)
const RESET = '\x1b[0m';
const TONES = { grader: '\x1b[7m', passed: '\x1b[7;32m', failed: '\x1b[7;31m' } as const; // inverse, inverse green, inverse red

/** The same colour for the same process name in every recording. */
export function colorFor(name: string): number {
  let hash = 2166136261;
  for (const char of name.replace(/-.*$/, '')) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619); // 'b-rejoined' keeps b's colour
  return PALETTE[(hash >>> 0) % PALETTE.length] as number;
}

export function renderAsciicast(meta: CastMeta, entries: readonly CastEntry[], capBytes = CAST_OUTPUT_CAP): string {
  const header = { version: 2, width: meta.width ?? 120, height: meta.height ?? 32, timestamp: Math.floor(meta.startedAtMs / 1000), title: meta.title };
  const out = [JSON.stringify(header)];
  // reduce, not Math.max(...spread): a recording can hold more entries than the call stack has room for arguments
  const pad = Math.min(16, entries.reduce((widest, entry) => (entry.kind === 'output' ? Math.max(widest, entry.process.length) : widest), 0));
  let last = 0;      // seconds of the previous event: times never go back
  let kept = 0;      // bytes of process output written
  let dropped = 0;   // bytes of process output left out
  const write = (atMs: number, code: 'o' | 'm', text: string): void => {
    last = Math.max(last, Math.round(atMs) / 1000);
    out.push(JSON.stringify([last, code, text]));
  };
  for (const entry of entries) {
    if (entry.kind === 'event') {
      write(entry.atMs, 'o', `${TONES[entry.tone]} ${clean(entry.text)} ${RESET}\r\n`);
      write(entry.atMs, 'm', clean(entry.text));
      continue;
    }
    const line = outputLine(entry.process.padEnd(pad), entry.stream, clean(entry.text));
    if (kept + line.length > capBytes) {
      dropped += entry.text.length + 1;
      continue;
    }
    kept += line.length;
    write(entry.atMs, 'o', line);
  }
  if (dropped > 0) write(last * 1000, 'o', `${TONES.grader} rsmlab: ${dropped} bytes of output were left out of this recording (it keeps ${capBytes} bytes) ${RESET}\r\n`);
  return `${out.join('\n')}\n`;
}

function outputLine(name: string, stream: 'stdout' | 'stderr', text: string): string {
  const color = `\x1b[${colorFor(name.trim())}m`;
  return `${color}${name} ${stream === 'stderr' ? '!' : '|'}${RESET} ${text}\r\n`;
}

/** Control characters (escape sequences included) would move the player's cursor: drop them. */
function clean(text: string): string {
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, ''); // keeps tab (\x09)
}
