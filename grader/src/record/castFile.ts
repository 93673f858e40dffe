/**
 * asciicast v2, the format of the grader's recordings: a JSON header line, then one JSON array per
 * event, `[seconds, code, data]`, where code is "o" (output), "i" (input), "r" (resize) or "m"
 * (marker, data is its label). Read strictly, so that a damaged or hand-made file is refused.
 */

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  title?: string;
  [key: string]: unknown;   // timestamp, env, theme...: kept as they are
}

export type CastEvent = [number, string, string];

export interface Cast {
  header: CastHeader;
  events: CastEvent[];
}

const EVENT_CODES = new Set(['o', 'i', 'r', 'm']);

/** Parses a recording; throws an Error naming `name` and the line when it is not valid asciicast v2. */
export function parseCast(text: string, name = 'recording'): Cast {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const [first, ...rest] = lines;
  const header = parseLine(first ?? '', name, 1);
  if (!isHeader(header)) throw new Error(`${name}: line 1 is not an asciicast v2 header (version 2, width, height)`);
  let previous = 0;
  const events = rest.map((line, index) => {
    const event = parseLine(line, name, index + 2);
    if (!isEvent(event)) throw new Error(`${name}: line ${index + 2} is not an event [seconds, code, data]`);
    if (event[0] < previous) throw new Error(`${name}: line ${index + 2} goes back in time (${event[0]} s after ${previous} s)`);
    previous = event[0];
    return event;
  });
  return { header, events };
}

export function serializeCast(cast: Cast): string {
  return [JSON.stringify(cast.header), ...cast.events.map((event) => JSON.stringify(event))].join('\n') + '\n';
}

/** The markers of a recording: their times in seconds and labels. */
export function castMarkers(cast: Cast): { time: number; label: string }[] {
  return cast.events.filter((event) => event[1] === 'm').map(([time, , label]) => ({ time, label }));
}

export const castDuration = (cast: Cast): number => cast.events.at(-1)?.[0] ?? 0;

function parseLine(line: string, name: string, number: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${name}: line ${number} is not JSON`);
  }
}

function isHeader(value: unknown): value is CastHeader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const header = value as Record<string, unknown>;
  return header.version === 2 && isPositiveInteger(header.width) && isPositiveInteger(header.height)
    && (header.title === undefined || typeof header.title === 'string');
}

function isEvent(value: unknown): value is CastEvent {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'number' && Number.isFinite(value[0]) && value[0] >= 0
    && typeof value[1] === 'string' && EVENT_CODES.has(value[1]) && typeof value[2] === 'string';
}

const isPositiveInteger = (value: unknown): boolean => Number.isInteger(value) && (value as number) > 0;
