import { defineConfig } from 'vitest/config';
import SlowestFirstSequencer from './grader/test/slowestFirstSequencer.ts';

export default defineConfig({
  test: {
    include: ['grader/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // End-to-end tests start many real processes and many of them wait on a program's time
    // bounds: three workers keep the two cores busy; the slowest files start first.
    maxWorkers: 3,
    sequence: { sequencer: SlowestFirstSequencer },
    reporters: ['default', './grader/test/plainSummaryReporter.ts'],
  },
});
