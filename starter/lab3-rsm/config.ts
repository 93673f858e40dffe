// lab3-rsm CONFIG files: one replica per line, `ID HOST PORT`. Given code: do not edit; the grader uses its own copy.
//
// `#` starts a comment; blank lines are ignored. IDs are the integers 0..N-1, each once, in any order.
// A replica listens on the port of its own line (0: chosen by the OS) and reaches the others at theirs.
import { readFileSync } from 'node:fs';

export interface Replica {
  id: number; // 0..N-1
  host: string; // where to reach it (or, on its own line, where it listens)
  port: number; // 0..65535; 0 only makes sense on a replica's own line
}

/** A CONFIG that cannot be used; the message names the file and line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const isCount = (word: string): boolean => /^\d+$/.test(word);

/** The replicas listed in `text`, sorted by ID. `source` names the file in error messages. */
export function parseConfig(text: string, source = 'CONFIG'): Replica[] {
  const replicas: Replica[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const where = `${source}:${index + 1}`;
    const words = (raw.split('#')[0] ?? '').trim().split(/\s+/).filter((word) => word !== '');
    if (words.length === 0) continue;
    const [id, host, port] = words;
    if (words.length !== 3 || id === undefined || host === undefined || port === undefined) {
      throw new ConfigError(`${where}: expected \`ID HOST PORT\`, found ${JSON.stringify(raw.trim())}`);
    }
    if (!isCount(id)) throw new ConfigError(`${where}: the ID ${JSON.stringify(id)} is not a whole number`);
    if (!isCount(port) || Number(port) > 65535) throw new ConfigError(`${where}: the port ${JSON.stringify(port)} is not a number from 0 to 65535`);
    const seen = replicas.find((replica) => replica.id === Number(id));
    if (seen !== undefined) throw new ConfigError(`${where}: the ID ${id} is listed twice`);
    replicas.push({ id: Number(id), host, port: Number(port) });
  }
  if (replicas.length === 0) throw new ConfigError(`${source}: lists no replica (one \`ID HOST PORT\` line each)`);
  replicas.sort((a, b) => a.id - b.id);
  const gap = replicas.findIndex((replica, i) => replica.id !== i);
  if (gap >= 0) throw new ConfigError(`${source}: the IDs must be 0..${replicas.length - 1}, but ${gap} is missing`);
  return replicas;
}

/** Reads and parses the CONFIG file at `path`; throws ConfigError when it cannot be read or used. */
export function readConfig(path: string): Replica[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseConfig(text, path);
}
