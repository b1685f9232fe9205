import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// package.json's version is onboard's one version source (src/version.ts); scripts/build.mjs defines it the same way.
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __ONBOARD_VERSION__: JSON.stringify(version) },
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
