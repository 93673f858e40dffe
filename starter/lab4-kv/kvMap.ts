// lab4-kv key-value map: the state machine every node applies the committed log to, in order. Given code: do not edit; the grader uses its own copy.
import type { Command } from './raftLog.ts';

export class KvMap {
  private readonly values = new Map<string, string>(); // key -> its value; a key never set is absent

  /** Carries out `command`; returns the key's value before it (for a get: its value), null for none or a no-op. */
  apply(command: Command): string | null {
    if (command.kind === 'noop') return null;
    const old = this.values.get(command.key) ?? null;
    if (command.kind === 'set') this.values.set(command.key, command.value);
    return old;
  }

  /** How many keys have a value. */
  get size(): number {
    return this.values.size;
  }
}
