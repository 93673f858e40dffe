import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readUntrustedFile } from './untrustedFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'rsmlab-untrusted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a file a submission wrote', () => {
  it('reads a regular file', async () => {
    writeFileSync(join(dir, 'a'), '# header\nx 1\n');
    expect(await readUntrustedFile(join(dir, 'a'))).toEqual({ kind: 'text', text: '# header\nx 1\n', truncated: false });
  });

  it('says when it is missing', async () => {
    expect(await readUntrustedFile(join(dir, 'none'))).toEqual({ kind: 'missing' });
  });

  it('never follows a symbolic link (to a file of the grader\'s, say)', async () => {
    writeFileSync(join(dir, 'secret'), 'the grader\'s secret');
    symlinkSync(join(dir, 'secret'), join(dir, 'link'));
    expect(await readUntrustedFile(join(dir, 'link'))).toEqual({ kind: 'refused', why: 'it is a symbolic link, not a file' });
  });

  it('refuses what is not a regular file, without blocking on a named pipe', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(await readUntrustedFile(join(dir, 'pipe'))).toEqual({ kind: 'refused', why: 'it is not a regular file' });
    expect(await readUntrustedFile(dir)).toEqual({ kind: 'refused', why: 'it is not a regular file' });
  });

  it('reads no more than its cap', async () => {
    writeFileSync(join(dir, 'big'), 'x'.repeat(5000));
    expect(await readUntrustedFile(join(dir, 'big'), 1000)).toEqual({ kind: 'text', text: 'x'.repeat(1000), truncated: true });
  });
});
