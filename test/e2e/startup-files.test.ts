// What the built binary loads to start (the speed of `npm run bench` rests on it; the times are measured there,
// not here): --help one small file of help pages, status and settings one CommonJS file with their runner.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { BIN, ROOT } from './built.js';

afterAll(() => removeTempDirs());

/** The files `onboard ARGV` loads (bench/trace-loads.mjs), relative to the repository, sorted. */
function filesLoaded(argv: string[]): string[] {
  const result = spawnSync(process.execPath, ['--import', join(ROOT, 'bench', 'trace-loads.mjs'), BIN, ...argv], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: tempConfigDir(), ONBOARD_CONFIG_DIR: tempConfigDir() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return [...result.stderr.matchAll(/^load .* B {2}(.+)$/gm)].map((m) => m[1]!).sort();
}

describe('starting the built binary', () => {
  it('--help and COMMAND --help load the help pages, not commander', { timeout: 60_000 }, () => {
    expect(filesLoaded(['--help'])).toEqual(['bin/onboard.js', 'dist/help.cjs']);
    expect(filesLoaded(['sandbox', 'serve', '--help'])).toEqual(['bin/onboard.js', 'dist/help.cjs']);
  });

  it('status and settings load the command table and one file with everything they run', { timeout: 60_000 }, () => {
    for (const argv of [
      ['status', '--json'],
      ['settings', '--json'],
      ['status', '--all-profiles'],
    ]) {
      expect(filesLoaded(argv), argv.join(' ')).toEqual(['bin/onboard.js', 'dist/main.cjs', 'dist/read.cjs']);
    }
  });

  it('dist/read.cjs leaves out the adapters and the sandbox; settings --sandbox runs from the split build', { timeout: 60_000 }, () => {
    const read = readFileSync(join(ROOT, 'dist', 'read.cjs'), 'utf8');
    for (const name of ['createShopifyChannel', 'createFlxpointPortal', 'startSandboxServer']) expect(read).not.toContain(name);
    const files = filesLoaded(['settings', '--sandbox', '--json']);
    expect(files).not.toContain('dist/read.cjs');
    expect(files).toContain('dist/runner.js');
  });
});
