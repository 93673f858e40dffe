import { describe, expect, test } from 'vitest';
import { allElements, parseXml, type XmlElement } from '../../test/wellFormedXml.ts';
import type { Timeline, TimelineMessage } from './recordTypes.ts';
import { renderTimelineSvg } from './timelineSvg.ts';
import { createRng } from '../harness/rng.ts';

const ofClass = (root: XmlElement, name: string): XmlElement[] => allElements(root).filter((element) => element.attributes.class === name);

const small: Timeline = {
  check: 'lab1.D.replica-killed',
  startedAt: '2026-11-21T10:00:00.000Z',
  durationMs: 900,
  processes: ['a', 'b', 'coord'],
  links: { '→a': { from: 'coord', to: 'a' }, '→b': { from: 'coord', to: 'b' } },
  messages: [
    { id: 1, link: '→a', from: 'coord', to: 'a', sentMs: 10, receivedMs: 12, bytes: 11, summary: 'ann ben 10 <&> "x"' },
    { id: 2, link: '→a', from: 'a', to: 'coord', sentMs: 13, receivedMs: 14, bytes: 7, summary: '90 110' },
    { id: 3, link: '→b', from: 'coord', to: 'b', sentMs: 15, receivedMs: 600, bytes: 11, summary: 'ann ben 10' },
  ],
  events: [
    { atMs: 0, kind: 'start', process: 'a', text: 'grader: started a' },
    { atMs: 20, kind: 'partition', link: '→b', text: 'grader: partitioned link →b' },
    { atMs: 30, kind: 'pause', process: 'a', text: 'grader: paused a (SIGSTOP)' },
    { atMs: 40, kind: 'resume', process: 'a', text: 'grader: resumed a (SIGCONT)' },
    { atMs: 590, kind: 'heal', link: '→b', text: 'grader: healed link →b' },
    { atMs: 700, kind: 'kill', process: 'b', text: 'grader: killed b (SIGKILL)' },
    { atMs: 705, kind: 'exit', process: 'b', text: 'b ended by SIGKILL' },
    { atMs: 900, kind: 'verdict', text: 'verdict: FAILED — expected the replicas to agree' },
  ],
};

describe('renderTimelineSvg', () => {
  test('draws well-formed, self-contained SVG with a lane per process and one .message per message', () => {
    const svg = renderTimelineSvg(small);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes.viewBox).toMatch(/^0 0 [\d.]+ [\d.]+$/);
    expect(svg).not.toMatch(/@import|url\((?!#)|href=/);
    expect(ofClass(root, 'message')).toHaveLength(3);
    expect(ofClass(root, 'lane').map((lane) => lane.children.find((child) => child.name === 'text')?.text)).toEqual(['a', 'b', 'coord']);
    const firstTitle = ofClass(root, 'message')[0]?.children.find((child) => child.name === 'title')?.text;
    expect(firstTitle).toContain('ann ben 10 &lt;&amp;&gt; &quot;x&quot;');
    expect(firstTitle).toContain('sent 10 ms, received 12 ms');
  });

  test('marks kills, partitions until healed, pauses until resumed, and the verdict', () => {
    const root = parseXml(renderTimelineSvg(small));
    expect(ofClass(root, 'kill')).toHaveLength(1);
    const [partition] = ofClass(root, 'partition');
    expect(Number(partition?.attributes.height)).toBeGreaterThan(20);
    expect(ofClass(root, 'pause')).toHaveLength(1);
    expect(ofClass(root, 'verdict')[0]?.text).toContain('verdict: FAILED');
  });

  test('stays under 6000 px for 500 messages over 60 s with quiet gaps, with close messages still apart', () => {
    const rng = createRng(7);
    const messages: TimelineMessage[] = [];
    let t = 0;
    for (let id = 1; id <= 500; id++) {
      t += id % 50 === 0 ? 5000 : rng.int(0, 6) * 0.7; // bursts, and a quiet 5 s every 50 messages
      messages.push({ id, link: '→a', from: id % 2 ? 'coord' : 'a', to: id % 2 ? 'a' : 'coord', sentMs: t, receivedMs: t + rng.int(0, 3), bytes: 10, summary: `m${id}` });
    }
    const timeline: Timeline = { ...small, durationMs: 60_000, processes: ['a', 'coord'], messages, events: [] };
    const root = parseXml(renderTimelineSvg(timeline));
    const height = Number(root.attributes.height);
    expect(height).toBeLessThanOrEqual(6000);
    expect(height).toBeGreaterThan(1000);
    const arrows = ofClass(root, 'message');
    expect(arrows).toHaveLength(500);
    const starts = arrows.map((arrow) => Number(arrow.children[0]?.attributes.y1));
    const sorted = [...new Set(messages.map((m) => Math.round(m.sentMs * 10) / 10))].length;
    expect(new Set(starts.map((y) => Math.round(y))).size).toBeGreaterThan(sorted * 0.9); // distinct instants stay apart
    expect(ofClass(root, 'break').length).toBeGreaterThanOrEqual(9);
  });
});
