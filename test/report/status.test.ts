// `onboard status` as people read it (a header, people's words, local times) and `--all-profiles`: every
// profile's runs in one table and as JSON with `profile`, each profile read under its own lock and none changed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

let dir: string;

beforeAll(async () => {
  dir = tempConfigDir();
  // default: finished; acme: over its auto-authorize maximum; zeta: placed, waiting for the import
  expect((await cli(['test-order', '--sandbox', '--yes'], { configDir: dir })).code).toBe(0);
  expect((await cli(['test-order', '--sandbox', '--profile', 'acme', '--scenario', 'over-limit', '--yes'], { configDir: dir })).code).toBe(3);
  expect((await cli(['test-order', '--sandbox', '--profile', 'zeta', '--yes', '--timeout', '0'], { configDir: dir })).code).toBe(8);
}, 120_000);
afterAll(() => removeTempDirs());

/** Every file under the configuration directory with its content and mtime. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(root.length)] = `${statSync(path).mtimeMs} ${readFileSync(path, 'utf8')}`;
  }
  return files;
}

describe('onboard status', { timeout: 90_000 }, () => {
  it("has a header and says each stage in people's words, times local with their zone", async () => {
    const result = await cli(['status', '--sandbox', '--profile', 'zeta'], { configDir: dir, env: { TZ: 'America/Chicago' } });
    expect(result.code, result.stderr).toBe(0);
    const [title, header, row] = result.stdout.trimEnd().split('\n');
    expect(title).toBe('Test orders · profile zeta · sandbox');
    expect(header?.split(/\s{2,}/)).toEqual(['ORDER', 'STAGE', 'WAITING FOR', 'SINCE', 'NEXT LOOK']);
    expect(row).toMatch(/^#1001\s+placed on the store\s+Order Manager's import\s+\d{4}-\d\d-\d\d \d\d:\d\d CST\s+\d{4}-\d\d-\d\d \d\d:\d\d CST$/);
    const acme = await cli(['status', '--sandbox', '--profile', 'acme'], { configDir: dir });
    expect(acme.stdout).toContain('needs attention: above the auto-authorize maximum');
    const done = await cli(['status', '--sandbox'], { configDir: dir });
    expect(done.stdout).toContain('tracking on the store');
    expect(done.stdout).not.toContain('tracking_synced');
  });

  it('without --sandbox, when only sandbox runs exist, points to status --sandbox (with the same profile)', async () => {
    const result = await cli(['status', '--profile', 'acme'], { configDir: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No orders on your real systems; the sandbox has one run: onboard status --sandbox --profile acme');
    // scripts get the same document as ever: real orders only
    expect((await cli(['status', '--json'], { configDir: dir })).json()).toEqual({ orders: [] });
    const fresh = await cli(['status'], { configDir: tempConfigDir() });
    expect(fresh.stdout).toContain('No tracked orders yet. Start one with: onboard test-order');
  });
});

describe('onboard status --all-profiles', { timeout: 90_000 }, () => {
  it("lists every profile's runs in one table with their profile names, and never changes a profile", async () => {
    const before = snapshot(dir);
    const result = await cli(['status', '--all-profiles', '--sandbox'], { configDir: dir });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Test orders · every profile (3) · sandbox');
    expect(lines[1]?.split(/\s{2,}/)).toEqual(['PROFILE', 'ORDER', 'STAGE', 'WAITING FOR', 'SINCE', 'NEXT LOOK']);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['default', '#1001', 'tracking on the store'],
      ['acme', '#1001', 'needs attention: above the auto-authorize maximum'],
      ['zeta', '#1001', 'placed on the store'],
    ]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('on a terminal too narrow for the table, one short block per run, no line wider than the terminal', async () => {
    const result = await cli(['status', '--all-profiles', '--sandbox'], { configDir: dir, tty: { stdout: true }, env: { NO_COLOR: '1' } });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100); // the fake terminal is 100 wide
    expect(lines).toContain('acme  #1001  needs attention: above the auto-authorize maximum');
    expect(lines.some((l) => l.startsWith("  waiting for Order Manager's import · since "))).toBe(true);
  });

  it('--json adds profile to each entry', async () => {
    const result = await cli(['status', '--all-profiles', '--sandbox', '--json'], { configDir: dir });
    expect(result.code).toBe(0);
    const doc = result.json();
    expect(
      doc.orders.map((o: { profile: string; number: string; stage: string; problem: string | null; waitingFor: string | null }) => [
        o.profile,
        o.number,
        o.stage,
        o.problem,
        o.waitingFor,
      ]),
    ).toEqual([
      ['default', '1001', 'tracking_synced', null, null],
      ['acme', '1001', 'needs_attention', 'over_auto_authorize_limit', 'person'],
      ['zeta', '1001', 'placed', null, 'import'],
    ]);
    for (const order of doc.orders)
      expect(Object.keys(order)).toEqual(expect.arrayContaining(['number', 'stage', 'problem', 'waitingFor', 'nextCheckAt', 'abandoned', 'since']));
    // without --all-profiles the entries stay as they were (no profile key)
    const one = (await cli(['status', '--sandbox', '--json'], { configDir: dir })).json();
    expect(one.orders[0]).not.toHaveProperty('profile');
  });

  it('without --sandbox shows real runs only, and points to the sandbox ones', async () => {
    const result = await cli(['status', '--all-profiles'], { configDir: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('the sandbox has 3 runs: onboard status --all-profiles --sandbox');
    expect((await cli(['status', '--all-profiles', '--json'], { configDir: dir })).json()).toEqual({ orders: [], profiles: ['default', 'acme', 'zeta'] });
  });
});
