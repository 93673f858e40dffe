/** Every lab the kit has, found by number (`1`), short name (`lab1`) or folder name (`lab1-bank`). */
import { RsmlabError } from '../errors.ts';
import type { LabDef } from './labDef.ts';
import { lab1Bank } from './lab1-bank/lab.ts';
import { lab2Factory } from './lab2-factory/lab.ts';
import { lab3Rsm } from './lab3-rsm/lab.ts';
import { lab4Kv } from './lab4-kv/lab.ts';

/** The labs the kit hands out, each complete: handout, notebook, starter, solution, checks. */
export const LABS: readonly LabDef[] = [lab1Bank, lab2Factory, lab3Rsm, lab4Kv];

export function findLab(name: string): LabDef {
  const wanted = name.trim().toLowerCase();
  const lab = LABS.find((candidate) => [candidate.id, `lab${candidate.number}`, String(candidate.number)].includes(wanted));
  if (!lab) {
    const known = LABS.map((candidate) => `lab${candidate.number} (${candidate.id})`).join(', ');
    throw new RsmlabError('UNKNOWN_LAB', `there is no lab "${name}"; the labs are: ${known}`);
  }
  return lab;
}
