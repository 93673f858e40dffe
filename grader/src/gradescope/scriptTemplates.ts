/**
 * The two scripts at the root of a Gradescope bundle, `setup.sh` and `run_autograder`, filled in from
 * the templates next to this file (`templates/`), which are plain shell scripts a reader can check.
 */
import { readFileSync } from 'node:fs';
import type { LabDef } from '../labs/labDef.ts';

/** The Node.js release the bundle installs: package.json asks for 20.19 or newer. */
export const NODE_MAJOR = 20;
export const NODE_MINOR = 19;

export const SCRIPT_NAMES = ['setup.sh', 'run_autograder'] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

export function renderScript(name: ScriptName, lab: LabDef): string {
  const template = readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8');
  const values: Record<string, string> = { LAB: lab.id, NODE_MAJOR: String(NODE_MAJOR), NODE_MINOR: String(NODE_MINOR) };
  const text = template.replace(/@([A-Z_]+)@/g, (whole, key: string) => values[key] ?? whole);
  const unknown = /@[A-Z_]+@/.exec(text);
  if (unknown) throw new Error(`templates/${name}: no value for ${unknown[0]}`);
  return text;
}
