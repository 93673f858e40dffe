import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['grader/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // End-to-end tests start many real processes; two workers match the two cores.
    maxWorkers: 2,
    reporters: ['default', './grader/test/plainSummaryReporter.ts'],
  },
});
