// lab4-kv client protocol: targets, limits and answer bodies. Given code: do not edit; the grader uses its own copy.
//
// `GET /KEY` reads, `GET /KEY=VALUE` sets (the target percent-decoded, split at its first `=`).
// A 200 answer's body is `KEY=OLD` (for a get: the current value), or `KEY=NIL` when there was none.
// Keys: 1-128 printable ASCII characters without `[`, `]` or `=`; values: at most 2048 printable
// ASCII characters without `[` or `]`, and never `NIL`. A request past the limits gets a 400.
export const MAX_KEY = 128;
export const MAX_VALUE = 2048;
export const NIL = 'NIL'; // the body's word for "no value"

export type KvRequest = { kind: 'get'; key: string } | { kind: 'set'; key: string; value: string };

const PRINTABLE = /^[\x21-\x7e]*$/; // printable ASCII, the space excluded

/** Why `key` breaks the limits, or undefined when it is fine. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'the key is empty';
  if (key.length > MAX_KEY) return `the key has ${key.length} characters, more than ${MAX_KEY}`;
  if (!PRINTABLE.test(key) || /[[\]=]/.test(key)) return 'the key holds a character that is not allowed (only printable ASCII, and no [, ] or =)';
  return undefined;
}

/** Why `value` breaks the limits, or undefined when it is fine. */
export function valueProblem(value: string): string | undefined {
  if (value.length > MAX_VALUE) return `the value has ${value.length} characters, more than ${MAX_VALUE}`;
  if (!PRINTABLE.test(value) || /[[\]]/.test(value)) return 'the value holds a character that is not allowed (only printable ASCII, and no [ or ])';
  if (value === NIL) return `the value ${NIL} stands for "no value" and cannot be set`;
  return undefined;
}

/** The request a target names (`/KEY` or `/KEY=VALUE`, percent-encoded), or why it names none. */
export function parseTarget(target: string): KvRequest | { problem: string } {
  if (!target.startsWith('/')) return { problem: `the target ${JSON.stringify(target.slice(0, 40))} does not start with /` };
  let text: string;
  try {
    text = decodeURIComponent(target.slice(1));
  } catch {
    return { problem: 'the target is not valid percent-encoding' };
  }
  const equals = text.indexOf('=');
  const key = equals < 0 ? text : text.slice(0, equals);
  const problem = keyProblem(key) ?? (equals < 0 ? undefined : valueProblem(text.slice(equals + 1)));
  if (problem !== undefined) return { problem };
  return equals < 0 ? { kind: 'get', key } : { kind: 'set', key, value: text.slice(equals + 1) };
}

/** The target of `request`, percent-encoded as a client sends it. */
export function targetOf(request: KvRequest): string {
  return `/${encodeURIComponent(request.key)}${request.kind === 'set' ? `=${encodeURIComponent(request.value)}` : ''}`;
}

/** The body of a 200 answer: `KEY=OLD`, or `KEY=NIL` when `old` is null. */
export const formatBody = (key: string, old: string | null): string => `${key}=${old ?? NIL}`;

/** True when `value` is a well-formed request (what a forwarded request must be). */
export function isKvRequest(value: unknown): value is KvRequest {
  const request = value as Partial<Record<string, unknown>> | null;
  if (typeof request !== 'object' || request === null || typeof request.key !== 'string' || keyProblem(request.key) !== undefined) return false;
  if (request.kind === 'get') return true;
  return request.kind === 'set' && typeof request.value === 'string' && valueProblem(request.value) === undefined;
}
