/**
 * The folder a report is written to. rsmlab marks its reports with a file, so that writing a new
 * report may replace an older one but never a folder of the user's that happens to have that name.
 * A report is built in a fresh folder beside its place and then swapped in, so that two runs of
 * `rsmlab check` in one folder (two labs at once) each leave a whole report, the last one winning.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { usageError } from '../../errors.ts';

export const REPORT_MARK_FILE = '.rsmlab-report';

/** Throws a usage error unless `dir` is absent, empty, or an rsmlab report. Call it before grading too. */
export function assertReportFolder(dir: string): void {
  if (resolve(dir) === process.cwd()) throw usageError('the report needs a folder of its own; name one that is not the current folder (--html DIR).');
  if (!existsSync(dir)) return;
  if (!lstatSync(dir).isDirectory()) throw usageError(`${dir} exists and is not a folder; choose another place for the report (--html DIR).`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(REPORT_MARK_FILE)) {
    throw usageError(`${dir} exists and is not an rsmlab report; choose another folder for it (--html DIR), or remove this one.`);
  }
}

/** A new, marked, empty folder beside `dir` to build the report in; `placeReport` puts it in place. */
export async function startReport(dir: string): Promise<string> {
  assertReportFolder(dir);
  const draft = await mkdtemp(join(dirname(resolve(dir)), `.${basename(dir)}-draft-`));
  await writeFile(join(draft, REPORT_MARK_FILE), 'This folder is an HTML report written by rsmlab; rsmlab replaces it when it writes a new one.\n');
  return draft;
}

/** Replaces whatever report is at `dir` with the finished `draft`. */
export async function placeReport(draft: string, dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let old: string | undefined;
    try {
      assertReportFolder(dir);
      old = existsSync(dir) ? await aside(dir) : undefined;
      await rename(draft, dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another run put its report in place between our two renames: move it aside too, and retry.
      if (attempt >= 5 || (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT')) {
        await rm(draft, { recursive: true, force: true });
        throw error;
      }
    } finally {
      if (old) await rm(old, { recursive: true, force: true });
    }
  }
}

/** Moves an older report out of the way (a fresh name beside it); undefined when another run took it first. */
async function aside(dir: string): Promise<string | undefined> {
  const old = await mkdtemp(join(dirname(resolve(dir)), `.${basename(dir)}-old-`));
  try {
    await rename(dir, join(old, 'report'));
    return old;
  } catch (error) {
    await rm(old, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
