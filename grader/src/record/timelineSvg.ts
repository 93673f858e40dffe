/**
 * Draws a Timeline as a space-time (Lamport) diagram: one vertical lane per process, time flowing
 * down (idle gaps compressed, see timeScale.ts), one arrow per message from the sender's lane at
 * its sending to the receiver's lane at its delivery, crosses where processes were killed, shaded
 * spans for partitions and pauses, and the verdict at the bottom. Pure: same timeline, same SVG.
 */
import type { Timeline, TimelineEvent, TimelineMessage } from './recordTypes.ts';
import { compressTime, type TimeScale } from './timeScale.ts';
import { LANE_COLORS, attrs, escapeXml, formatMs, num, title } from './svgMarkup.ts';

const AXIS = 80;             // width of the time axis on the left
const LANE_GAP = 170;        // distance between lanes
const TOP = 64;              // lane names above, time starts here
const BOTTOM = 56;           // room for the verdict
const LABEL_ROOM = 12;       // least vertical distance between two arrow labels in one column

interface Layout {
  scale: TimeScale;
  lane: Map<string, number>; // process → x
  endMs: number;
  width: number;
  height: number;
}

export function renderTimelineSvg(timeline: Timeline): string {
  const layout = layOut(timeline);
  const { width, height } = layout;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" ${attrs({ viewBox: `0 0 ${num(width)} ${num(height)}`, width, height, 'font-family': 'sans-serif', 'font-size': 11 })}>`,
    title(`${timeline.check}: ${timeline.messages.length} messages over ${formatMs(timeline.durationMs)}`),
    defs(timeline.processes),
    `<rect ${attrs({ width, height, fill: '#ffffff' })}/>`,
    ...spans(timeline, layout),
    ...axis(layout),
    ...lanes(timeline, layout),
    ...arrows(timeline.messages, layout),
    ...eventMarks(timeline, layout),
    verdict(timeline.events, layout),
    `</svg>`,
    '',
  ].join('\n');
}

function layOut(timeline: Timeline): Layout {
  const times = [0, timeline.durationMs, ...timeline.messages.flatMap((m) => [m.sentMs, m.receivedMs]), ...timeline.events.map((e) => e.atMs)];
  const scale = compressTime(times);
  const lane = new Map(timeline.processes.map((name, index) => [name, AXIS + 60 + index * LANE_GAP]));
  const width = AXIS + 120 + Math.max(0, timeline.processes.length - 1) * LANE_GAP;
  return { scale, lane, endMs: times.reduce((latest, time) => Math.max(latest, time), -Infinity), width, height: TOP + scale.height + BOTTOM };
}

const yOf = (layout: Layout, ms: number): number => TOP + layout.scale.y(ms);

