// The kit's demos: every marker in every handout has its recording, every recording in
// handouts/demos was made by `npm run demos` (valid asciicast v2 carrying the generated title),
// and the step that turns a check's recording into a demo keeps it short and free of local paths.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KIT_ROOT } from '../kitPaths.ts';
import { LABS } from '../labs/labRegistry.ts';
import { castMarkers, parseCast, serializeCast } from '../record/castFile.ts';
import { DEMO_MAX_BYTES, demoCast } from './demoCast.ts';
import { DEMOS, DEMOS_DIR, demoFile, demoTitle, type DemoDef } from './demoTable.ts';
import { demoMarkers } from './handoutMarkdown.ts';

const HANDOUTS_DIR = join(KIT_ROOT, 'handouts');
const handouts = readdirSync(HANDOUTS_DIR).filter((file) => file.endsWith('.md'));
const casts = existsSync(DEMOS_DIR) ? readdirSync(DEMOS_DIR).filter((file) => file.endsWith('.cast')) : [];

describe('the handouts\' demos', () => {
  it('has a recording for every demo marker in every handout, and a marker for every demo', () => {
    const shown: string[] = [];
    for (const file of handouts) {
      for (const marker of demoMarkers(readFileSync(join(HANDOUTS_DIR, file), 'utf8'))) {
        shown.push(marker.name);
        expect(existsSync(demoFile(marker.name)), `handouts/${file} line ${marker.line}: no handouts/demos/${marker.name}.cast (run npm run demos)`).toBe(true);
        expect(DEMOS.map((demo) => demo.name), `handouts/${file} line ${marker.line}: ${marker.name} is not in demoTable.ts`).toContain(marker.name);
      }
    }
    expect([...shown].sort()).toEqual(DEMOS.map((demo) => demo.name).sort());
  });

  it('declares each demo once, for a check of its lab, in a handout of that lab', () => {
    expect(new Set(DEMOS.map((demo) => demo.name)).size).toBe(DEMOS.length);
    for (const demo of DEMOS) {
      const lab = LABS.find((candidate) => candidate.id === demo.lab);
      expect(lab?.checks.map((check) => check.id), demo.name).toContain(demo.checkId);
      expect(demoMarkers(readFileSync(join(HANDOUTS_DIR, `${demo.lab}.md`), 'utf8')).map((marker) => marker.name), demo.name).toContain(demo.name);
    }
  });

  it.each(casts)('handouts/demos/%s is asciicast v2 made by npm run demos, small, with markers', (file) => {
    const demo = DEMOS.find((candidate) => candidate.name === basename(file, '.cast'));
    expect(demo, `${file} is not in demoTable.ts; demos are made by npm run demos, never by hand`).toBeDefined();
    const text = readFileSync(join(DEMOS_DIR, file), 'utf8');
    const cast = parseCast(text, file);
    expect(cast.header.title).toBe(demoTitle(demo as DemoDef));
    expect(castMarkers(cast).length).toBeGreaterThan(0);
    expect(statSync(join(DEMOS_DIR, file)).size).toBeLessThanOrEqual(DEMO_MAX_BYTES);
    expect(text).not.toMatch(/(^|[\s"'(=])\/(tmp|root|home)\//); // an absolute path of this machine
    expect(text).not.toContain(KIT_ROOT);
  });
});

describe('demoCast', () => {
  const demo = DEMOS[0] as DemoDef;
  const recording = (lines: number): string => serializeCast({
    header: { version: 2, width: 120, height: 32, timestamp: 1795258027, title: demo.checkId },
    events: [
      [0.01, 'o', '\x1b[7m grader: started a \x1b[0m\r\n'],
      [0.01, 'm', 'grader: started a'],
      ...Array.from({ length: lines }, (_, index): [number, string, string] => [0.02 + index / 1000, 'o', `a | wrote /tmp/rsmlab-demo-x1Y2/${demo.checkId}/data/a line ${index}\r\n`]),
      [9, 'o', '\x1b[7;32m verdict: PASSED \x1b[0m\r\n'],
      [9, 'm', 'verdict: PASSED'],
    ],
  });

  it('gives the generated title, drops the start time and shortens the paths', () => {
    const cast = parseCast(demoCast(recording(3), demo, [['/tmp/rsmlab-demo-x1Y2', 'logs'], ['/tmp', '/tmp']]));
    expect(cast.header.title).toBe(demoTitle(demo));
    expect(cast.header.timestamp).toBeUndefined();
    expect(cast.events[2]?.[2]).toBe(`a | wrote logs/${demo.checkId}/data/a line 0\r\n`);
  });

  it('keeps a long recording under its bound with every grader line and marker', () => {
    const text = demoCast(recording(5000), demo, [], 64 * 1024);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64 * 1024);
    const cast = parseCast(text);
    expect(castMarkers(cast).map((marker) => marker.label)).toEqual(['grader: started a', 'verdict: PASSED']);
    expect(cast.events.at(-1)?.[2]).toMatch(/demo: \d+ lines of process output were left out/);
  });
});
