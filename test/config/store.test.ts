// The per-profile store: read-modify-write under one lock per profile, re-read inside the lock, written
// atomically with mode 0600, so concurrent processes never lose each other's changes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/store.js';
import { runSchema, stateSchema } from '../../src/core/lifecycle/record.js';
import { ROOT } from '../e2e/built.js';

const dirs: string[] = [];
function tempRoot() {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Each child appends one event per update to the same run, `times` times, through the built store.
const CHILD = `
const [root, who, times] = process.argv.slice(1);
const { ProfileStore } = await import(${JSON.stringify(join(ROOT, 'dist', 'config', 'store.js'))});
const { stateSchema } = await import(${JSON.stringify(join(ROOT, 'dist', 'core', 'lifecycle', 'record.js'))});
const store = new ProfileStore(root, 'shared');
for (let i = 0; i < Number(times); i += 1) {
  await store.update('sandbox', 'state', stateSchema, (state) => {
    state.runs[0].events.push({ at: new Date().toISOString(), kind: 'test', message: who + ':' + i, evidence: {} });
  });
}
`;

function child(root: string, who: string, times: number): Promise<number | null> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--input-type=module', '-e', CHILD, root, who, String(times)], { stdio: ['ignore', 'ignore', 'inherit'] });
    proc.on('close', resolve);
  });
}

describe('ProfileStore', () => {
  it('ten processes updating the same run at once lose no change', async () => {
    const root = tempRoot();
    const store = new ProfileStore(root, 'shared');
    await store.update('sandbox', 'state', stateSchema, (state) => {
      state.runs.push(runSchema.parse({ id: 'run-1', startedAt: '2026-11-01T00:00:00.000Z', channel: 'shopify' }));
    });
    const codes = await Promise.all(Array.from({ length: 10 }, (_, n) => child(root, `p${n}`, 5)));
    expect(codes).toEqual(Array(10).fill(0));
    const messages = store.read('sandbox', 'state', stateSchema).runs[0].events.map((e) => e.message);
    expect(messages).toHaveLength(50);
    for (let n = 0; n < 10; n += 1) for (let i = 0; i < 5; i += 1) expect(messages).toContain(`p${n}:${i}`);
  });

  it('keeps the directory 0700 and the document 0600, and sandbox apart from real', async () => {
    const root = tempRoot();
    const store = new ProfileStore(root, 'p');
    await store.update('real', 'state', stateSchema, (state) => {
      state.settings.autoAuthorize = true;
    });
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(store.filePath('real', 'state')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(store.filePath('real', 'state'), 'utf8')).settings.autoAuthorize).toBe(true);
    expect(store.read('sandbox', 'state', stateSchema).settings.autoAuthorize).toBe(false);
  });

  it('refuses a corrupt document with a clear error instead of overwriting it', async () => {
    const root = tempRoot();
    const store = new ProfileStore(root, 'p');
    await store.update('real', 'state', stateSchema, () => undefined);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(store.filePath('real', 'state'), '{"version": 1, "runs": "not a list"}');
    expect(() => store.read('real', 'state', stateSchema)).toThrow(/not valid/);
    await expect(store.update('real', 'state', stateSchema, () => undefined)).rejects.toThrow(/not valid/);
    expect(readFileSync(store.filePath('real', 'state'), 'utf8')).toContain('not a list');
  });
});
