/**
 * The HTML report of one grading: a folder holding index.html, the player's assets and a copy of
 * every check's logs. It opens from disk with no network: no fonts, scripts or styles from
 * elsewhere, and each recording embedded in the page.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GradeResult } from '../../check/types.ts';
import { usageError } from '../../errors.ts';
import { copyPlayerAssets, playerHeadTags } from '../playerAssets.ts';
import { collectCheckArtifacts } from './checkArtifacts.ts';
import { checkSectionHtml } from './checkSection.ts';
import { escapeHtml } from './htmlText.ts';
import { placeReport, startReport } from './reportFolder.ts';
import { REPORT_SCRIPT } from './reportScript.ts';
import { REPORT_STYLE } from './reportStyle.ts';
import { scoreTableHtml } from './scoreTable.ts';

export const REPORT_PAGE = 'index.html';
const ASSETS_FOLDER = 'assets';

/** Writes the report into `dir` (replacing an older rsmlab report there) and returns the page's path. */
export async function writeHtmlReport(result: GradeResult, dir: string): Promise<string> {
  try {
    const draft = await startReport(dir);
    try {
      copyPlayerAssets(join(draft, ASSETS_FOLDER));
      const sections: string[] = [];
      for (const [index, check] of result.checks.entries()) {
        sections.push(checkSectionHtml(check, await collectCheckArtifacts(check, draft), index));
      }
      await writeFile(join(draft, REPORT_PAGE), reportPageHtml(result, sections));
    } catch (error) {
      await rm(draft, { recursive: true, force: true });
      throw error;
    }
    await placeReport(draft, dir);
    return join(dir, REPORT_PAGE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC') {
      throw usageError(`cannot write the HTML report into ${dir} (${code}); choose another folder with --html DIR.`);
    }
    throw error;
  }
}

function reportPageHtml(result: GradeResult, sections: readonly string[]): string {
  const failed = result.checks.filter((check) => check.status === 'failed').length;
  const warnings = result.warnings.map((warning) => `<p class="warning">warning: ${escapeHtml(warning)}</p>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rsmlab">
<title>rsmlab report: ${escapeHtml(result.lab)} ${result.score}/${result.maxScore}</title>
${playerHeadTags(ASSETS_FOLDER)}
<style>${REPORT_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(result.lab)}: ${result.score}/${result.maxScore} points</h1>
<p class="meta">${escapeHtml(result.submission)} · seed ${result.seed} · ${result.checks.length} checks, ${failed} failed
 · graded in ${(result.executionTimeMs / 1000).toFixed(1)} s · logs in ${escapeHtml(result.logRoot)}</p>
${warnings.join('\n')}
${scoreTableHtml(result)}
${sections.join('\n')}
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
