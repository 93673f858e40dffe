/**
 * Draws a violation's core as the usual picture of a linearizability argument: one lane per
 * client, one bar per operation from when it was sent to when its answer came (to the right edge
 * when none came), labelled with what it did and got. Time runs left to right, relative to the
 * first operation drawn.
 */
import { attrs, escapeXml, LANE_COLORS, title } from '../../../record/svgMarkup.ts';
import type { KvOperation } from './kvHistory.ts';

const LANE_HEIGHT = 44;
const LEFT = 90;                 // room for the client names
const PLOT_WIDTH = 720;
const BAR_HEIGHT = 16;
const TOP = 28;                  // room for the caption

/** What an operation did and got, as the seed writes requests: `get x → 1`, `set x=2 → NIL`. */
export function describeOperation(op: KvOperation): string {
  const request = op.kind === 'set' ? `set ${op.key}=${op.value ?? ''}` : `get ${op.key}`;
  const answer = op.result === undefined ? 'no answer' : (op.result ?? 'NIL');
  return `${request} → ${answer}`;
}

export function violationSvg(core: readonly KvOperation[], caption: string): string {
  const clients = [...new Set(core.map((op) => op.client))].sort();
  const start = Math.min(...core.map((op) => op.invokedUs));
  const end = Math.max(...core.map((op) => op.completedUs ?? op.invokedUs)) + 1;
  const x = (us: number): number => LEFT + ((us - start) / (end - start)) * PLOT_WIDTH;
  const height = TOP + clients.length * LANE_HEIGHT + 10;
  const width = LEFT + PLOT_WIDTH + 20;
  const lanes = clients.map((client, lane) => {
    const y = TOP + lane * LANE_HEIGHT;
    return `<text ${attrs({ x: 8, y: y + BAR_HEIGHT - 3, class: 'client' })}>${escapeXml(client)}</text>`;
  });
  const bars = core.map((op) => {
    const lane = clients.indexOf(op.client);
    const y = TOP + lane * LANE_HEIGHT;
    const left = x(op.invokedUs);
    const right = op.completedUs === undefined ? LEFT + PLOT_WIDTH : Math.max(x(op.completedUs), left + 2);
    const label = describeOperation(op);
    const color = LANE_COLORS[lane % LANE_COLORS.length] as string;
    return `<g class="operation">${title(`${op.client}: ${label}, sent at ${op.invokedUs - start} µs, ${op.completedUs === undefined ? 'no answer' : `answered at ${op.completedUs - start} µs`}`)}`
      + `<rect ${attrs({ x: left, y, width: right - left, height: BAR_HEIGHT, fill: color, 'fill-opacity': op.completedUs === undefined ? 0.35 : 0.8 })}/>`
      + `<text ${attrs({ x: left, y: y + BAR_HEIGHT + 13, class: 'label' })}>${escapeXml(label)}</text></g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" ${attrs({ width, height, viewBox: `0 0 ${width} ${height}`, class: 'linearizability-violation' })}>`,
    '<style>text{font:12px sans-serif}.client{font-weight:bold}</style>',
    `<text ${attrs({ x: 8, y: 16 })}>${escapeXml(caption)}</text>`,
    ...lanes,
    ...bars,
    '</svg>',
  ].join('\n');
}
