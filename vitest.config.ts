import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real processes and real servers on a 2-core machine: keep files from starving each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
