import { describe, expect, test } from 'vitest';
import { colorFor, renderAsciicast, type CastEntry } from './asciicast.ts';

const parse = (cast: string): { header: Record<string, unknown>; events: [number, string, string][] } => {
  const [head, ...rest] = cast.trimEnd().split('\n');
  return { header: JSON.parse(head as string) as Record<string, unknown>, events: rest.map((line) => JSON.parse(line) as [number, string, string]) };
};

const entries: CastEntry[] = [
  { atMs: 5, kind: 'event', text: 'grader: started a', tone: 'grader' },
  { atMs: 12, kind: 'output', process: 'a', stream: 'stdout', text: 'Listening on port 4000 ...' },
  { atMs: 11, kind: 'output', process: 'coord', stream: 'stderr', text: 'late \x1b[31mred\x1b[0m line\r' },
  { atMs: 40, kind: 'event', text: 'grader: killed a (SIGKILL)', tone: 'grader' },
  { atMs: 50, kind: 'event', text: 'verdict: FAILED — expected X', tone: 'failed' },
];

describe('renderAsciicast', () => {
  test('writes a v2 header and one output line per entry, each ending in \\r\\n, at non-decreasing times', () => {
    const { header, events } = parse(renderAsciicast({ title: 'lab1.A.x', startedAtMs: 1_700_000_000_500 }, entries));
    expect(header).toEqual({ version: 2, width: 120, height: 32, timestamp: 1_700_000_000, title: 'lab1.A.x' });
    const times = events.map(([t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const output = events.filter(([, code]) => code === 'o').map(([, , text]) => text);
    expect(output).toHaveLength(5);
    for (const text of output) expect(text.endsWith('\r\n')).toBe(true);
  });

  test('puts a marker at each grader event, shown in inverse video too', () => {
    const { events } = parse(renderAsciicast({ title: 't', startedAtMs: 0 }, entries));
    expect(events.filter(([, code]) => code === 'm').map(([t, , label]) => [t, label])).toEqual([
      [0.005, 'grader: started a'],
      [0.04, 'grader: killed a (SIGKILL)'],
      [0.05, 'verdict: FAILED — expected X'],
    ]);
    expect(events.some(([, code, text]) => code === 'o' && text.startsWith('\x1b[7m grader: killed a'))).toBe(true);
    expect(events.some(([, code, text]) => code === 'o' && text.startsWith('\x1b[7;31m verdict: FAILED'))).toBe(true);
  });

  test('prefixes each line with its process in a colour of its own, stable per name, and strips control characters', () => {
    const { events } = parse(renderAsciicast({ title: 't', startedAtMs: 0 }, entries));
    const lines = events.filter(([, code, text]) => code === 'o' && !text.startsWith('\x1b[7')).map(([, , text]) => text);
    expect(lines[0]).toBe(`\x1b[${colorFor('a')}ma     |\x1b[0m Listening on port 4000 ...\r\n`);
    expect(lines[1]).toBe(`\x1b[${colorFor('coord')}mcoord !\x1b[0m late [31mred[0m line\r\n`);
    expect(colorFor('a')).not.toBe(colorFor('coord'));
    expect(colorFor('a')).not.toBe(colorFor('b'));
    expect(colorFor('b-rejoined')).toBe(colorFor('b'));
  });

  test('caps the output it keeps and says how much it left out; events are never dropped', () => {
    const flood: CastEntry[] = Array.from({ length: 100 }, (_, i) => ({ atMs: i, kind: 'output', process: 'a', stream: 'stdout', text: 'x'.repeat(99) }));
    flood.push({ atMs: 200, kind: 'event', text: 'verdict: PASSED', tone: 'passed' });
    const cast = renderAsciicast({ title: 't', startedAtMs: 0 }, flood, 2000);
    const { events } = parse(cast);
    const kept = events.filter(([, , text]) => text.includes('xxx')).length;
    expect(kept).toBeGreaterThan(10);
    expect(kept).toBeLessThan(20);
    expect(events.at(-1)?.[2]).toContain(`${(100 - kept) * 100} bytes of output were left out`);
    expect(events.some(([, code, text]) => code === 'm' && text === 'verdict: PASSED')).toBe(true);
  });

  test('writes a recording of more entries than a call can take arguments (a long check, thousands of messages)', () => {
    const entries: CastEntry[] = Array.from({ length: 300_000 }, (_, index) => ({ atMs: index, kind: 'output', process: 'a', stream: 'stdout', text: 'x' }));
    const cast = renderAsciicast({ title: 'long', startedAtMs: 0 }, entries);
    expect(cast.split('\n').length).toBeGreaterThan(100_000);
    expect(cast).toContain('bytes of output were left out of this recording');
  });
});
