// lab4-kv disk state: what a node keeps in ./data to come back after a crash. Given code: do not edit; the grader uses its own copy.
//
// data/node-id    this node's stable random ID, made on its first start
// data/meta.json  {"currentTerm": N, "votedFor": ID or null}, replaced whole (a temporary file, then rename)
// data/log.jsonl  the log, one entry per line, appended to; rewritten whole (temporary file, rename) when cut
// Every write is synchronous: once a method has returned, a SIGKILL cannot undo it.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEntry, type Entry } from './raftLog.ts';

export interface Meta {
  currentTerm: number; // latest term the node has seen
  votedFor: string | null; // node ID it voted for in currentTerm, null: none
}

/** A data folder that cannot be used; the message says which file and what to do. */
export class DiskStateError extends Error {
  override name = 'DiskStateError';
}

const AFRESH = 'remove the data folder to start this node afresh (it then catches up from the others)';

export class DiskState {
  readonly nodeId: string; // this node's ID, the same across restarts

  constructor(private readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new DiskStateError(`cannot create ${dir}: ${(error as Error).message}`);
    }
    const idFile = join(dir, 'node-id');
    if (!existsSync(idFile)) this.replace(idFile, `${randomBytes(6).toString('hex')}\n`);
    this.nodeId = readFileSync(idFile, 'utf8').trim();
    if (!/^[0-9a-f]{12}$/.test(this.nodeId)) throw new DiskStateError(`${idFile} does not hold a node ID; ${AFRESH}`);
  }

  /** The term and vote last saved; term 0 and no vote on a first start. */
  loadMeta(): Meta {
    const path = join(this.dir, 'meta.json');
    if (!existsSync(path)) return { currentTerm: 0, votedFor: null };
    try {
      const meta = JSON.parse(readFileSync(path, 'utf8')) as Partial<Meta>;
      if (Number.isSafeInteger(meta.currentTerm) && (meta.votedFor === null || typeof meta.votedFor === 'string')) return meta as Meta;
    } catch {
      // reported below
    }
    throw new DiskStateError(`${path} is not {"currentTerm": N, "votedFor": ID or null}; ${AFRESH}`);
  }

  saveMeta(meta: Meta): void {
    this.replace(join(this.dir, 'meta.json'), `${JSON.stringify({ currentTerm: meta.currentTerm, votedFor: meta.votedFor })}\n`);
  }

  /** The saved log. A last line cut short by a crash (no newline) was never acknowledged: it is dropped. */
  loadLog(): Entry[] {
    const path = join(this.dir, 'log.jsonl');
    if (!existsSync(path)) return [];
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.pop(); // after the last newline: empty, or a line the crash cut short
    return lines.map((line, index) => {
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = undefined;
      }
      if (!isEntry(entry)) throw new DiskStateError(`${path}:${index + 1}: not a log entry; ${AFRESH}`);
      return entry;
    });
  }

  appendLog(entries: readonly Entry[]): void {
    appendFileSync(join(this.dir, 'log.jsonl'), entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  }

  rewriteLog(entries: readonly Entry[]): void {
    this.replace(join(this.dir, 'log.jsonl'), entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  }

  /** Writes `path` whole or not at all: a temporary file next to it, then a rename. */
  private replace(path: string, text: string): void {
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  }
}
