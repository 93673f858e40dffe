/**
 * Reads a file a submission wrote, as the grader must: never through a symbolic link (a link to a
 * file of the grader's would put its contents into a message), only regular files, and no more
 * than a bounded prefix (a submission may write hundreds of megabytes).
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export const UNTRUSTED_FILE_CAP = 1024 * 1024;

export type UntrustedRead =
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'missing' }
  | { kind: 'refused'; why: string };

export async function readUntrustedFile(path: string, maxBytes = UNTRUSTED_FILE_CAP): Promise<UntrustedRead> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'refused', why: 'it is a symbolic link, not a file' };
    return { kind: 'refused', why: `it cannot be read (${code ?? 'error'})` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { kind: 'refused', why: 'it is not a regular file' };
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { kind: 'text', text: buffer.subarray(0, bytesRead).toString('utf8'), truncated: info.size > maxBytes };
  } finally {
    await handle.close();
  }
}
