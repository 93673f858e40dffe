/**
 * Real headless Chromium for the tests that open generated pages: Debian's `chromium` (installed by
 * scripts/setup.sh) driven by playwright-core. Screenshots go to `test-artifacts/`, which the tests
 * keep for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
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
