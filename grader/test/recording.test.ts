/**
 * Every check records what happened: the three files in its log folder, from real processes.
 * Lab 1's replica-killed check and lab 2's failures check on the reference solutions.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradeSubmission } from '../src/check/gradeSubmission.ts';
import type { CheckResult } from '../src/check/types.ts';
import type { CheckContext } from '../src/check/checkContext.ts';
import type { LabDef } from '../src/labs/labDef.ts';
import { lab1Bank } from '../src/labs/lab1-bank/lab.ts';
import { lab2Factory } from '../src/labs/lab2-factory/lab.ts';
import { solutionDir } from '../src/kitPaths.ts';
import type { Timeline } from '../src/record/recordTypes.ts';
import { allElements, parseXml } from './wellFormedXml.ts';

const roots: string[] = [];
afterAll(() => {
  if (!process.env.RSMLAB_KEEP_LOGS) for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Grades one check of `lab` on its reference solution; `watch` sees the check's context first. */
async function gradeOne(lab: LabDef, id: string, watch?: (context: CheckContext) => void): Promise<CheckResult> {
  const logRoot = mkdtempSync(join(tmpdir(), `rsmlab-recording-${lab.id}-`));
  roots.push(logRoot);
  const checks = lab.checks.map((check) => (check.id === id && watch ? { ...check, run: (context: CheckContext) => (watch(context), check.run(context)) } : check));
  const result = await gradeSubmission({ lab: { ...lab, checks }, source: solutionDir(lab.id), seed: 1, only: [id], logRoot, reproduceCommand: 'test' });
  const [check] = result.checks;
  if (!check) throw new Error(`${id} did not run`);
  return check;
}

function recorded(check: CheckResult): { timeline: Timeline; cast: [number, string, string][]; svg: string } {
  for (const path of [check.recording, check.timeline, check.timelineSvg]) expect(path !== undefined && existsSync(path)).toBe(true);
  const timeline = JSON.parse(readFileSync(check.timeline as string, 'utf8')) as Timeline;
  const cast = readFileSync(check.recording as string, 'utf8').trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as [number, string, string]);
  return { timeline, cast, svg: readFileSync(check.timelineSvg as string, 'utf8') };
}

const messageCount = (svg: string): number => allElements(parseXml(svg)).filter((element) => element.attributes.class === 'message').length;

describe('recording of a check', () => {
  test('lab 1, a replica killed: every request line on the replica links, the kill, the verdict', async () => {
    let requestLines = 0; // counted from the raw bytes the proxies delivered
    const check = await gradeOne(lab1Bank, 'lab1.D.replica-killed', (context) => {
      context.onLinkEvent((event) => {
        if (event.kind === 'data' && event.direction === 'request') requestLines += event.bytes.toString('latin1').split('\n').length - 1;
      });
    });
    expect(check.status, check.message).toBe('passed');
    const { timeline, cast, svg } = recorded(check);
    const toReplicas = timeline.messages.filter((m) => m.from === 'coord' && (m.to === 'a' || m.to === 'b'));
    expect(requestLines).toBeGreaterThan(10);
    expect(toReplicas).toHaveLength(requestLines);
    expect(toReplicas.every((m) => /^\w+ \w+ \d+/.test(m.summary) && m.receivedMs >= m.sentMs)).toBe(true);
    expect(timeline.events.some((e) => e.kind === 'kill' && e.process === 'b')).toBe(true);
    const markers = cast.filter(([, code]) => code === 'm').map(([, , label]) => label);
    expect(markers).toContain('grader: killed b (SIGKILL)');
    expect(markers.at(-1)).toBe('verdict: PASSED');
    expect(cast.some(([, code, text]) => code === 'o' && /coord \|.*Listening on port/.test(text))).toBe(true);
    expect(messageCount(svg)).toBe(timeline.messages.length);
  });

  test('lab 2, failures: replication messages decoded, partitions and kills drawn', async () => {
    const check = await gradeOne(lab2Factory, 'lab2.C.failures');
    expect(check.status, check.message).toBe('passed');
    const { timeline, svg } = recorded(check);
    expect(timeline.messages.some((m) => /^replicate #\d+ \(factory \d+, committed -?\d+\)$/.test(m.summary))).toBe(true);
    expect(timeline.messages.some((m) => /^ack #\d+ \(factory \d+\)$/.test(m.summary))).toBe(true);
    expect(timeline.events.filter((e) => e.kind === 'kill').length).toBeGreaterThanOrEqual(1);
    const svgRoot = parseXml(svg);
    expect(allElements(svgRoot).filter((element) => element.attributes.class === 'partition').length).toBeGreaterThan(0);
    expect(messageCount(svg)).toBe(timeline.messages.length);
  });
});
