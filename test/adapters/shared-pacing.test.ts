// The pacing store shared by a profile's processes: slots per token in one locked file.
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFilePacingStore, tokenKey } from '../../src/adapters/http/shared-pacing.js';
import type { Clock } from '../../src/core/clock.js';
import { createRecordingClock } from '../helpers/fake-server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function pacingFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-pacing-'));
  dirs.push(dir);
  return join(dir, 'real', 'pacing.json');
}

/** A process's view of the wall clock: sleeps recorded and skipped, `now` moving with them. */
const wallClock = (start: number) => createRecordingClock(start, { virtual: false });

describe('shared pacing', () => {
  it("two stores on one file (two processes) share a token's slots: 500 ms apart together", async () => {
    const file = pacingFile();
    const first = wallClock(1_000_000);
    const second = wallClock(1_000_000);
    const a = createFilePacingStore(file).pacer('flxpoint', 'tok-1', 500, first);
    const b = createFilePacingStore(file).pacer('flxpoint', 'tok-1', 500, second);
    await a.beforeRequest();
    await b.beforeRequest();
    await a.beforeRequest();
    await b.beforeRequest();
    // a: slots 0 and 1000; b: slots 500 and 1500
    expect(first.sleeps).toEqual([1_000]);
    expect(second.sleeps).toEqual([500, 1_000]);
    expect(first.now()).toBe(1_001_000);
    expect(second.now()).toBe(1_001_500);
  });

  it('other tokens have their own slots, and the file names tokens only by a hash', async () => {
    const file = pacingFile();
    const clock = wallClock(2_000_000);
    const store = createFilePacingStore(file);
    await store.pacer('flxpoint', 'secret-token-a', 500, clock).beforeRequest();
    await store.pacer('flxpoint', 'secret-token-b', 500, clock).beforeRequest();
    expect(clock.sleeps).toEqual([]);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('secret-token');
    expect(Object.keys(JSON.parse(text) as object).sort()).toEqual([tokenKey('flxpoint', 'secret-token-a'), tokenKey('flxpoint', 'secret-token-b')].sort());
  });

  it('a lock left by a process that died is taken over', async () => {
    const file = pacingFile();
    const clock = wallClock(3_000_000);
    const pacer = createFilePacingStore(file).pacer('flxpoint', 'tok', 500, clock);
    await pacer.beforeRequest();
    writeFileSync(`${file}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    await pacer.beforeRequest();
    expect(clock.sleeps).toEqual([500]);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('under a virtual clock (the sandbox) it paces in the process only and writes no file', async () => {
    const file = pacingFile();
    const clock = createRecordingClock();
    const pacer = createFilePacingStore(file).pacer('flxpoint', 'tok', 500, clock);
    await pacer.beforeRequest();
    await pacer.beforeRequest();
    expect(clock.sleeps).toEqual([500]);
    expect(existsSync(file)).toBe(false);
  });

  it('a pacing wait takes the abort signal', async () => {
    const file = pacingFile();
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const pacer = createFilePacingStore(file).pacer('flxpoint', 'tok', 500, wallClock(4_000_000));
    await expect(pacer.beforeRequest(controller.signal)).rejects.toThrow('cancelled');
  });
});

describe('shared pacing where the folder cannot be written', () => {
  it('paces in the process alone and never fails the request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-pacing-'));
    dirs.push(dir);
    // a file where the folder should be: nothing can be created under it
    writeFileSync(join(dir, 'real'), 'not a folder');
    const clock = wallClock(5_000_000);
    const pacer = createFilePacingStore(join(dir, 'real', 'pacing.json')).pacer('flxpoint', 'tok', 500, clock);
    await pacer.beforeRequest();
    await pacer.beforeRequest();
    expect(clock.sleeps).toEqual([500]);
  });
});

describe('shared pacing on Shopify', () => {
  it('two processes on one app and store take turns: 2 requests a second together, the bucket still read', async () => {
    const { createShopifyChannel } = await import('../../src/adapters/shopify/client.js');
    const { startFakeServer } = await import('../helpers/fake-server.js');
    const server = await startFakeServer({
      'GET /admin/api/:version/shop.json': () => ({ headers: { 'x-shopify-shop-api-call-limit': '1/40' }, body: { shop: { name: 'Paced', currency: 'USD' } } }),
    });
    try {
      const file = pacingFile();
      const first = wallClock(6_000_000);
      const second = wallClock(6_000_000);
      const make = (clock: Clock) =>
        createShopifyChannel({ store: 'paced.myshopify.com', token: 'shpat_one', apiUrl: server.url, clock, pacing: createFilePacingStore(file) });
      const a = make(first);
      const b = make(second);
      await a.check();
      await b.check();
      await a.check();
      await b.check();
      expect(first.sleeps).toEqual([1_000]);
      expect(second.sleeps).toEqual([500, 1_000]);
      expect(readFileSync(file, 'utf8')).not.toContain('shpat_one');
    } finally {
      await server.close();
    }
  });
});
