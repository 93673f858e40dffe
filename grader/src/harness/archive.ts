/** Safe extraction of submitted archives: no path may leave the target folder, and sizes are bounded. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, isAbsolute, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { x as extractTar } from 'tar';
import { submissionError } from '../errors.ts';

const MAX_UNPACKED_BYTES = 64 * 1024 * 1024; // a lab submission is a few source files
const ARCHIVE_SUFFIXES = ['.zip', '.tar.gz', '.tgz'];

export const isArchive = (path: string): boolean => ARCHIVE_SUFFIXES.some((suffix) => path.endsWith(suffix));

export async function extractArchive(archive: string, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  if (archive.endsWith('.zip')) await extractZip(archive, into);
  else await extractTarGz(archive, into);
}

async function extractZip(archive: string, into: string): Promise<void> {
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(await readFile(archive), {
      filter: (file) => {
        total += file.originalSize;
        if (total > MAX_UNPACKED_BYTES) throw submissionError(`${archive} unpacks to more than ${MAX_UNPACKED_BYTES >> 20} MiB`);
        return !file.name.endsWith('/');
      },
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'RsmlabError') throw error;
    throw submissionError(`${archive} is not a readable zip archive (${(error as Error).message})`);
  }
  for (const [name, data] of Object.entries(files)) {
    const target = safeJoin(into, name, archive);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data, { mode: 0o755 });
  }
}

async function extractTarGz(archive: string, into: string): Promise<void> {
  let total = 0;
  try {
    await extractTar({
      file: archive,
      cwd: into,
      strict: true,
      filter: (path, entry) => {
        safeJoin(into, path, archive);
        total += 'size' in entry ? entry.size : 0;
        if (total > MAX_UNPACKED_BYTES) throw submissionError(`${archive} unpacks to more than ${MAX_UNPACKED_BYTES >> 20} MiB`);
        return !('type' in entry) || entry.type === 'File' || entry.type === 'Directory';
      },
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'RsmlabError') throw error;
    throw submissionError(`${archive} is not a readable .tar.gz archive (${(error as Error).message})`);
  }
}

/** The path of an archive entry inside `into`; an entry that would land elsewhere is refused. */
function safeJoin(into: string, name: string, archive: string): string {
  const clean = normalize(name);
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) {
    throw submissionError(`${archive} holds an entry outside its folder (${name}); pack the submission folder itself`);
  }
  return join(into, clean);
}
