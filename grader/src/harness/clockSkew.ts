/**
 * Per-process clock skew through Debian's libfaketime (LD_PRELOAD), so that it works for any
 * language a submission is written in: the wall clock moves, the monotonic clock (timers) does not.
 */
import { existsSync } from 'node:fs';
import { environmentError } from '../errors.ts';

const LIBRARY_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/faketime/libfaketimeMT.so.1',
  '/usr/local/lib/faketime/libfaketimeMT.so.1',
];

export function fakeTimeLibrary(): string | undefined {
  return LIBRARY_CANDIDATES.find((path) => existsSync(path));
}

/** Environment variables that shift a process's wall clock by `seconds` (negative: behind). */
export function clockSkewEnv(seconds: number): Record<string, string> {
  if (seconds === 0) return {};
  const library = fakeTimeLibrary();
  if (!library) {
    throw environmentError(
      'clock skew needs libfaketime, which is not installed: run `npm run setup` (it installs Debian\'s faketime package)',
    );
  }
  const sign = seconds > 0 ? '+' : '-';
  return {
    LD_PRELOAD: library,
    FAKETIME: `${sign}${Math.abs(Math.round(seconds))}`,
    FAKETIME_DONT_FAKE_MONOTONIC: '1', // timers and timeouts keep running at real speed
  };
}
