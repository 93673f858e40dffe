// JUnit XML of a grading run: well formed whatever the messages hold, with the counts CI reads.
import { describe, it, expect } from 'vitest';
import type { CheckResult, GradeResult } from '../check/types.ts';
import { allElements, parseXml, type XmlElement } from '../../test/wellFormedXml.ts';
import { escapeXmlAttribute, toJunitXml } from './junitReport.ts';

function check(id: string, status: 'passed' | 'failed', message = '', tags: string[] = []): CheckResult {
  return {
    id, title: `title of ${id}`, part: id.split('.')[1] ?? 'A', tags, points: status === 'passed' ? 10 : 0, maxPoints: 10,
    status, message, seed: 1, durationMs: 1234, logDir: `/tmp/logs/${id}`, reproduce: `npx rsmlab check lab1 x --seed 1 --only ${id}`,
  };
}

function result(checks: CheckResult[], seed = 1): GradeResult {
  return {
    lab: 'lab1-bank', submission: 'starter/lab1-bank', seed, score: checks.reduce((sum, c) => sum + c.points, 0), maxScore: 30,
    bonusMaxScore: 10, executionTimeMs: 5678, logRoot: '/tmp/logs', warnings: [], checks,
  };
}

/** Characters XML 1.0 forbids anywhere in a document, even as character references. */
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const child = (element: XmlElement, name: string): XmlElement | undefined => element.children.find((c) => c.name === name);
const property = (element: XmlElement, name: string): string | undefined =>
  child(element, 'properties')?.children.find((p) => p.attributes.name === name)?.attributes.value;

describe('JUnit report', () => {
  const hostile = 'expected <100> & got "99" \'x\'\x1b[31m red\x1b[0m\x00\x07\x0b\x1f\ufffe lone\ud800 ok\u{1F600}\nsecond line\ttab';
  const runs = [result([
    check('lab1.A.one-server', 'passed'),
    check('lab1.B.concurrent-clients', 'failed', hostile),
    check('lab1.D.replica-killed', 'failed', 'bonus: the survivor lost a transfer', ['bonus']),
  ])];

  it('is well formed, holds no character XML 1.0 forbids, and counts failures and skipped bonus checks', () => {
    const xml = toJunitXml(runs);
    expect(xml).not.toMatch(FORBIDDEN);
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '3', failures: '1', errors: '0', skipped: '1' });
    const suites = root.children.filter((element) => element.name === 'testsuite');
    expect(suites).toHaveLength(1);
    const suite = suites[0] as XmlElement;
    expect(suite.attributes).toMatchObject({ name: 'lab1-bank', tests: '3', failures: '1', skipped: '1', time: '5.678' });
    expect(property(suite, 'score')).toBe('10');
    const cases = suite.children.filter((element) => element.name === 'testcase');
    expect(cases.map((testcase) => [testcase.attributes.classname, testcase.attributes.name, testcase.attributes.time])).toEqual([
      ['lab1-bank', 'lab1.A.one-server', '1.234'],
      ['lab1-bank', 'lab1.B.concurrent-clients', '1.234'],
      ['lab1-bank', 'lab1.D.replica-killed', '1.234'],
    ]);
    const [passed, failed, bonus] = cases as [XmlElement, XmlElement, XmlElement];
    expect(child(passed, 'failure')).toBeUndefined();
    expect(property(passed, 'points')).toBe('10');
    expect(property(bonus, 'bonus')).toBe('true');
    expect(child(bonus, 'skipped')?.attributes.message).toContain('bonus check not passed');
    const failure = child(failed, 'failure');
    expect(failure?.attributes.message).toBe(escapeXmlAttribute(hostile.split('\n')[0] as string));
    expect(failure?.attributes.message).toContain('&lt;100&gt; &amp; got &quot;99&quot; &apos;x&apos;');
    expect(failure?.text).toContain('\\x00\\x07\\x0b\\x1f\\ufffe lone\\ud800 ok\u{1F600}'); // the emoji, a valid pair, stays
    expect(failure?.text).not.toContain('[31m');
    expect(failure?.text).toContain('second line');
    expect(property(failed, 'reproduce')).toContain('--only lab1.B.concurrent-clients');
  });

  it('writes one suite per run when grading was repeated', () => {
    const root = parseXml(toJunitXml([result([check('lab1.A.one-server', 'passed')], 1), result([check('lab1.A.one-server', 'failed', 'x')], 2)]));
    const suites = allElements(root).filter((element) => element.name === 'testsuite');
    expect(suites.map((suite) => suite.attributes.name)).toEqual(['lab1-bank (run 1, seed 1)', 'lab1-bank (run 2, seed 2)']);
    expect(root.attributes).toMatchObject({ tests: '2', failures: '1' });
  });

  it('keeps line breaks in attributes as character references', () => {
    expect(escapeXmlAttribute('a\nb\tc\rd')).toBe('a&#10;b&#9;c&#13;d');
  });
});
