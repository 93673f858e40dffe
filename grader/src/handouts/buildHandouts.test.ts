// The handout pages' builder on small made-up handouts: headings get anchors, links between
// handouts go to their pages, demo markers become embedded players, and the mistakes a user can
// make (a missing demo, an --out folder that is not ours) are clear errors.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RsmlabError } from '../errors.ts';
import { handoutsCommand } from '../cli/commands/handouts.ts';
import { BUILD_MANIFEST, buildHandouts, type HandoutSources } from './buildHandouts.ts';
import { demoMarkers, handoutLink, renderHandout, slugify } from './handoutMarkdown.ts';

const CAST = [
  JSON.stringify({ version: 2, width: 80, height: 24, title: 'Two clients, one order' }),
  JSON.stringify([0.1, 'o', 'a | Listening on port 4000 ...\r\n']),
  JSON.stringify([0.5, 'm', 'grader: started clients']),
  '',
].join('\n');

const LAB = `# Lab 9: A tiny lab

See the [protocol](#protocol) and [lab 8's protocol](lab8-other.md#protocol), or [the web](https://example.org/x.md).

<!-- demo: tiny -->

\`\`\`console
<!-- demo: inside-a-code-block -->
\`\`\`

## Protocol

| kind | meaning |
|---|---|
| a | b |

<!-- BEGIN GENERATED: rubric -->
<!-- END GENERATED: rubric -->
`;

const made: string[] = [];
function sources(handouts: Record<string, string>, casts: Record<string, string>): HandoutSources {
  const root = mkdtempSync(join(tmpdir(), 'rsmlab-handouts-unit-'));
  made.push(root);
  const sourcesDir = { handoutsDir: join(root, 'handouts'), demosDir: join(root, 'handouts', 'demos') };
  mkdirSync(sourcesDir.demosDir, { recursive: true });
  for (const [name, text] of Object.entries(handouts)) writeFileSync(join(sourcesDir.handoutsDir, `${name}.md`), text);
  for (const [name, text] of Object.entries(casts)) writeFileSync(join(sourcesDir.demosDir, `${name}.cast`), text);
  return sourcesDir;
}
const outDir = (): string => join(made[made.length - 1] as string, 'out');

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function caught(action: () => unknown): RsmlabError {
  try {
    action();
  } catch (error) {
    if (error instanceof RsmlabError) return error;
    throw error;
  }
  throw new Error('expected an RsmlabError');
}

describe('handout Markdown', () => {
  it('gives headings GitHub\'s anchors and points handout links to their pages', () => {
    expect(slugify('Part D (optional, bonus): Failures')).toBe('part-d-optional-bonus-failures');
    expect(slugify('Customer connections (role 1)')).toBe('customer-connections-role-1');
    const names = new Set(['lab1-bank', 'lab2-factory']);
    expect(handoutLink('lab1-bank.md#protocol', names)).toBe('lab1-bank.html#protocol');
    expect(handoutLink('./lab2-factory.md', names)).toBe('lab2-factory.html');
    expect(handoutLink('../README.md', names)).toBe('../README.md');
    expect(handoutLink('https://example.org/lab1-bank.md', names)).toBe('https://example.org/lab1-bank.md');
    expect(handoutLink('#protocol', names)).toBe('#protocol');
  });

  it('replaces demo markers, and only those outside code blocks', () => {
    expect(demoMarkers(LAB)).toEqual([{ name: 'tiny', line: 5 }]);
    const html = renderHandout(LAB, { handoutNames: new Set(['lab8-other']), renderDemo: (marker) => `<div data-demo="${marker.name}"></div>\n` });
    expect(html).toContain('<div data-demo="tiny"></div>');
    expect(html).not.toContain('<!-- demo: tiny -->');
    expect(html).toContain('&lt;!-- demo: inside-a-code-block --&gt;');
    expect(html).toContain('<h2 id="protocol">Protocol</h2>');
    expect(html).toContain('href="lab8-other.html#protocol"');
    expect(html).toContain('href="https://example.org/x.md"');
    expect(html).toContain('<table>');
    expect(html).toContain('<!-- BEGIN GENERATED: rubric -->'); // a comment, shown to no one
  });
});

describe('buildHandouts', () => {
  it('writes a page per handout with its demo embedded as a data URL, the player and an index', () => {
    const source = sources({ 'lab9-tiny': LAB, 'lab8-other': '# Lab 8: Other\n\n## Protocol\n' }, { tiny: CAST });
    const build = buildHandouts(outDir(), source);
    expect(build.pages).toEqual(['index.html', 'lab8-other.html', 'lab9-tiny.html']);
    expect(build.demos).toBe(1);
    const page = readFileSync(join(outDir(), 'lab9-tiny.html'), 'utf8');
    expect(page).toContain('<title>Lab 9: A tiny lab</title>');
    expect(page).toContain(`data-cast="data:text/plain;base64,${Buffer.from(CAST).toString('base64')}"`);
    expect(page).toContain('<figcaption>Demo: Two clients, one order</figcaption>');
    expect(page).toContain('data-poster="npt:0.510"');
    expect(page).toContain('src="assets/asciinema-player.min.js"');
    expect(existsSync(join(outDir(), 'assets', 'asciinema-player.min.js'))).toBe(true);
    const index = readFileSync(join(outDir(), 'index.html'), 'utf8');
    expect(index).toContain('<a href="lab9-tiny.html">Lab 9: A tiny lab</a>');
    expect(index).toContain('<a href="lab8-other.html">Lab 8: Other</a>');
  });

  it('names the handout and the missing .cast, says to run npm run demos, and writes nothing', () => {
    const source = sources({ 'lab9-tiny': LAB }, {});
    const error = caught(() => buildHandouts(outDir(), source));
    expect(error.message).toContain('lab9-tiny.md line 5');
    expect(error.message).toContain(join(source.demosDir, 'tiny.cast'));
    expect(error.message).toContain('npm run demos');
    expect(existsSync(outDir())).toBe(false);
  });

  it('refuses a damaged .cast', () => {
    const source = sources({ 'lab9-tiny': LAB }, { tiny: '{"version": 1}\n' });
    expect(caught(() => buildHandouts(outDir(), source)).message).toMatch(/tiny\.cast: line 1 is not an asciicast v2 header/);
  });

  it('replaces a previous build, and refuses a folder that holds other files', () => {
    const source = sources({ 'lab9-tiny': LAB }, { tiny: CAST });
    buildHandouts(outDir(), source);
    writeFileSync(join(outDir(), 'lab9-tiny.html'), 'stale');
    buildHandouts(outDir(), source);
    expect(readFileSync(join(outDir(), 'lab9-tiny.html'), 'utf8')).toContain('<title>Lab 9');
    rmSync(join(outDir(), BUILD_MANIFEST));
    const error = caught(() => buildHandouts(outDir(), source));
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(/is not empty and is not a previous `rsmlab handouts` build/);
  });
});

describe('rsmlab handouts', () => {
  it('says --out is missing in one line, as a usage error', async () => {
    const error = await handoutsCommand().exitOverride().parseAsync([], { from: 'user' }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RsmlabError);
    expect((error as RsmlabError).code).toBe('USAGE');
    expect((error as RsmlabError).message).toMatch(/^handouts needs --out DIR[^\n]*$/);
  });
});
