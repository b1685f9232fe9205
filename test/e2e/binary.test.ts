// The built binary (`node bin/onboard.js`), spawned with stdin closed: nothing ever waits on it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { onboard, ROOT } from './built.js';

// dist/ is built once for the suite (test/global-setup.ts); each test has its own configuration directory.
afterEach(() => removeTempDirs());

describe('node bin/onboard.js with stdin closed', () => {
  it('test-order --sandbox without --yes exits 2 at once, naming --yes, touching nothing', { timeout: 20_000 }, async () => {
    const dir = tempConfigDir();
    const result = await onboard(['test-order', '--sandbox'], { configDir: dir, timeoutMs: 15_000 });
    expect(result.signal, 'killed by the timeout: it waited').toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect(result.stdout).toBe('');
    // well under the kill timeout: it did not wait on stdin (generous: the CI machine may be loaded)
    expect(result.ms).toBeLessThan(10_000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('test-order --sandbox --json without --yes: one error document, exit 2', { timeout: 20_000 }, async () => {
    const result = await onboard(['test-order', '--sandbox', '--json'], { configDir: tempConfigDir(), timeoutMs: 15_000 });
    expect(result.code).toBe(2);
    expect(result.json().error.code).toBe('input_required');
  });

  it('test-order --sandbox --yes --json reaches tracking_synced, exit 0', { timeout: 90_000 }, async () => {
    const result = await onboard(['test-order', '--sandbox', '--yes', '--json'], { configDir: tempConfigDir(), timeoutMs: 80_000 });
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(0);
    const doc = result.json();
    expect(doc.stage).toBe('tracking_synced');
    expect(doc.order.number).toBe('1001');
    expect(doc.confirmed).toEqual({ imported: true, routed: true, trackingSynced: true });
  });

  it('--help exits 0 and lists the commands', { timeout: 30_000 }, async () => {
    const result = await onboard(['--help'], { configDir: tempConfigDir(), timeoutMs: 25_000 });
    expect(result.code).toBe(0);
    for (const command of ['test-order', 'sync', 'authorize', 'settings', 'track', 'status']) expect(result.stdout).toContain(command);
    expect(result.stdout).toContain('Exit codes');
  });

  it('--version prints the version', { timeout: 30_000 }, async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await onboard([flag], { configDir: tempConfigDir(), timeoutMs: 25_000 });
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    }
  });

  it('a usage error under --json is one error document on stdout and one line on stderr', { timeout: 30_000 }, async () => {
    const result = await onboard(['track', '--json'], { configDir: tempConfigDir(), timeoutMs: 25_000 });
    expect(result.code).toBe(2);
    expect(result.json().error.code).toBe('usage');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
