import { describe, expect, it } from 'vitest';
import { allElements, parseXml } from '../../../../test/wellFormedXml.ts';
import type { KvOperation } from './kvHistory.ts';
import { describeOperation, violationSvg } from './violationSvg.ts';

const write: KvOperation = { id: 1, client: 'c1', key: 'x', kind: 'set', value: '1', invokedUs: 1000, completedUs: 1500, result: null };
const stale: KvOperation = { id: 2, client: 'c2', key: 'x', kind: 'get', invokedUs: 2000, completedUs: 2600, result: null };
const lost: KvOperation = { id: 3, client: 'c3', key: 'x', kind: 'set', value: '<2>', invokedUs: 1200 };

describe('violationSvg', () => {
  it('describes operations as the seed writes requests', () => {
    expect([write, stale, lost].map(describeOperation)).toEqual(['set x=1 → NIL', 'get x → NIL', 'set x=<2> → no answer']);
  });

  it('draws one lane per client and one bar per operation, well-formed, in time order', () => {
    const svg = violationSvg([write, stale, lost], 'key x: these cannot be ordered');
    const elements = allElements(parseXml(svg));
    const rects = elements.filter((element) => element.name === 'rect');
    expect(rects).toHaveLength(3);
    const [first, second, third] = rects.map((rect) => Number(rect.attributes.x));
    expect(first).toBeLessThan(third as number); // c1's set was sent before c3's
    expect(third).toBeLessThan(second as number);
    expect(elements.filter((element) => element.name === 'text' && element.attributes.class === 'client')).toHaveLength(3);
    expect(svg).toContain('set x=&lt;2&gt; → no answer');
  });
});
