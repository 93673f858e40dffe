/**
 * What the report shows of one check beside its result: the recording, the timeline and the process
 * logs from the check's log folder. The logs (and the raw recording and timeline) are copied into
 * the report, so that the report stands alone when the log folder is gone.
 */
import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from '../../check/types.ts';
import { RECORDING_FILE, TIMELINE_FILE, TIMELINE_SVG_FILE, type Timeline } from '../../record/recordTypes.ts';
import { readCastMarkers, type CastMarker } from './castMarkers.ts';
import { hrefSegment } from './htmlText.ts';

export const LOGS_FOLDER = 'logs';

export interface ReportLink {
  name: string;          // as shown, e.g. 'coord.log'
  href: string;          // relative to index.html
}

export interface CheckArtifacts {
  cast?: string;                 // the asciicast text; absent for checks recorded by an older rsmlab
  markers: CastMarker[];
  timeline?: Timeline;
  timelineSvg?: string;          // the SVG file's text, as written by the grader
  logs: ReportLink[];            // the process logs, copied into the report
  files: ReportLink[];           // the raw recording and timeline, copied too
}

/** Reads the check's artifacts and copies its files into `reportDir/logs/<check id>/`. */
export async function collectCheckArtifacts(check: CheckResult, reportDir: string): Promise<CheckArtifacts> {
  const cast = await readIfPresent(join(check.logDir, RECORDING_FILE));
  const timelineText = await readIfPresent(join(check.logDir, TIMELINE_FILE));
  const names = existsSync(check.logDir) ? (await readdir(check.logDir)).sort() : [];
  const target = join(reportDir, LOGS_FOLDER, check.id);
  const copied: ReportLink[] = [];
  for (const name of names.filter((candidate) => candidate.endsWith('.log') || candidate === RECORDING_FILE || candidate === TIMELINE_FILE)) {
    // Only regular files: the log folder is the grader's, but a link in it must not pull in another file.
    if (!(await lstat(join(check.logDir, name))).isFile()) continue;
    await mkdir(target, { recursive: true });
    await copyFile(join(check.logDir, name), join(target, name));
    copied.push({ name, href: `${LOGS_FOLDER}/${hrefSegment(check.id)}/${hrefSegment(name)}` });
  }
  return {
    cast,
    markers: cast === undefined ? [] : readCastMarkers(cast),
    timeline: timelineText === undefined ? undefined : parseTimeline(timelineText),
    timelineSvg: await readIfPresent(join(check.logDir, TIMELINE_SVG_FILE)),
    logs: copied.filter((link) => link.name.endsWith('.log')),
    files: copied.filter((link) => !link.name.endsWith('.log')),
  };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseTimeline(text: string): Timeline | undefined {
  try {
    return JSON.parse(text) as Timeline;
  } catch {
    return undefined; // a timeline cut short (the grader was stopped): the diagram may still be there
  }
}
