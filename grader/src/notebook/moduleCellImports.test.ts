import { describe, expect, it } from 'vitest';
import { isImportNoise } from './moduleCellImports.ts';

const LAB_FILES = new Set(['engineer.ts', 'factoryState.ts', 'messages.ts']);

describe('isImportNoise', () => {
  it.each([
    "engineer.ts 7:35 - An import path can only end with a '.ts' extension when 'allowImportingTsExtensions' is enabled.\n",
    "engineer.ts 16:8 - Cannot find module './messages.ts' or its corresponding type declarations.\n",
    "factoryState.ts 6:81 - Cannot find module './messages.ts' or its corresponding type declarations.",
  ])('hides tslab\'s complaint about a lab file importing a lab file: %s', (line) => {
    expect(isImportNoise(line, LAB_FILES)).toBe(true);
  });

  it.each([
    ["engineer.ts 40:3 - Type 'string' is not assignable to type 'number'.\n", 'a real error in a lab file'],
    ["engineer.ts 3:20 - Cannot find module './helpers.ts' or its corresponding type declarations.\n", 'an import of a file the lab does not have'],
    ["mine.ts 7:35 - An import path can only end with a '.ts' extension when 'allowImportingTsExtensions' is enabled.\n", 'a module cell that is no lab file'],
    ["engineer.ts 16:8 - Cannot find module 'left-pad' or its corresponding type declarations.\n", 'a package'],
    ['Warning: the notebook could not be saved from here\n', 'anything else on stderr'],
  ])('shows %s (%s)', (line) => {
    expect(isImportNoise(line, LAB_FILES)).toBe(false);
  });

  it('hides a property of `unknown` only in a lab file whose lab imports were not found (a class without a type narrows nothing)', () => {
    const unresolved = new Set<string>();
    const cascade = "engineer.ts 53:101 - Property 'code' does not exist on type 'unknown'.\n";
    expect(isImportNoise(cascade, LAB_FILES, unresolved)).toBe(false);
    expect(isImportNoise("engineer.ts 3:36 - Cannot find module './messages.ts' or its corresponding type declarations.\n", LAB_FILES, unresolved)).toBe(true);
    expect(isImportNoise(cascade, LAB_FILES, unresolved)).toBe(true);
    expect(isImportNoise("factoryState.ts 9:1 - Property 'code' does not exist on type 'unknown'.\n", LAB_FILES, unresolved)).toBe(false);
    expect(isImportNoise("engineer.ts 60:3 - Property 'code' does not exist on type 'Error'.\n", LAB_FILES, unresolved)).toBe(false);
  });
});
