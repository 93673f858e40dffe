/**
 * Checks a results.json against the fields Gradescope documents, so that a bundle's output is
 * proven acceptable before an instructor uploads it. From the specification
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/, "Output format"):
 *
 * - top level, all optional: `score` (required when the tests carry no score), `execution_time`
 *   (seconds), `output`, `output_format`, `test_output_format`, `test_name_format`, `visibility`,
 *   `stdout_visibility`, `extra_data` (an object), `tests`, `leaderboard`
 *   (`[{name, value, order?}]`, order "asc" or "desc");
 * - each test, all optional: `score` (required when there is no top-level score), `max_score`,
 *   `status` ("passed" or "failed"), `name`, `name_format`, `number`, `output`, `output_format`,
 *   `tags` (strings), `visibility`, `extra_data`;
 * - visibility: "hidden", "after_due_date", "after_published" or "visible";
 * - formats: "text", "html", "simple_format", "md" or "ansi".
 *
 * Stricter than Gradescope on purpose: an unknown key is reported (a typo would be ignored
 * silently by Gradescope), and a test's score may not exceed its max_score.
 */

export const VISIBILITIES = ['hidden', 'after_due_date', 'after_published', 'visible'] as const;
export const FORMATS = ['text', 'html', 'simple_format', 'md', 'ansi'] as const;
export const TEST_STATUSES = ['passed', 'failed'] as const;

const TOP_KEYS = ['score', 'execution_time', 'output', 'output_format', 'test_output_format', 'test_name_format', 'visibility', 'stdout_visibility', 'extra_data', 'tests', 'leaderboard'];
const TEST_KEYS = ['score', 'max_score', 'status', 'name', 'name_format', 'number', 'output', 'output_format', 'tags', 'visibility', 'extra_data'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Every way `value` departs from the documented format; empty when it conforms. */
export function gradescopeResultsProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(value)) return ['results.json must hold a JSON object'];
  checkFields(value, TOP_KEYS, '', problems);
  for (const key of ['visibility', 'stdout_visibility']) oneOf(value, key, VISIBILITIES, '', problems);
  for (const key of ['output_format', 'test_output_format', 'test_name_format']) oneOf(value, key, FORMATS, '', problems);
  if ('tests' in value && !Array.isArray(value.tests)) problems.push('tests must be an array');
  const tests = Array.isArray(value.tests) ? value.tests : [];
  if (!('score' in value) && (tests.length === 0 || tests.some((test) => !isObject(test) || !('score' in test)))) {
    problems.push('score is required at the top level unless every test has one');
  }
  tests.forEach((test, index) => checkTest(test, `tests[${index}].`, problems));
  if ('leaderboard' in value) {
    const board = value.leaderboard;
    if (!Array.isArray(board)) problems.push('leaderboard must be an array');
    else board.forEach((entry, index) => {
      if (!isObject(entry) || typeof entry.name !== 'string' || !('value' in entry)) problems.push(`leaderboard[${index}] needs a name and a value`);
      else oneOf(entry, 'order', ['asc', 'desc'], `leaderboard[${index}].`, problems);
    });
  }
  return problems;
}

function checkTest(test: unknown, where: string, problems: string[]): void {
  if (!isObject(test)) {
    problems.push(`${where.slice(0, -1)} must be an object`);
    return;
  }
  checkFields(test, TEST_KEYS, where, problems);
  oneOf(test, 'status', TEST_STATUSES, where, problems);
  oneOf(test, 'visibility', VISIBILITIES, where, problems);
  for (const key of ['name_format', 'output_format']) oneOf(test, key, FORMATS, where, problems);
  if ('tags' in test && (!Array.isArray(test.tags) || !test.tags.every((tag) => typeof tag === 'string'))) problems.push(`${where}tags must be an array of strings`);
  if (isNumber(test.score) && isNumber(test.max_score) && test.score > test.max_score) problems.push(`${where}score ${test.score} exceeds max_score ${test.max_score}`);
}

/** Types of the fields both levels share, and keys the format does not have. */
function checkFields(object: Json, known: readonly string[], where: string, problems: string[]): void {
  for (const key of Object.keys(object)) if (!known.includes(key)) problems.push(`${where}${key} is not a field of Gradescope's format`);
  for (const key of ['score', 'max_score', 'execution_time']) {
    if (key in object && !isNumber(object[key])) problems.push(`${where}${key} must be a number`);
  }
  for (const key of ['output', 'name', 'number']) {
    if (key in object && typeof object[key] !== 'string') problems.push(`${where}${key} must be a string`);
  }
  if ('extra_data' in object && !isObject(object.extra_data)) problems.push(`${where}extra_data must be an object`);
}

function oneOf(object: Json, key: string, allowed: readonly string[], where: string, problems: string[]): void {
  if (key in object && !allowed.includes(object[key] as string)) {
    problems.push(`${where}${key} is ${JSON.stringify(object[key])}, not one of ${allowed.join(', ')}`);
  }
}
