import { describe, expect, it } from 'vitest';
import { allElements, parseXml } from '../../../../test/wellFormedXml.ts';
import { barChart, escapeXml, niceTicks, shortNumber } from './svgChart.ts';

describe('niceTicks', () => {
  it('covers the maximum in steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(9)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(534.7)).toEqual([0, 200, 400, 600]);
    expect(niceTicks(17661)).toEqual([0, 5000, 10000, 15000, 20000]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('gives a unit axis when there is nothing to show', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });
});

describe('shortNumber and escapeXml', () => {
  it('shortens labels', () => {
    expect([shortNumber(42.25), shortNumber(950.4), shortNumber(12500), shortNumber(1_500_000)]).toEqual(['42.3', '950', '12.5k', '1.5M']);
  });

  it('escapes the five XML characters', () => {
    expect(escapeXml(`a<b>&"c"'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;');
  });
});

describe('the test parser itself', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/expected <\/b>/);
    expect(() => parseXml('<a x="1 & 2"/>')).toThrow(/bare &/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/twice/);
    expect(() => parseXml('<a/><b/>')).toThrow(/after the root/);
    expect(parseXml('<?xml version="1.0"?>\n<a k="v &amp; w"><!-- c --><b/>t</a>\n').children).toHaveLength(1);
  });
});

describe('barChart', () => {
  const spec = {
    title: 'Orders <per> second & more',
    xLabel: 'servers',
    yLabel: 'orders/s',
    categories: ['1 server', '2 servers', '3 servers'],
    series: [{ name: '8 customers', values: [17000, 10000, 3700] }, { name: '1 customer', values: [16000, 7000, 1800] }],
    references: [{ label: 'floor', value: 20000 }],
  };

  it('is well-formed SVG with one bar per series and category, a title, axes and a legend', () => {
    const root = parseXml(barChart(spec));
    expect(root.name).toBe('svg');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    const elements = allElements(root);
    const bars = elements.filter((element) => element.name === 'rect' && element.attributes.class === 'bar');
    expect(bars).toHaveLength(6);
    expect(bars.every((bar) => Number(bar.attributes.height) >= 0 && Number(bar.attributes.width) > 0)).toBe(true);
    expect(elements.filter((element) => element.attributes.class === 'axis')).toHaveLength(2);
    expect(elements.filter((element) => element.attributes.class === 'legend')).toHaveLength(2);
    expect(elements.filter((element) => element.attributes.class === 'reference')).toHaveLength(1);
    expect(elements.some((element) => element.name === 'text' && element.text === 'Orders &lt;per&gt; second &amp; more')).toBe(true);
  });

  it('draws taller bars for larger values, on one scale', () => {
    const bars = allElements(parseXml(barChart(spec))).filter((element) => element.attributes.class === 'bar');
    const heights = bars.map((bar) => Number(bar.attributes.height));
    // Bars come category by category: [1 server: 8c, 1c], [2 servers: 8c, 1c], ...
    expect(heights[0]).toBeGreaterThan(heights[2] as number);
    expect(heights[2]).toBeGreaterThan(heights[4] as number);
    expect((heights[0] as number) / (heights[4] as number)).toBeCloseTo(17000 / 3700, 1);
  });

  it('refuses a series with the wrong number of values', () => {
    expect(() => barChart({ ...spec, series: [{ name: 'short', values: [1, 2] }] })).toThrow(/2 values for 3 categories/);
  });
});
