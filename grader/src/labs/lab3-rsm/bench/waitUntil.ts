/** Waiting in the lab 3 benchmark, always ended at once by Ctrl-C. */
import { setTimeout as delay } from 'node:timers/promises';
import { throwIfAborted } from '../../lab2-factory/bench/closedLoop.ts';

const POLL_MS = 5;

/** Polls `condition` every few milliseconds until it holds (true) or the bound passes (false). */
export async function waitUntil(condition: () => boolean, boundMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = performance.now() + boundMs;
  while (!condition()) {
    throwIfAborted(signal);
    if (performance.now() > deadline) return false;
    await delay(POLL_MS);
  }
  return true;
}

/** Waits `ms`; Ctrl-C ends it at once. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
  throwIfAborted(signal);
}