function defs(processes: readonly string[]): string {
  const markers = processes.map((_, index) => `<marker ${attrs({ id: `arrow${index}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' })}><path d="M0,0 L10,5 L0,10 z" fill="${colorOf(index)}"/></marker>`);
  return `<defs>${markers.join('')}</defs>`;
}

const colorOf = (index: number): string => LANE_COLORS[index % LANE_COLORS.length] as string;

function axis(layout: Layout): string[] {
  const out = [`<line ${attrs({ x1: AXIS, y1: TOP, x2: AXIS, y2: TOP + layout.scale.height, stroke: '#adb5bd' })}/>`];
  let lastY = -Infinity;
  for (const ms of layout.scale.knots) {
    const y = yOf(layout, ms);
    if (y - lastY < 60) continue;
    lastY = y;
    out.push(`<text ${attrs({ x: AXIS - 6, y: y + 4, 'text-anchor': 'end', fill: '#495057', 'font-size': 10 })}>${escapeXml(`${(ms / 1000).toFixed(3)} s`)}</text>`);
  }
  for (const gap of layout.scale.breaks) {
    const y = TOP + gap.y;
    out.push(`<g class="break"><path ${attrs({ d: `M${AXIS - 8},${num(y - 3)} l8,-3 l8,6 l8,-3`, fill: 'none', stroke: '#868e96' })}/>`
      + `<line ${attrs({ x1: AXIS + 16, y1: y, x2: layout.width - 10, y2: y, stroke: '#dee2e6', 'stroke-dasharray': '2 4' })}/>`
      + `<text ${attrs({ x: AXIS + 18, y: y - 3, fill: '#868e96', 'font-size': 9 })}>${escapeXml(`${formatMs(gap.skippedMs)} later`)}</text>${title(`a quiet ${formatMs(gap.skippedMs)}, drawn short`)}</g>`);
  }
  return out;
}

function lanes(timeline: Timeline, layout: Layout): string[] {
  return timeline.processes.map((name, index) => {
    const x = layout.lane.get(name) as number;
    const started = timeline.events.find((e) => e.kind === 'start' && e.process === name)?.atMs ?? 0;
    const ended = timeline.events.find((e) => e.kind === 'exit' && e.process === name)?.atMs ?? layout.endMs;
    return `<g class="lane">${title(name)}`
      + `<text ${attrs({ x, y: TOP - 24, 'text-anchor': 'middle', 'font-weight': 'bold', fill: colorOf(index) })}>${escapeXml(name)}</text>`
      + `<line ${attrs({ x1: x, y1: TOP - 12, x2: x, y2: TOP + layout.scale.height, stroke: '#dee2e6', 'stroke-dasharray': '3 3' })}/>`
      + `<line ${attrs({ x1: x, y1: yOf(layout, started), x2: x, y2: yOf(layout, ended), stroke: colorOf(index), 'stroke-width': 2 })}/></g>`;
  });
}

function arrows(messages: readonly TimelineMessage[], layout: Layout): string[] {
  const lastLabel = new Map<number, number>(); // column → y of its newest label
  const index = new Map([...layout.lane.keys()].map((name, i) => [name, i]));
  return messages.map((message) => {
    const x1 = layout.lane.get(message.from) ?? AXIS;
    const x2 = layout.lane.get(message.to) ?? AXIS;
    const y1 = yOf(layout, message.sentMs);
    const y2 = yOf(layout, message.receivedMs);
    const color = index.get(message.from) ?? 0;
    const shape = x1 === x2
      ? `<path ${attrs({ d: `M${num(x1)},${num(y1)} C${num(x1 + 40)},${num(y1)} ${num(x1 + 40)},${num(y2 + 6)} ${num(x1)},${num(y2 + 6)}`, fill: 'none' })}/>`
      : `<line ${attrs({ x1, y1, x2, y2 })}/>`;
    const about = `#${message.id} ${message.link} ${message.from} → ${message.to}: ${message.summary} (sent ${formatMs(message.sentMs)}, received ${formatMs(message.receivedMs)}, ${message.bytes} bytes)`;
    return `<g ${attrs({ class: 'message', stroke: colorOf(color), 'stroke-width': 1.2, 'marker-end': `url(#arrow${color})` })}>${shape}${title(about)}${arrowLabel(message, x1, y1, x2, y2, lastLabel)}</g>`;
  });
}

/** The summary beside the arrow's middle, when it fits and no other label is too close. */
function arrowLabel(message: TimelineMessage, x1: number, y1: number, x2: number, y2: number, lastLabel: Map<number, number>): string {
  const midX = (x1 + x2) / 2;
  const midY = (y1 + y2) / 2;
  const column = Math.floor((midX - AXIS) / (LANE_GAP / 2));
  const room = Math.floor(Math.max(Math.abs(x2 - x1), 80) / 5.6);
  if (room < 8 || midY - (lastLabel.get(column) ?? -Infinity) < LABEL_ROOM) return '';
  lastLabel.set(column, midY);
  const text = message.summary.length > room ? `${message.summary.slice(0, room - 1)}…` : message.summary;
  return `<text ${attrs({ x: midX, y: midY - 3, 'text-anchor': 'middle', 'font-size': 9, stroke: 'none', fill: '#343a40' })}>${escapeXml(text)}</text>`;
}

function eventMarks(timeline: Timeline, layout: Layout): string[] {
  return timeline.events.flatMap((event) => {
    const y = yOf(layout, event.atMs);
    const x = event.process !== undefined ? layout.lane.get(event.process) : undefined;
    if (event.kind === 'kill' && x !== undefined) {
      return [`<g ${attrs({ class: 'kill', stroke: '#c92a2a', 'stroke-width': 3 })}><path d="M${num(x - 7)},${num(y - 7)} L${num(x + 7)},${num(y + 7)} M${num(x - 7)},${num(y + 7)} L${num(x + 7)},${num(y - 7)}"/>${title(`${formatMs(event.atMs)}: ${event.text}`)}</g>`];
    }
    if (event.kind === 'exit' && x !== undefined) {
      return [`<g class="exit"><line ${attrs({ x1: x - 6, y1: y, x2: x + 6, y2: y, stroke: '#343a40', 'stroke-width': 2 })}/>${title(`${formatMs(event.atMs)}: ${event.text}`)}</g>`];
    }
    if (event.kind === 'note' || event.kind === 'fault') {
      return [`<g class="${event.kind}"><circle ${attrs({ cx: AXIS, cy: y, r: 4, fill: event.kind === 'fault' ? '#e8590c' : '#868e96' })}/>${title(`${formatMs(event.atMs)}: ${event.text}`)}</g>`];
    }
    return [];
  });
}

/** Partitions over the lanes of their link, pauses over their process's lane, each until it ended. */
function spans(timeline: Timeline, layout: Layout): string[] {
  const out: string[] = [];
  timeline.events.forEach((event, index) => {
    const later = timeline.events.slice(index + 1);
    if (event.kind === 'partition' && event.link !== undefined) {
      const end = later.find((e) => e.link === event.link && (e.kind === 'heal' || e.kind === 'fault'))?.atMs ?? layout.endMs;
      const ends = timeline.links?.[event.link];
      const xs = ends ? [ends.from, ends.to].map((name) => layout.lane.get(name)).filter((x): x is number => x !== undefined) : [];
      const [left, right] = xs.length === 2 ? [Math.min(...xs) - 10, Math.max(...xs) + 10] : [AXIS, layout.width - 10];
      out.push(span('partition', left, right, yOf(layout, event.atMs), yOf(layout, end), '#fa5252', `${event.text}, until ${formatMs(end)}`));
    }
    if (event.kind === 'pause' && event.process !== undefined) {
      const end = later.find((e) => e.process === event.process && (e.kind === 'resume' || e.kind === 'exit' || e.kind === 'kill'))?.atMs ?? layout.endMs;
      const x = layout.lane.get(event.process) ?? AXIS;
      out.push(span('pause', x - 9, x + 9, yOf(layout, event.atMs), yOf(layout, end), '#fab005', `${event.text}, until ${formatMs(end)}`));
    }
  });
  return out;
}

function span(kind: string, left: number, right: number, top: number, bottom: number, fill: string, about: string): string {
  return `<rect ${attrs({ class: kind, x: left, y: top, width: right - left, height: Math.max(2, bottom - top), fill, 'fill-opacity': 0.15 })}>${title(about)}</rect>`;
}

function verdict(events: readonly TimelineEvent[], layout: Layout): string {
  const last = events.filter((e) => e.kind === 'verdict').at(-1);
  const text = last?.text ?? 'no verdict recorded';
  const color = text.startsWith('verdict: PASSED') ? '#2b8a3e' : '#c92a2a';
  const shown = text.length > 140 ? `${text.slice(0, 139)}…` : text;
  return `<text ${attrs({ class: 'verdict', x: AXIS, y: layout.height - 22, fill: color, 'font-weight': 'bold', 'font-size': 13 })}>${escapeXml(shown)}${title(text)}</text>`;
}
