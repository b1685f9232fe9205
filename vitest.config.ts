import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Safety nets for a busy machine, not speed goals (those are in scripts/bench.mjs).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most tests wait on loopback HTTP and child processes, not the CPU: run more files than cores.
    maxWorkers: 4,
  },
});
