/**
 * Turns a check's recording into a demo for the handouts: the generated title, no start time, no
 * machine paths (temporary folders and the kit's location become short names), and a size bound
 * that keeps every grader line and marker but drops process output past it.
 */
import { parseCast, serializeCast, type Cast, type CastEvent } from '../record/castFile.ts';
import { demoTitle, type DemoDef } from './demoTable.ts';

export const DEMO_MAX_BYTES = 280 * 1024;

/** Longest first, so that a folder inside another is replaced by its own short name. */
export type PathNames = ReadonlyArray<readonly [path: string, short: string]>;

export function demoCast(recording: string, demo: DemoDef, paths: PathNames, maxBytes = DEMO_MAX_BYTES): string {
  const cast = parseCast(recording, demo.checkId);
  const { timestamp: _timestamp, ...header } = cast.header;
  const scrub = pathScrubber(paths);
  const events = cast.events.map(([time, code, data]): CastEvent => [time, code, scrub(data)]);
  return serializeCast(boundSize({ header: { ...header, version: 2, title: demoTitle(demo) }, events }, maxBytes));
}

export function pathScrubber(paths: PathNames): (text: string) => string {
  const sorted = [...paths].filter(([path]) => path.length > 1).sort((a, b) => b[0].length - a[0].length);
  return (text) => sorted.reduce((result, [path, short]) => result.split(path.replace(/\/+$/, '')).join(short), text);
}

/**
 * Keeps the recording under `maxBytes`: grader lines (drawn in inverse video) and markers always
 * stay; process output is kept from the start until the budget is spent, and one grader line
 * says how many lines were left out.
 */
function boundSize(cast: Cast, maxBytes: number): Cast {
  if (Buffer.byteLength(serializeCast(cast)) <= maxBytes) return cast;
  const isGrader = ([, code, data]: CastEvent): boolean => code !== 'o' || data.startsWith('\x1b[7');
  let budget = maxBytes - cast.events.filter(isGrader).reduce((sum, event) => sum + lineBytes(event), 0) - 2048;
  let dropped = 0;
  const events = cast.events.filter((event) => {
    if (isGrader(event)) return true;
    budget -= lineBytes(event);
    if (budget >= 0) return true;
    dropped += 1;
    return false;
  });
  const last = events.at(-1)?.[0] ?? 0;
  events.push([last, 'o', `\x1b[7m demo: ${dropped} lines of process output were left out to keep this recording small \x1b[0m\r\n`]);
  return { header: cast.header, events };
}

const lineBytes = (event: CastEvent): number => Buffer.byteLength(JSON.stringify(event)) + 1;
