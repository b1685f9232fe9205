import { defineConfig } from 'vitest/config';

// Benchmarks that assert their bounds (npm run bench:find-order); kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    testTimeout: 120_000,
    fileParallelism: false,
  },
});
