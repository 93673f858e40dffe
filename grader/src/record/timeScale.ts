/**
 * Maps check time to a vertical position that stays legible: distinct instants stay a few pixels
 * apart, idle gaps shrink to a fixed height (a break the diagram marks), and the whole stays within
 * a height bound by scaling down uniformly when it must.
 */

export interface TimeScaleOptions {
  pxPerMs: number;             // scale while things happen
  minStepPx: number;           // least distance between two distinct instants
  gapMs: number;               // a quiet stretch longer than this becomes a break
  gapPx: number;               // the height of a break
  maxHeightPx: number;         // the bound on the whole height
}

export interface TimeBreak {
  y: number;                   // where the break is drawn
  skippedMs: number;           // how much time it stands for
}

export interface TimeScale {
  y(ms: number): number;       // 0 at the first instant, `height` at the last
  height: number;
  breaks: TimeBreak[];
  knots: readonly number[];    // the distinct instants, ascending
}

export const DEFAULT_SCALE: TimeScaleOptions = { pxPerMs: 1, minStepPx: 4, gapMs: 250, gapPx: 28, maxHeightPx: 5800 };

export function compressTime(times: readonly number[], options: TimeScaleOptions = DEFAULT_SCALE): TimeScale {
  const knots = [...new Set(times.map((t) => Math.round(t * 10) / 10))].sort((a, b) => a - b);
  if (knots.length === 0) knots.push(0);
  const steps = knots.slice(1).map((t, i) => {
    const dt = t - (knots[i] as number);
    return dt > options.gapMs ? options.gapPx : Math.max(options.minStepPx, dt * options.pxPerMs);
  });
  const total = steps.reduce((sum, step) => sum + step, 0);
  const factor = total > options.maxHeightPx ? options.maxHeightPx / total : 1;
  const ys = [0];
  for (const step of steps) ys.push((ys.at(-1) as number) + step * factor);
  const breaks = steps.flatMap((_, i) => {
    const skippedMs = (knots[i + 1] as number) - (knots[i] as number);
    return skippedMs > options.gapMs ? [{ y: ((ys[i] as number) + (ys[i + 1] as number)) / 2, skippedMs }] : [];
  });
  return { y: (ms) => interpolate(knots, ys, ms), height: ys.at(-1) as number, breaks, knots };
}

function interpolate(knots: readonly number[], ys: readonly number[], ms: number): number {
  if (ms <= (knots[0] as number)) return ys[0] as number;
  let low = 0;
  let high = knots.length - 1;
  if (ms >= (knots[high] as number)) return ys[high] as number;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if ((knots[mid] as number) <= ms) low = mid;
    else high = mid;
  }
  const t0 = knots[low] as number;
  const t1 = knots[high] as number;
  const y0 = ys[low] as number;
  return y0 + ((ms - t0) / (t1 - t0)) * ((ys[high] as number) - y0);
}
