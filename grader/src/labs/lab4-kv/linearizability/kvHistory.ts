/**
 * A history of operations on the lab 4 key-value service, as the grader's clients record them,
 * and the model they are judged against: each key is a register whose `set` returns the value it
 * replaced (null for NIL) and whose `get` returns the current value.
 */

export interface KvOperation {
  id: number;                // unique in the history
  client: string;            // who sent it; a client has one operation outstanding at a time
  key: string;
  kind: 'get' | 'set';
  value?: string;            // set: the value written
  invokedUs: number;         // when it was sent
  completedUs?: number;      // when its answer came; undefined when none came (it may take effect later, or never)
  result?: string | null;    // the value answered (null: NIL); undefined when no answer came
}

export type RegisterState = string | null;

/** Applies `op` to a register holding `state`: undefined when the answer it got is impossible, else the new state. */
export function step(state: RegisterState, op: KvOperation): { next: RegisterState } | undefined {
  if (op.result !== undefined && op.result !== state) return undefined;
  return { next: op.kind === 'set' ? (op.value ?? null) : state };
}

/** The operations on each key, keys in sorted order. */
export function byKey(history: readonly KvOperation[]): Map<string, KvOperation[]> {
  const keys = new Map<string, KvOperation[]>();
  for (const op of history) keys.set(op.key, [...(keys.get(op.key) ?? []), op]);
  return new Map([...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
