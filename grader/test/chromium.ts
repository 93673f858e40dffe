/**
 * Real headless Chromium for the tests that open generated pages: Debian's `chromium` (installed by
 * scripts/setup.sh) driven by playwright-core. Screenshots go to `test-artifacts/`, which the tests
 * keep for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { KIT_ROOT } from '../src/kitPaths.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(KIT_ROOT, 'test-artifacts');

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests run as root, where Chromium's own sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Where a test keeps a screenshot: test-artifacts/NAME.png. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, `${name}.png`);
}

/** The markers' times as the player counts them: with the header's idle_time_limit applied, if any. */
export function castMarkerTimes(cast: string): number[] {
  const [header, ...lines] = cast.split('\n').filter((line) => line.trim() !== '');
  const limit = (JSON.parse(header as string) as { idle_time_limit?: number }).idle_time_limit ?? Infinity;
  const times: number[] = [];
  let previous = 0;
  let played = 0;
  for (const line of lines) {
    const [time, kind] = JSON.parse(line) as [number, string];
    played += Math.min(time - previous, limit);
    previous = time;
    if (kind === 'm') times.push(played);
  }
  return times;
}

/** A page opened from disk, with what it fetched from beyond the page and the errors it raised. */
export interface OfflinePage {
  page: Page;
  offDisk: string[];        // requests other than file:, data: and blob: (these never leave the machine)
  errors: string[];         // page errors and console errors
}

export async function openOffline(browser: Browser, file: string, viewport = { width: 1200, height: 900 }): Promise<OfflinePage> {
  const page = await browser.newPage({ viewport });
  const opened: OfflinePage = { page, offDisk: [], errors: [] };
  page.on('request', (request) => {
    if (!/^(file|data|blob):/.test(request.url())) opened.offDisk.push(request.url());
  });
  page.on('pageerror', (error) => opened.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') opened.errors.push(message.text());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return opened;
}

/**
 * Calls a method of a player the page exposes as `window[pageGlobal].players[name]`
 * (rsmlabReport for reports, rsmlabHandout for handouts); undefined while it does not exist.
 */
export function playerCall(page: Page, pageGlobal: string, name: string, method: 'getDuration' | 'getCurrentTime'): Promise<number | undefined> {
  return page.evaluate(async ([global, id, call]) => {
    type Player = Record<string, () => Promise<number | undefined> | number | undefined>;
    const players = (globalThis as unknown as Record<string, { players: Record<string, Player> } | undefined>)[global]?.players;
    const player = players?.[id];
    return player ? await player[call]?.() : undefined;
  }, [pageGlobal, name, method] as const);
}

/** Probes every 100 ms until `done` holds, for at most 10 s. */
export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${String(value)} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
