/**
 * JUnit XML for CI workflows (`--junit FILE` on `rsmlab check` and `rsmlab grade`): one <testsuite>
 * per grading run, one <testcase> per check (classname = the lab, name = the check's id, time in
 * seconds). A failed required check is a <failure> (message = its first line, body = the whole
 * message); a failed bonus check is <skipped>, as it does not fail `rsmlab check` either. Points,
 * title, tags and the reproduce command are <property> elements, so a CI page can show them.
 */
import type { CheckResult, GradeResult } from '../check/types.ts';

const isBonus = (check: CheckResult): boolean => check.tags.includes('bonus');
const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/** ANSI colour sequences removed, then what XML 1.0 cannot hold written out as `\xNN`/`\uNNNN`. */
function printable(text: string): string {
  return text
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    // C0 controls but tab, newline and carriage return; U+FFFE/U+FFFF; surrogates without a partner.
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]|[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (char) => {
      const code = char.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
}

export function escapeXmlText(text: string): string {
  return printable(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Also escapes quotes, and line breaks and tabs (a parser would turn them into spaces). */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const attributes = (values: Record<string, string | number>): string =>
  Object.entries(values).map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`).join('');

const properties = (indent: string, values: Record<string, string | number>): string[] => [
  `${indent}<properties>`,
  ...Object.entries(values).map(([name, value]) => `${indent}  <property${attributes({ name, value })}/>`),
  `${indent}</properties>`,
];

function testcase(lab: string, check: CheckResult): string[] {
  const open = `    <testcase${attributes({ classname: lab, name: check.id, time: seconds(check.durationMs) })}>`;
  const lines = [open, ...properties('      ', {
    title: check.title,
    points: check.points,
    maxPoints: check.maxPoints,
    bonus: isBonus(check) ? 'true' : 'false',
    tags: check.tags.join(','),
    seed: check.seed,
    reproduce: check.reproduce,
  })];
  const summary = check.message.split('\n').find((line) => line.trim() !== '') ?? 'failed';
  if (check.status === 'failed' && !isBonus(check)) {
    lines.push(`      <failure${attributes({ message: summary, type: 'CheckFailure' })}>${escapeXmlText(check.message)}</failure>`);
  } else if (check.status === 'failed') {
    lines.push(`      <skipped${attributes({ message: `bonus check not passed: ${summary}` })}/>`);
  }
  const out = [check.status === 'failed' ? check.message : '', check.logDir ? `logs: ${check.logDir}` : ''].filter(Boolean).join('\n');
  if (out) lines.push(`      <system-out>${escapeXmlText(out)}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

function testsuite(result: GradeResult, index: number, runs: number): string[] {
  const failures = result.checks.filter((check) => check.status === 'failed' && !isBonus(check)).length;
  const skipped = result.checks.filter((check) => check.status === 'failed' && isBonus(check)).length;
  const name = runs > 1 ? `${result.lab} (run ${index + 1}, seed ${result.seed})` : result.lab;
  return [
    `  <testsuite${attributes({ name, tests: result.checks.length, failures, errors: 0, skipped, time: seconds(result.executionTimeMs) })}>`,
    ...properties('    ', {
      lab: result.lab,
      submission: result.submission,
      seed: result.seed,
      score: result.score,
      maxScore: result.maxScore,
      bonusMaxScore: result.bonusMaxScore,
      ...(result.warnings.length > 0 ? { warnings: result.warnings.join('\n') } : {}),
    }),
    ...result.checks.flatMap((check) => testcase(result.lab, check)),
    '  </testsuite>',
  ];
}

/** The JUnit XML document of one or more grading runs (`--repeat` gives one suite per run). */
export function toJunitXml(runs: readonly GradeResult[]): string {
  const count = (predicate: (check: CheckResult) => boolean): number => runs.reduce((sum, run) => sum + run.checks.filter(predicate).length, 0);
  const totals = {
    name: 'rsmlab',
    tests: count(() => true),
    failures: count((check) => check.status === 'failed' && !isBonus(check)),
    errors: 0,
    skipped: count((check) => check.status === 'failed' && isBonus(check)),
    time: seconds(runs.reduce((sum, run) => sum + run.executionTimeMs, 0)),
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes(totals)}>`,
    ...runs.flatMap((run, index) => testsuite(run, index, runs.length)),
    '</testsuites>',
    '',
  ].join('\n');
}
