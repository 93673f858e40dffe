/**
 * The asciinema player inside a page that opens from disk with no network: its JS and CSS are
 * copied next to the page, and the recording is embedded in the page as a data URL (a page opened
 * from file:// may not fetch a .cast file).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The package exports its bundle's files (not its package.json), so one of them locates the folder.
const BUNDLE = dirname(createRequire(import.meta.url).resolve('asciinema-player/dist/bundle/asciinema-player.min.js'));
export const PLAYER_FILES = { script: 'asciinema-player.min.js', style: 'asciinema-player.css' } as const;

/** Copies the player into `dir` (usually `assets/` beside the page). */
export function copyPlayerAssets(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of Object.values(PLAYER_FILES)) copyFileSync(join(BUNDLE, file), join(dir, file));
}

/** The `<link>` and `<script>` tags that load the player, for pages whose assets are at `assetsHref`. */
export function playerHeadTags(assetsHref: string): string {
  return `<link rel="stylesheet" href="${assetsHref}/${PLAYER_FILES.style}">\n<script src="${assetsHref}/${PLAYER_FILES.script}"></script>`;
}

/** A recording as the player's source: a data URL holding the whole asciicast text. */
export function castDataUrl(cast: string): string {
  return `data:text/plain;base64,${Buffer.from(cast, 'utf8').toString('base64')}`;
}
