import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// package.json's version is onboard's one version source (src/version.ts); scripts/build.mjs defines it the same way.
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Benchmarks that assert their bounds (npm run bench:find-order); kept out of `npm test`.
export default defineConfig({
  define: { __ONBOARD_VERSION__: JSON.stringify(version) },
  test: {
    include: ['bench/**/*.bench.ts'],
    testTimeout: 120_000,
    fileParallelism: false,
  },
});
