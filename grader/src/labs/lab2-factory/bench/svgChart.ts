/**
 * A small hand-written SVG bar chart: categories along x, one bar per series in each category,
 * a linear y axis from 0 with round ticks, optional dashed reference lines, a title, axis labels
 * and a legend. Every bar is a `<rect class="bar">` with a `<title>` tooltip.
 */

export interface BarSeries {
  name: string;
  values: readonly number[];        // one per category
}

export interface ReferenceLine {
  label: string;
  value: number;
}

export interface BarChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  references?: readonly ReferenceLine[];
  width?: number;
  height?: number;
}

const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
const MARGIN = { left: 78, right: 24, top: 76, bottom: 64 };

/** Round tick values from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let value = 0; value < max + step; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

/** A number as a short label: 950, 1.2k, 35k, 1.5M. */
export function shortNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  if (abs >= 100) return String(Math.round(value));
  return trim(value);
}

const trim = (value: number): string => String(Number(value.toFixed(1)));

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] as string);
}

export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 680;
  const height = spec.height ?? 420;
  const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
  for (const series of spec.series) {
    if (series.values.length !== spec.categories.length) throw new RangeError(`series "${series.name}" has ${series.values.length} values for ${spec.categories.length} categories`);
  }
  const values = [...spec.series.flatMap((series) => series.values), ...(spec.references ?? []).map((line) => line.value)];
  const ticks = niceTicks(Math.max(0, ...values.filter(Number.isFinite)));
  const top = ticks[ticks.length - 1] as number;
  const yOf = (value: number): number => plot.y + plot.h - (Math.max(0, value) / top) * plot.h;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(spec.title)}</text>`,
    ...ticks.map((tick) => gridLine(plot, yOf(tick), tick)),
    ...bars(spec, plot, yOf),
    ...(spec.references ?? []).map((line) => referenceLine(plot, yOf(line.value), line)),
    `<line class="axis" x1="${plot.x}" y1="${plot.y + plot.h}" x2="${plot.x + plot.w}" y2="${plot.y + plot.h}" stroke="black"/>`,
    `<line class="axis" x1="${plot.x}" y1="${plot.y}" x2="${plot.x}" y2="${plot.y + plot.h}" stroke="black"/>`,
    `<text x="${plot.x + plot.w / 2}" y="${height - 14}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text x="18" y="${plot.y + plot.h / 2}" text-anchor="middle" transform="rotate(-90 18 ${plot.y + plot.h / 2})">${escapeXml(spec.yLabel)}</text>`,
    ...legend(spec.series, plot),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

type Plot = { x: number; y: number; w: number; h: number };

function gridLine(plot: Plot, y: number, tick: number): string {
  return `<line class="grid" x1="${plot.x}" y1="${fixed(y)}" x2="${plot.x + plot.w}" y2="${fixed(y)}" stroke="#e0e0e0"/>`
    + `<text x="${plot.x - 6}" y="${fixed(y + 4)}" text-anchor="end">${escapeXml(shortNumber(tick))}</text>`;
}

function bars(spec: BarChartSpec, plot: Plot, yOf: (value: number) => number): string[] {
  const groupWidth = plot.w / Math.max(1, spec.categories.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, spec.series.length);
  return spec.categories.flatMap((category, index) => {
    const left = plot.x + index * groupWidth + groupWidth * 0.1;
    const label = `<text x="${fixed(plot.x + (index + 0.5) * groupWidth)}" y="${plot.y + plot.h + 18}" text-anchor="middle">${escapeXml(category)}</text>`;
    const rects = spec.series.map((series, seriesIndex) => {
      const value = series.values[index] as number;
      const x = left + seriesIndex * barWidth;
      const y = yOf(value);
      const tip = `${series.name}, ${category}: ${shortNumber(value)}`;
      return `<rect class="bar" x="${fixed(x)}" y="${fixed(y)}" width="${fixed(barWidth * 0.92)}" height="${fixed(plot.y + plot.h - y)}" fill="${colour(seriesIndex)}"><title>${escapeXml(tip)}</title></rect>`
        + `<text x="${fixed(x + barWidth * 0.46)}" y="${fixed(y - 4)}" text-anchor="middle" font-size="10">${escapeXml(shortNumber(value))}</text>`;
    });
    return [label, ...rects];
  });
}

function referenceLine(plot: Plot, y: number, line: ReferenceLine): string {
  return `<line class="reference" x1="${plot.x}" y1="${fixed(y)}" x2="${plot.x + plot.w}" y2="${fixed(y)}" stroke="#555" stroke-dasharray="6 4"/>`
    // A white halo keeps the label readable where it crosses a bar.
    + `<text x="${plot.x + plot.w - 4}" y="${fixed(y - 4)}" text-anchor="end" font-size="11" fill="#333" stroke="white" stroke-width="3" paint-order="stroke">${escapeXml(`${line.label} (${shortNumber(line.value)})`)}</text>`;
}

function legend(series: readonly BarSeries[], plot: Plot): string[] {
  return series.map((entry, index) => {
    const y = plot.y - 30;
    const x = plot.x + index * Math.min(220, plot.w / Math.max(1, series.length));
    return `<g class="legend"><rect x="${fixed(x)}" y="${y - 9}" width="10" height="10" fill="${colour(index)}"/>`
      + `<text x="${fixed(x + 14)}" y="${y}">${escapeXml(entry.name)}</text></g>`;
  });
}

const colour = (index: number): string => COLOURS[index % COLOURS.length] as string;
const fixed = (value: number): string => String(Number(value.toFixed(1)));
