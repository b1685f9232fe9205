// Concurrent processes of the built binary on one config dir: every change is a locked read-modify-write, so
// none is lost, nothing is duplicated, and the stored files stay valid JSON with owner-only modes.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { onboard } from './built.js';

// dist/ is built once for the suite (test/global-setup.ts); each test has its own configuration directory.
afterEach(() => removeTempDirs());

const mode = (path: string) => statSync(path).mode & 0o777;

describe('ten processes at once on one config dir', () => {
  it('settings --auto-authorize --max N for N = 11..20: all exit 0, one of the values stays, files 0600 in a 0700 dir', { timeout: 180_000 }, async () => {
    const dir = tempConfigDir();
    const values = Array.from({ length: 10 }, (_, i) => String(11 + i));
    const results = await Promise.all(
      values.map((n) => onboard(['settings', '--auto-authorize', '--max', n, '--json'], { configDir: dir, timeoutMs: 170_000 })),
    );
    for (const [i, result] of results.entries()) {
      expect(result.code, `--max ${values[i]}: ${result.stderr}`).toBe(0);
      expect(result.json()).toMatchObject({ autoAuthorize: true, maxOrderTotal: `${values[i]}.00`, appliedTo: 'local' });
    }

    const shown = await onboard(['settings', '--json'], { configDir: dir, timeoutMs: 60_000 });
    expect(shown.code).toBe(0);
    expect(shown.json().autoAuthorize).toBe(true);
    expect(values.map((n) => `${n}.00`)).toContain(shown.json().maxOrderTotal);

    const stateFile = join(dir, 'profiles', 'default', 'real', 'state.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(state.settings).toMatchObject({ autoAuthorize: true, maxOrderTotal: shown.json().maxOrderTotal });
    expect(mode(stateFile)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
  });

  it('sync --sandbox --json after test-order --timeout 0: one order, no lost or duplicated run, state parses', { timeout: 240_000 }, async () => {
    const dir = tempConfigDir();
    const placed = await onboard(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir, timeoutMs: 60_000 });
    expect(placed.code, placed.stderr).toBe(8);
    expect(placed.json().order.number).toBe('1001');

    const results = await Promise.all(Array.from({ length: 10 }, () => onboard(['sync', '--sandbox', '--json'], { configDir: dir, timeoutMs: 200_000 })));
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      const doc = result.json();
      expect(doc.errors).toEqual([]);
      expect(doc.orders).toHaveLength(1);
      expect(doc.orders[0].number).toBe('1001');
    }

    const status = await onboard(['status', '--sandbox', '--json'], { configDir: dir, timeoutMs: 60_000 });
    expect(status.code).toBe(0);
    expect(status.json().orders).toHaveLength(1);
    expect(status.json().orders[0]).toMatchObject({ number: '1001', abandoned: false, problem: null });

    const stateFile = join(dir, 'profiles', 'default', 'sandbox', 'state.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(state.runs).toHaveLength(1);
    expect(state.runs[0].id).toBe(placed.json().runId);
    const world = join(dir, 'profiles', 'default', 'sandbox', 'world.json');
    expect(() => JSON.parse(readFileSync(world, 'utf8'))).not.toThrow();
    for (const file of [stateFile, world]) expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);

    // the world still holds exactly one store order: a later wizard run picks the same run up and finishes it
    const finished = await onboard(['test-order', '--sandbox', '--yes', '--json'], { configDir: dir, timeoutMs: 60_000 });
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.json()).toMatchObject({ stage: 'tracking_synced', runId: placed.json().runId });
    expect(finished.json().order.number).toBe('1001');
  });
});
