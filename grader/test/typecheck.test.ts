// The kit's TypeScript (grader, starter, solutions) compiles under strict settings.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { KIT_ROOT } from '../src/kitPaths.ts';

describe('typescript', () => {
  it('type-checks the whole kit with no error', () => {
    const tsc = join(KIT_ROOT, 'node_modules/typescript/bin/tsc'); // not .bin/tsc: tslab ships an older one
    const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(KIT_ROOT, 'tsconfig.json')], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 150_000);
});
