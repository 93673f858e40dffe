/**
 * Starts the slowest test files first. Vitest, without the timings of an earlier run (a clean
 * clone has none), starts the largest files first, and a short file that grades five lab 4
 * submissions one after another then starts last and runs alone for ten minutes at the end. These
 * files are the slowest, slowest first, as measured on a clean clone (3 workers, 2 cores); every
 * other file follows in Vitest's own order.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOWEST_FIRST = [
  'grader/test/lab4.fixtures.test.ts',         // ~570 s: five lab 4 gradings of ~110 s each
  'grader/test/lab4.notebook.test.ts',         // ~290 s
  'grader/test/lab1.starterAndBroken.test.ts', // ~270 s, mostly waiting out broken programs' bounds
  'grader/test/lab3.fixtures.test.ts',
  'grader/test/hostile.test.ts',
  'grader/test/lab2.fixtures.test.ts',
  'grader/test/lab1.correctVariants.test.ts',
  'grader/test/lab2.notebook.test.ts',
  'grader/test/lab1.notebook.test.ts',
  'grader/test/lab4.solutionAndStarter.test.ts',
  'grader/test/batch.test.ts',
  'grader/test/lab1.buggyCoordinators.test.ts',
  'grader/test/lab3.notebook.test.ts',
  'grader/test/gradescope.test.ts',
  'grader/test/release.test.ts',
];

/** A file's place in SLOWEST_FIRST, or past its end for a file not in it. */
function rank(spec: TestSpecification): number {
  const index = SLOWEST_FIRST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
  return index === -1 ? SLOWEST_FIRST.length : index;
}

export default class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byVitest = await super.sort(files);
    // Array.prototype.sort is stable: files of equal rank keep Vitest's order.
    return [...byVitest].sort((a, b) => rank(a) - rank(b));
  }
}
