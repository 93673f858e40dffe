// The HTML report's writer on synthetic results: escaping, checks with and without a recording, the report folder's rules.
import { describe, it, expect, afterEach, beforeEach } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult, GradeResult } from '../../check/types.ts';
import type { Timeline } from '../../record/recordTypes.ts';
import { RsmlabError } from '../../errors.ts';
import { writeHtmlReport } from './writeHtmlReport.ts';
import { readCastMarkers } from './castMarkers.ts';
import { inlineSvg } from './inlineSvg.ts';

const CAST = [
  JSON.stringify({ version: 2, width: 80, height: 24 }),
  JSON.stringify([0.1, 'o', 'a: Listening on port 4000 ...\r\n']),
  JSON.stringify([0.5, 'm', 'grader: killed a (SIGKILL)']),
  JSON.stringify([0.9, 'o', 'coord: replica a is gone\r\n']),
  JSON.stringify([1.25, 'm', 'grader: verdict <failed>']),
  '[1.3, "o", "trunc',
].join('\n');

const TIMELINE: Timeline = {
  check: 'lab1.D.replica-killed', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1300, processes: ['grader', 'coord', 'a'],
  messages: [{ id: 1, link: 'coord→a', from: 'coord', to: 'a', sentMs: 100, receivedMs: 120, bytes: 12, summary: 'alice bob 10' }],
  events: [{ atMs: 500, kind: 'kill', process: 'a', text: 'grader: killed a (SIGKILL)' }],
};
const SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><defs><marker id="arrow"/></defs>'
  + '<line class="message" marker-end="url(#arrow)"/><script>alert(1)</script></svg>';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rsmlab-html-test-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function check(id: string, overrides: Partial<CheckResult>): CheckResult {
  const logDir = join(root, 'logs', id);
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(logDir, 'coord.log'), 'coord says <hello>\n');
  return {
    id, title: 'a title', part: 'D', tags: [], points: 0, maxPoints: 10, status: 'failed', message: '', seed: 7,
    durationMs: 1300, logDir, reproduce: `npx rsmlab grade lab1 ./sub --seed 7 --only ${id}`, ...overrides,
  };
}

function result(checks: CheckResult[]): GradeResult {
  return { lab: 'lab1-bank', submission: './sub', seed: 7, score: 10, maxScore: 20, bonusMaxScore: 0, executionTimeMs: 3000, logRoot: join(root, 'logs'), warnings: [], checks };
}

describe('writeHtmlReport', () => {
  it('writes a page with escaped messages, the recording, its markers, the timeline and the logs', async () => {
    const failed = check('lab1.D.replica-killed', {});
    failed.message = `expected a < b\n<script>alert("x")</script>\nReproduce: ${failed.reproduce}`;
    writeFileSync(join(failed.logDir, 'recording.cast'), CAST);
    writeFileSync(join(failed.logDir, 'timeline.json'), JSON.stringify(TIMELINE));
    writeFileSync(join(failed.logDir, 'timeline.svg'), SVG);
    const old = check('lab1.A.one-server', { status: 'passed', points: 10 });
    const page = await writeHtmlReport(result([failed, old]), join(root, 'report'));

    expect(page).toBe(join(root, 'report', 'index.html'));
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<pre class="message">expected a &lt; b\n&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</pre>');
    expect(html).not.toContain('<script>alert');
    expect(html.split('--only lab1.D.replica-killed').length, 'the command once, under Reproduce').toBe(2);
    expect(html).toContain('data-cast="data:text/plain;base64,');
    expect(html).toContain('data-marker="1" title="grader: verdict &lt;failed&gt;">1.25 s · grader: verdict &lt;failed&gt;</button>');
    expect(html).toContain('<line class="message" marker-end="url(#c0-arrow)"/>');
    expect(html).toContain('No recording for this check');
    expect(html).toContain('<a href="logs/lab1.D.replica-killed/coord.log">coord.log</a>');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(readFileSync(join(root, 'report/logs/lab1.A.one-server/coord.log'), 'utf8')).toBe('coord says <hello>\n');
    expect(existsSync(join(root, 'report/logs/lab1.D.replica-killed/recording.cast'))).toBe(true);
    expect(existsSync(join(root, 'report/assets/asciinema-player.min.js'))).toBe(true);
  });

  it('replaces an older report but refuses a folder that is not one', async () => {
    const dir = join(root, 'report');
    await writeHtmlReport(result([check('lab1.A.one-server', {})]), dir);
    writeFileSync(join(dir, 'stale.txt'), 'from the old report');
    await writeHtmlReport(result([check('lab1.A.one-server', {})]), dir);
    expect(existsSync(join(dir, 'stale.txt'))).toBe(false);

    const mine = join(root, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.md'), 'do not delete');
    await expect(writeHtmlReport(result([]), mine)).rejects.toThrow(RsmlabError);
    expect(readFileSync(join(mine, 'notes.md'), 'utf8')).toBe('do not delete');
  });

  it('leaves one whole report when two runs write it at once, and no drafts beside it', async () => {
    const dir = join(root, 'report');
    const runs = [check('lab1.A.one-server', {}), check('lab1.A.two-servers', {})].map((one) => result([one]));
    await Promise.all([...runs, ...runs].map((run) => writeHtmlReport(run, dir)));
    expect(readdirSync(root).sort()).toEqual(['logs', 'report']);
    expect(readdirSync(dir).sort()).toEqual(['.rsmlab-report', 'assets', 'index.html', 'logs']);
  });
});

describe('readCastMarkers and inlineSvg', () => {
  it('reads the markers in order and skips a cut-off line', () => {
    expect(readCastMarkers(CAST)).toEqual([
      { index: 0, timeSec: 0.5, label: 'grader: killed a (SIGKILL)' },
      { index: 1, timeSec: 1.25, label: 'grader: verdict <failed>' },
    ]);
  });

  it('drops the prolog and scripts and scopes ids', () => {
    const svg = inlineSvg(SVG, 'c3-');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<marker id="c3-arrow"/>');
    expect(svg).not.toContain('<script');
  });
});
