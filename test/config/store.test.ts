// The per-profile store: read-modify-write under one lock per profile, re-read inside the lock, written
// atomically with mode 0600, so concurrent processes never lose each other's changes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accessFix, configFault, ProfileStore } from '../../src/config/store.js';
import { ConfigError } from '../../src/core/errors.js';
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
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(store.namespaceDir('real'), { recursive: true });
    writeFileSync(store.filePath('real', 'state'), '{"version": 1, "runs": "not a list"}');
    expect(() => store.read('real', 'state', stateSchema)).toThrow(/state\.json is damaged: it does not hold what onboard wrote \(at runs\)/);
    await expect(store.update('real', 'state', stateSchema, () => undefined)).rejects.toMatchObject({ code: 'config_error' });
    expect(readFileSync(store.filePath('real', 'state'), 'utf8')).toContain('not a list');
  });

  it('names a file that is not JSON as damaged, with the fix, and never rewrites it', async () => {
    const root = tempRoot();
    const store = new ProfileStore(root, 'p');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(store.namespaceDir('sandbox'), { recursive: true });
    for (const [text, why] of [
      ['garbage{{{', 'it is not valid JSON'],
      ['', 'it is empty'],
      ['[1, 2]', 'it does not hold a JSON object'],
    ]) {
      writeFileSync(store.filePath('sandbox', 'state'), text);
      const error = (() => {
        try {
          store.read('sandbox', 'state', stateSchema);
        } catch (caught) {
          return caught as ConfigError;
        }
        throw new Error('read a damaged file');
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.code).toBe('config_error');
      expect(error.message).toBe(`${store.filePath('sandbox', 'state')} is damaged: ${why}`);
      expect(error.hint).toContain('onboard doctor --fix');
      await expect(store.update('sandbox', 'state', stateSchema, (state) => void state.runs.push())).rejects.toBeInstanceOf(ConfigError);
      expect(readFileSync(store.filePath('sandbox', 'state'), 'utf8')).toBe(text);
    }
  });

  it('writes nothing when an update changes nothing', async () => {
    const root = tempRoot();
    const store = new ProfileStore(root, 'p');
    await store.update('real', 'state', stateSchema, (state) => {
      state.settings.autoAuthorize = true;
    });
    const path = store.filePath('real', 'state');
    const before = statSync(path).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.update('real', 'state', stateSchema, (state) => state.settings.autoAuthorize);
    expect(statSync(path).mtimeMs).toBe(before);
    await store.update('sandbox', 'state', stateSchema, () => undefined);
    expect(existsSync(store.filePath('sandbox', 'state'))).toBe(false);
  });

  it('reading creates no folder and changes no mode', async () => {
    const root = tempRoot();
    const store = new ProfileStore(root, 'p');
    expect(store.read('real', 'state', stateSchema).runs).toEqual([]);
    expect(existsSync(store.dir)).toBe(false);
    await store.update('real', 'state', stateSchema, (state) => {
      state.settings.autoAuthorize = true;
    });
    const { chmodSync } = await import('node:fs');
    chmodSync(root, 0o755);
    expect(store.read('real', 'state', stateSchema).settings.autoAuthorize).toBe(true);
    expect(statSync(root).mode & 0o777).toBe(0o755);
  });
});

describe('access to the configuration folder', () => {
  it('the fix is chmod when this user owns every folder on the way, chown when another user does', () => {
    const root = tempRoot();
    const uid = statSync(root).uid;
    expect(accessFix(root, join(root, 'profiles', 'default'), uid)).toBe(`Give your user access again: chmod -R u+rwX ${root}`);
    expect(accessFix(root, join(root, 'profiles'), uid + 1)).toContain(`sudo chown -R "$(id -un)" ${root}`);
  });

  it('a raw permission error under the folder becomes a config_error naming the path; elsewhere it is left alone', () => {
    const root = tempRoot();
    const denied = Object.assign(new Error('EACCES: permission denied'), {
      code: 'EACCES',
      path: join(root, 'profiles', 'default', 'real', 'reports', 'r.md'),
    });
    const fault = configFault(denied, root);
    expect(fault).toMatchObject({ code: 'config_error', path: denied.path, message: `Cannot use ${denied.path}: permission denied` });
    expect(fault?.hint).toMatch(/chmod -R u\+rwX|chown/);
    expect(configFault(Object.assign(new Error('x'), { code: 'EACCES', path: '/elsewhere/file' }), root)).toBeNull();
    expect(configFault(new Error('plain'), root)).toBeNull();
  });
});

describe('a read under the lock', () => {
  it('waits for a writer holding the lock, and a writer waits for it; it leaves no lock behind', async () => {
    const store = new ProfileStore(tempRoot(), 'default');
    await store.update('real', 'state', stateSchema, () => undefined);
    const order: string[] = [];
    let releaseWriter!: () => void;
    const writerHolds = new Promise<void>((resolve) => (releaseWriter = resolve));
    const writer = store.withLock(async () => {
      order.push('writer in');
      await writerHolds;
      order.push('writer out');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reader = store.readLocked(() => order.push('read'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual(['writer in']); // the read is waiting
    releaseWriter();
    await Promise.all([writer, reader]);
    expect(order).toEqual(['writer in', 'writer out', 'read']);
    expect(existsSync(join(store.dir, '.lock'))).toBe(false);
    // and a writer after a read takes the lock at once
    await store.withLock(() => order.push('writer again'));
    expect(order.at(-1)).toBe('writer again');
  });
});
