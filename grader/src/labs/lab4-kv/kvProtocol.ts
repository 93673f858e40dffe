/**
 * Lab 4's HTTP protocol as the grader reads and speaks it (seed 003, in the handout's words):
 * `GET /KEY` reads, `GET /KEY=VALUE` sets; a 200 answer's body is `KEY=OLD`, or `KEY=NIL` when the
 * key had no value. Keys: 1–128 printable characters without `[`, `]` or `=`; values: up to 2048
 * printable characters without `[` or `]`. A request that breaks a limit gets a 4xx and stores nothing.
 */

export const MAX_KEY = 128;
export const MAX_VALUE = 2048;
export const NIL = 'NIL';

export type KvRequest = { kind: 'get'; key: string } | { kind: 'set'; key: string; value: string };

const PRINTABLE = /^[\x21-\x7e]*$/; // printable ASCII without the space, as the seed's "without special characters"

/** Why `key` breaks the protocol's limits, or undefined when it is fine. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'the key is empty';
  if (key.length > MAX_KEY) return `the key has ${key.length} characters, more than ${MAX_KEY}`;
  if (!PRINTABLE.test(key) || /[[\]=]/.test(key)) return 'the key holds a character that is not allowed (only printable characters, and no [, ] or =)';
  return undefined;
}

/** Why `value` breaks the protocol's limits, or undefined when it is fine. */
export function valueProblem(value: string): string | undefined {
  if (value.length > MAX_VALUE) return `the value has ${value.length} characters, more than ${MAX_VALUE}`;
  if (!PRINTABLE.test(value) || /[[\]]/.test(value)) return 'the value holds a character that is not allowed (only printable characters, and no [ or ])';
  if (value === NIL) return `the value ${NIL} stands for "no value" and cannot be set`;
  return undefined;
}

/** The request a target names (`/KEY` or `/KEY=VALUE`, percent-decoded), or why it names none. */
export function parseTarget(target: string): KvRequest | { problem: string } {
  if (!target.startsWith('/')) return { problem: `the target ${JSON.stringify(target)} does not start with /` };
  let text: string;
  try {
    text = decodeURIComponent(target.slice(1));
  } catch {
    return { problem: `the target ${JSON.stringify(target)} is not valid percent-encoding` };
  }
  const equals = text.indexOf('=');
  const key = equals < 0 ? text : text.slice(0, equals);
  const problem = keyProblem(key) ?? (equals < 0 ? undefined : valueProblem(text.slice(equals + 1)));
  if (problem) return { problem };
  return equals < 0 ? { kind: 'get', key } : { kind: 'set', key, value: text.slice(equals + 1) };
}

/** The target of `request`, percent-encoded as a client sends it. */
export function targetOf(request: KvRequest): string {
  return `/${encodeURIComponent(request.key)}${request.kind === 'set' ? `=${encodeURIComponent(request.value)}` : ''}`;
}

/** The body of a 200 answer: `KEY=OLD`, or `KEY=NIL`. */
export const formatBody = (key: string, old: string | null): string => `${key}=${old ?? NIL}`;

/** The old value a 200 answer's body gives for `key` (null for NIL), or why the body is not one. */
export function parseBody(body: string, key: string): { old: string | null } | { problem: string } {
  const text = body.replace(/\r?\n$/, '');
  if (!text.startsWith(`${key}=`)) return { problem: `the body ${JSON.stringify(text.slice(0, 80))} does not start with ${JSON.stringify(`${key}=`)}` };
  const old = text.slice(key.length + 1);
  return { old: old === NIL ? null : old };
}
