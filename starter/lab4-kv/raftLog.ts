// lab4-kv replicated log: the entries in memory, every change written to ./data first. Given code: do not edit; the grader uses its own copy.
//
// Indices start at 1; index 0 stands for "before the first entry", with term 0.
import type { DiskState } from './diskState.ts';
import { isKvRequest, type KvRequest } from './kvProtocol.ts';

/** What an entry asks of the key-value map: a client's get or set, or nothing (a new leader's first entry). */
export type Command = KvRequest | { kind: 'noop' };

export interface Entry {
  term: number; // the term of the leader that appended it
  command: Command;
}

/** True when `value` is an Entry (as read from disk or from a peer's message). */
export function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Record<string, unknown>> | null;
  if (typeof entry !== 'object' || entry === null || !Number.isSafeInteger(entry.term)) return false;
  const command = entry.command as { kind?: unknown } | null;
  return typeof command === 'object' && command !== null && (command.kind === 'noop' || isKvRequest(command));
}

export class RaftLog {
  private readonly entries: Entry[]; // entries[i] is the entry at index i + 1

  constructor(private readonly disk: DiskState) {
    this.entries = disk.loadLog();
  }

  /** Index of the newest entry; 0 when the log is empty. */
  get lastIndex(): number {
    return this.entries.length;
  }

  /** Term of the newest entry; 0 when the log is empty. */
  get lastTerm(): number {
    return this.entries.at(-1)?.term ?? 0;
  }

  /** The term of the entry at `index`: 0 for index 0, undefined past the end. */
  termAt(index: number): number | undefined {
    return index === 0 ? 0 : this.entries[index - 1]?.term;
  }

  /** The entry at `index` (1..lastIndex), or undefined. */
  at(index: number): Entry | undefined {
    return index >= 1 ? this.entries[index - 1] : undefined;
  }

  /** At most `max` entries, from index `from` on. */
  slice(from: number, max: number): Entry[] {
    return this.entries.slice(Math.max(from, 1) - 1, Math.max(from, 1) - 1 + max);
  }

  /** Adds `entries` after the newest one, on disk before it returns; returns the new lastIndex. */
  append(entries: readonly Entry[]): number {
    if (entries.length === 0) return this.lastIndex;
    this.disk.appendLog(entries);
    this.entries.push(...entries);
    return this.lastIndex;
  }

  /** Drops the entry at `index` and every one after it, on disk before it returns (nothing past the end). */
  truncateFrom(index: number): void {
    if (index < 1) throw new RangeError(`truncateFrom(${index}): indices start at 1`);
    if (index > this.lastIndex) return;
    this.disk.rewriteLog(this.entries.slice(0, index - 1));
    this.entries.length = index - 1;
  }
}
