// Ctrl-C (SIGINT) and SIGTERM while a vendor call is in flight: the built binary against a loopback server that
// accepts every request and never answers. Every command that calls a vendor, on every channel, ends within a
// second of the signal with 130 / 143 (and test-order names the command that resumes it). Without the signal
// reaching the request, each would wait out the seam's 30-second deadline.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { placedRun, storedOrder } from '../helpers/records.js';
import { startFakeServer, type FakeServer } from '../helpers/fake-server.js';
import { BIN, ROOT } from './built.js';

type Channel = 'shopify' | 'woocommerce' | 'bigcommerce';

let server: FakeServer;
/** waiters for the next request the stalled server receives */
let arrivals: (() => void)[] = [];

beforeAll(async () => {
  server = await startFakeServer();
  server.stallEveryRequest(() => {
    for (const arrived of arrivals.splice(0)) arrived();
  });
});
afterAll(async () => {
  await server.close();
  removeTempDirs();
});

function credentialsFor(channel: Channel, url: string) {
  const channelRecord =
    channel === 'shopify'
      ? { shopify: { store: 'dealer-test.myshopify.com', token: 'shpat_stalled', apiUrl: url } }
      : channel === 'woocommerce'
        ? { woocommerce: { url, consumerKey: 'ck_stalled', consumerSecret: 'cs_stalled' } }
        : { bigcommerce: { storeHash: 'abc123', token: 'bc_stalled', apiUrl: url } };
  return { ...channelRecord, flxpoint: { token: 'flx_stalled', apiUrl: url } };
}

/** A tracked run whose order was placed and is not finished, so that `sync` has something to read. */
function stateWithRun(channel: Channel) {
  return { version: 1, runs: [placedRun('run-stalled', storedOrder({ channel }))] };
}

function configFor(channel: Channel): string {
  const root = tempConfigDir('onboard-stalled-');
  const dir = join(root, 'profiles', 'default', 'real');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'credentials.json'), JSON.stringify(credentialsFor(channel, server.url)), { mode: 0o600 });
  writeFileSync(join(dir, 'state.json'), JSON.stringify(stateWithRun(channel)), { mode: 0o600 });
  return root;
}

/** Starts the binary, sends `signal` once the stalled server holds one of its requests, and times the exit. */
function interrupt(argv: string[], configDir: string, signal: 'SIGINT' | 'SIGTERM', env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stderr: string; stdout: string; cancelledAfterMs: number; exitedAfterMs: number; stalled: boolean }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...argv], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', ONBOARD_CONFIG_DIR: configDir, ...env },
        timeout: 40_000,
        killSignal: 'SIGKILL',
      });
      let stdout = '';
      let stderr = '';
      let signalledAt = 0;
      let cancelledAt = 0;
      let stalled = false;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (!cancelledAt && stderr.includes('Cancelled')) cancelledAt = Date.now();
      });
      arrivals.push(() => {
        stalled = true;
        // a moment inside the stalled read, so the signal lands while the request is in flight
        setTimeout(() => {
          signalledAt = Date.now();
          child.kill(signal);
        }, 200);
      });
      child.on('error', reject);
      child.on('close', (code) => {
        const since = (at: number) => (signalledAt && at ? at - signalledAt : Number.NaN);
        resolve({ code, stdout, stderr, stalled, cancelledAfterMs: since(cancelledAt), exitedAfterMs: since(Date.now()) });
      });
    },
  );
}

const COMMANDS: { name: string; argv: string[] }[] = [
  { name: 'orders', argv: ['orders', '--since', '1d'] },
  { name: 'track', argv: ['track', '1001'] },
  { name: 'sync', argv: ['sync'] },
  { name: 'doctor', argv: ['doctor'] },
  // resumes the unfinished run of the state above, which reads the order again
  { name: 'test-order', argv: ['test-order', '--yes'] },
];
const CHANNELS: Channel[] = ['shopify', 'woocommerce', 'bigcommerce'];
const SIGNALS = [
  { signal: 'SIGINT', code: 130 },
  { signal: 'SIGTERM', code: 143 },
] as const;

// Sequential on purpose: each case waits for its own request to reach the one stalled server.
describe('a signal while a vendor request is stalled', { timeout: 60_000 }, () => {
  for (const channel of CHANNELS) {
    for (const command of COMMANDS) {
      for (const { signal, code } of SIGNALS) {
        it(`${command.name} on ${channel}: ${signal} ends it within a second with ${code}`, async () => {
          const result = await interrupt(command.argv, configFor(channel), signal);
          expect(result.stalled, `no request reached the server; stderr: ${result.stderr}`).toBe(true);
          expect(result.code, result.stderr).toBe(code);
          expect(result.stderr).toContain('Cancelled');
          // the command stops within a second (alone it takes some 20 ms to say so, and some 200 ms to be gone);
          // the process's own teardown gets more room, as the suite shares a loaded machine
          expect(result.cancelledAfterMs).toBeLessThan(1_000);
          expect(result.exitedAfterMs).toBeLessThan(3_000);
          expect(result.stdout).toBe('');
          if (command.name === 'test-order') expect(result.stderr).toMatch(/resume with: .*test-order/);
        });
      }
    }
  }
});

describe('a signal while connect checks the credentials against a stalled server', { timeout: 60_000 }, () => {
  const cases: { channel: Channel; argv: (url: string) => string[]; env: Record<string, string> }[] = [
    {
      channel: 'shopify',
      argv: (url) => ['connect', 'shopify', '--store', 'dealer-test.myshopify.com', '--api-url', url],
      env: { ONBOARD_SHOPIFY_TOKEN: 'shpat_stalled' },
    },
    {
      channel: 'woocommerce',
      argv: (url) => ['connect', 'woocommerce', '--url', url],
      env: { ONBOARD_WOOCOMMERCE_KEY: 'ck_stalled', ONBOARD_WOOCOMMERCE_SECRET: 'cs_stalled' },
    },
    {
      channel: 'bigcommerce',
      argv: (url) => ['connect', 'bigcommerce', '--store-hash', 'abc123', '--api-url', url],
      env: { ONBOARD_BIGCOMMERCE_TOKEN: 'bc_stalled' },
    },
  ];
  for (const { channel, argv, env } of cases) {
    it(`connect ${channel}: SIGINT ends it within a second with 130`, async () => {
      const result = await interrupt(argv(server.url), tempConfigDir('onboard-stalled-'), 'SIGINT', env);
      expect(result.stalled, `no request reached the server; stderr: ${result.stderr}`).toBe(true);
      expect(result.code, result.stderr).toBe(130);
      expect(result.cancelledAfterMs).toBeLessThan(1_000);
      expect(result.exitedAfterMs).toBeLessThan(3_000);
    });
  }
});
