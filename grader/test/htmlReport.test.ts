// The HTML report in real headless Chromium, opened from disk: a failed lab1 check's recording
// plays and seeks to its markers, its timeline shows every message, its log links resolve, and
// nothing is fetched from the network.
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeSubmission } from '../src/check/gradeSubmission.ts';
import { lab1Bank } from '../src/labs/lab1-bank/lab.ts';
import { RECORDING_FILE, TIMELINE_FILE, type Timeline } from '../src/record/recordTypes.ts';
import { writeHtmlReport } from '../src/report/html/writeHtmlReport.ts';
import { artifactPath, castMarkerTimes, launchChromium, openOffline, playerCall, until } from './chromium.ts';
import { buildFixture } from './fixtureSubmissions.ts';

// no-overdraft breaks the bank's rule, so the check that kills a replica behind a link proxy fails.
const FIXTURE = 'no-overdraft';
const FAILED = 'lab1.D.replica-killed';
const ONLY = ['lab1.A.one-server', FAILED];

describe('the HTML report', () => {
  it('plays a failed check\'s recording, seeks to its markers, draws its timeline and links its logs, offline', async () => {
    const source = buildFixture(lab1Bank, 'lab1', FIXTURE);
    const work = mkdtempSync(join(tmpdir(), 'rsmlab-html-report-'));
    const browser = await launchChromium();
    try {
      const result = await gradeSubmission({
        lab: lab1Bank, source, seed: 1, only: ONLY, logRoot: join(work, 'logs'), reproduceCommand: `npx rsmlab grade lab1 ${source}`,
      });
      const failed = result.checks.find((check) => check.id === FAILED);
      expect(failed?.status).toBe('failed');
      const cast = readFileSync(join(failed!.logDir, RECORDING_FILE), 'utf8');
      const timeline = JSON.parse(readFileSync(join(failed!.logDir, TIMELINE_FILE), 'utf8')) as Timeline;
      const markerTimes = castMarkerTimes(cast);
      expect(markerTimes.length).toBeGreaterThan(0);
      expect(timeline.messages.length).toBeGreaterThan(0);

      const index = await writeHtmlReport(result, join(work, 'report'));
      const { page, offDisk, errors } = await openOffline(browser, index);

      // The recording loads from its data URL, and a marker button seeks the player to that marker.
      const duration = await until(() => playerCall(page, 'rsmlabReport', FAILED, 'getDuration'), (value) => (value ?? 0) > 0, 'the recording\'s duration');
      const marker = Math.floor(markerTimes.length / 2);
      const section = page.locator(`section[id="${FAILED}"]`);
      await section.locator(`button[data-marker="${marker}"]`).click();
      const expected = markerTimes[marker] as number;
      const now = await until(() => playerCall(page, 'rsmlabReport', FAILED, 'getCurrentTime'), (value) => Math.abs((value ?? -1) - expected) < 0.05, 'the time after seeking');
      expect(now).toBeLessThanOrEqual(duration!);

      // The timeline draws every message the proxies carried, and zooms.
      const svg = section.locator('.timeline-box svg');
      expect(await svg.locator('.message').count()).toBe(timeline.messages.length);
      const width = await svg.evaluate((element) => element.getBoundingClientRect().width);
      await section.getByRole('button', { name: 'zoom in' }).click();
      expect(await svg.evaluate((element) => element.getBoundingClientRect().width)).toBeCloseTo(width * 2, 0);
      await section.getByRole('button', { name: 'reset' }).click();

      // Every process log of every check is linked, and each link resolves to a file in the report.
      for (const check of result.checks) {
        const hrefs = (await page.locator(`section[id="${check.id}"] ul.links a`).evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? '')))
          .map((href) => new URL(href, page.url()).href);
        const logs = readdirSync(check.logDir).filter((name) => name.endsWith('.log'));
        expect(logs.length).toBeGreaterThan(0);
        for (const log of logs) expect(hrefs.some((href) => href.endsWith(`/${log}`)), `${check.id}: ${log}`).toBe(true);
        for (const href of hrefs) expect(existsSync(fileURLToPath(href)), href).toBe(true);
      }

      await page.screenshot({ path: artifactPath('html-report'), fullPage: true });
      expect(offDisk).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      if (!process.env.RSMLAB_KEEP_LOGS) {
        rmSync(work, { recursive: true, force: true });
        rmSync(source, { recursive: true, force: true });
      }
    }
  }, 150_000);
});
