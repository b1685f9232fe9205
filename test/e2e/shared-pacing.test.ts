// Pacing per token is shared by every onboard process of a profile: two `track --watch` processes and a cron
// `sync`, all on one Flxpoint token and watching one order, start together against the Flxpoint fake. Each
// process alone keeps 2 requests a second; together, only the shared slots (a locked file in the profile) keep
// them within the token's 2 a second. The fake records when each request arrived (real time).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFlxpoint, FLX_TOKENS, type FakeFlxpoint } from '../../fakes/flxpoint.js';
import { removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { placedRun, storedOrder } from '../helpers/records.js';
import { startFakeBigCommerce, type FakeBigCommerce } from '../../fakes/bigcommerce.js';
import { BIN, ROOT } from './built.js';

/**
 * Between a slot starting in a process and its request arriving at the fake lie the process's own work and the
 * loopback (tens of ms, more on a loaded machine); per-process pacing alone brings the third request within
 * about 200 ms, so this tolerance still tells the two apart.
 */
const ARRIVAL_JITTER_MS = 150;

let flxpoint: FakeFlxpoint;
let store: FakeBigCommerce;

beforeAll(async () => {
  // the fake's own limit is lifted so that every request is answered and counted, not refused
  flxpoint = await startFakeFlxpoint({ now: () => Date.now(), rateLimitPerSecond: 1_000 });
  flxpoint.addOrder({ orderNumber: '105', orderTotal: 69.84 });
  store = await startFakeBigCommerce({ orderCount: 10 });
});
afterAll(async () => {
  await flxpoint.close();
  await store.close();
  removeTempDirs();
});

function profile(): string {
  const root = tempConfigDir('onboard-pacing-');
  const dir = join(root, 'profiles', 'default', 'real');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const credentials = {
    bigcommerce: { storeHash: store.storeHash, token: store.token, apiUrl: store.url },
    flxpoint: { token: FLX_TOKENS.reseller, apiUrl: flxpoint.url },
  };
  const order = storedOrder({ channel: 'bigcommerce', id: '105', number: '105', name: '#105', total: { amount: '69.84', currency: 'USD' } });
  const state = { version: 1, runs: [placedRun('run-paced', order)] };
  writeFileSync(join(dir, 'credentials.json'), JSON.stringify(credentials), { mode: 0o600 });
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state), { mode: 0o600 });
  return root;
}

function start(argv: string[], configDir: string): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...argv], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ONBOARD_CONFIG_DIR: configDir },
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, done };
}

describe('two watching processes and a cron sync on one Flxpoint token', () => {
  it('stay within 2 Flxpoint requests a second together', async () => {
    const configDir = profile();
    const before = flxpoint.server.requests.length;
    const arrivals: number[] = [];
    const original = flxpoint.server.requests.push.bind(flxpoint.server.requests);
    flxpoint.server.requests.push = (...items) => {
      for (let i = 0; i < items.length; i += 1) arrivals.push(Date.now());
      return original(...items);
    };
    const watchers = [start(['track', '105', '--watch'], configDir), start(['track', '105', '--watch'], configDir)];
    const sync = start(['sync'], configDir);
    const synced = await sync.done;
    // the watchers keep polling a little longer, then are stopped
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const watcher of watchers) watcher.child.kill('SIGINT');
    const ended = await Promise.all(watchers.map((watcher) => watcher.done));
    flxpoint.server.requests.push = original;

    expect(synced.stderr).not.toMatch(/\n\s+at /);
    for (const result of ended) expect(result.stderr).not.toMatch(/\n\s+at /);
    // every process reached Flxpoint (three processes' worth of requests)
    expect(flxpoint.server.requests.length - before).toBeGreaterThanOrEqual(6);
    expect(arrivals.length).toBe(flxpoint.server.requests.length - before);
    // within any second, at most 2 requests: the third-next request always came at least a second later
    const gaps = arrivals.slice(2).map((at, i) => at - (arrivals[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000 - ARRIVAL_JITTER_MS);
  }, 60_000);
});
