/**
 * `rsmlab handouts`: every handouts/*.md as a page that opens from disk with no network, its demo
 * markers replaced by embedded players, plus an index of the labs. Everything is rendered before
 * anything is written, so a missing demo leaves the output folder as it was.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { environmentError, usageError } from '../errors.ts';
import { KIT_ROOT } from '../kitPaths.ts';
import { copyPlayerAssets, PLAYER_FILES } from '../report/playerAssets.ts';
import { castDuration, parseCast, type Cast } from '../record/castFile.ts';
import { DEMOS_DIR } from './demoTable.ts';
import { demoMarkers, handoutTitle, renderHandout, type DemoMarker } from './handoutMarkdown.ts';
import { ASSETS_DIR, demoFigure, handoutPage, indexPage, type IndexEntry } from './handoutPage.ts';

/** Marks a folder as made by this command, listing what it wrote, so that a rebuild may replace it. */
export const BUILD_MANIFEST = '.rsmlab-handouts.json';

export interface HandoutSources {
  handoutsDir: string;   // the *.md files
  demosDir: string;      // NAME.cast for each demo marker
}

export const KIT_HANDOUTS: HandoutSources = { handoutsDir: join(KIT_ROOT, 'handouts'), demosDir: DEMOS_DIR };

export interface HandoutsBuild {
  outDir: string;
  pages: string[];   // file names written, index.html first
  demos: number;     // players embedded, over all pages
}

export function buildHandouts(outDir: string, sources: HandoutSources = KIT_HANDOUTS): HandoutsBuild {
  const names = readdirSync(sources.handoutsDir).filter((file) => file.endsWith('.md')).map((file) => basename(file, '.md')).sort();
  const handoutNames = new Set(names);
  const files = new Map<string, string>();
  const entries: IndexEntry[] = [];
  for (const name of names) {
    const path = join(sources.handoutsDir, `${name}.md`);
    const markdown = readFileSync(path, 'utf8');
    const title = handoutTitle(markdown) ?? name;
    const demos = demoMarkers(markdown).length;
    const renderDemo = (marker: DemoMarker): string => demoHtml(marker, path, sources.demosDir);
    files.set(`${name}.html`, handoutPage(title, renderHandout(markdown, { handoutNames, renderDemo }), demos > 0));
    entries.push({ name, title, demos });
  }
  files.set('index.html', indexPage(entries));

  prepareOutDir(outDir);
  const written = [...files.keys()].sort((a, b) => (a === 'index.html' ? -1 : b === 'index.html' ? 1 : a.localeCompare(b)));
  for (const [file, html] of files) writeFileSync(join(outDir, file), html);
  const demos = entries.reduce((sum, entry) => sum + entry.demos, 0);
  const assets = demos > 0 ? Object.values(PLAYER_FILES).map((file) => `${ASSETS_DIR}/${file}`) : [];
  if (demos > 0) copyPlayerAssets(join(outDir, ASSETS_DIR));
  writeFileSync(join(outDir, BUILD_MANIFEST), `${JSON.stringify({ madeBy: 'rsmlab handouts', files: [...written, ...assets] }, null, 2)}\n`);
  return { outDir, pages: written, demos };
}

function demoHtml(marker: DemoMarker, handoutPath: string, demosDir: string): string {
  const castPath = join(demosDir, `${marker.name}.cast`);
  const where = `${relative(process.cwd(), handoutPath) || handoutPath} line ${marker.line}`;
  if (!existsSync(castPath)) {
    throw environmentError(`${where} shows demo "${marker.name}", but ${castPath} does not exist; run \`npm run demos\` to record the demos`);
  }
  const text = readFileSync(castPath, 'utf8');
  let cast: Cast;
  try {
    cast = parseCast(text, castPath);
  } catch (error) {
    throw environmentError(`${where} shows demo "${marker.name}", but ${(error as Error).message}; run \`npm run demos\` to record it again`);
  }
  return demoFigure(marker.name, cast.header.title ?? marker.name, text, castDuration(cast));
}

/** A new or empty folder, or one a previous build made (its files are then removed first). */
function prepareOutDir(outDir: string): void {
  if (!existsSync(outDir)) {
    mkdirSync(outDir, { recursive: true });
    return;
  }
  if (!statSync(outDir).isDirectory()) throw usageError(`--out ${outDir} is a file; give a new or empty folder`);
  const present = readdirSync(outDir);
  if (present.length === 0) return;
  if (!present.includes(BUILD_MANIFEST)) {
    throw usageError(`--out ${outDir} is not empty and is not a previous \`rsmlab handouts\` build; give a new or empty folder`);
  }
  for (const file of previousFiles(outDir)) rmSync(join(outDir, file), { force: true });
  rmSync(join(outDir, BUILD_MANIFEST), { force: true });
}

/** The files a previous build listed, keeping only plain relative paths inside the folder. */
function previousFiles(outDir: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(join(outDir, BUILD_MANIFEST), 'utf8')) as { files?: unknown };
    const files = Array.isArray(manifest.files) ? manifest.files : [];
    return files.filter((file): file is string => typeof file === 'string' && !file.startsWith('/') && !file.split('/').includes('..'));
  } catch {
    throw usageError(`--out ${outDir} holds a damaged ${BUILD_MANIFEST}; remove the folder or give another one`);
  }
}
