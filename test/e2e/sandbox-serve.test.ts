// `onboard sandbox serve` as its own process: one JSON line with the address and sandbox credentials, used by
// `--sandbox` commands while it runs (its scenario the default), stopped by SIGTERM with exit 0. And reset.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { BIN, ROOT, onboard } from './built.js';

afterEach(() => removeTempDirs());

function serve(configDir: string, args: string[]) {
  const child = spawn(process.execPath, [BIN, 'sandbox', 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ONBOARD_CONFIG_DIR: configDir },
  });
  const line = new Promise<Record<string, any>>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code} before its line`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, line, exited };
}

describe('onboard sandbox serve', () => {
  it('prints its line, serves --sandbox commands with its scenario, and stops on SIGTERM with exit 0', async () => {
    const configDir = tempConfigDir();
    const server = serve(configDir, ['--scenario', 'unmapped-shipping']);
    const line = await server.line;
    expect(line).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), scenario: 'unmapped-shipping' });
    // the admin-created app's token, and beside it a Dev Dashboard app's client id and secret
    expect(line.shopify).toEqual({ store: expect.any(String), token: expect.any(String), clientId: expect.any(String), clientSecret: expect.any(String) });
    expect(line.flxpoint).toEqual({ token: expect.any(String) });

    const wizard = await onboard(['test-order', '--sandbox', '--yes', '--json'], { configDir });
    expect(wizard.code).toBe(3);
    expect(wizard.json()).toMatchObject({ stage: 'needs_attention', problem: 'shipping_unmapped' });

    // the vendors' own protocol answers on the printed address with the printed credentials
    const orders = await fetch(`${line.url}/admin/api/2026-07/orders.json?status=any`, { headers: { 'X-Shopify-Access-Token': line.shopify.token } });
    expect(((await orders.json()) as { orders: unknown[] }).orders).toHaveLength(1);

    const connected = await cli(
      ['connect', 'shopify', '--sandbox', '--api-url', line.url, '--store', line.shopify.store, '--token', line.shopify.token, '--json'],
      { configDir },
    );
    expect(connected.code).toBe(0);
    expect(connected.json()).toMatchObject({ system: 'shopify', ok: true });

    // the client credentials grant answers on the same address, as Shopify documents it
    const grant = await fetch(`${line.url}/admin/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: line.shopify.clientId, client_secret: line.shopify.clientSecret }).toString(),
    });
    expect(await grant.json()).toMatchObject({
      access_token: expect.stringMatching(/^shpat_/),
      scope: expect.stringContaining('read_orders'),
      expires_in: 86_399,
    });
    const byClient = await cli(['connect', 'shopify', '--sandbox', '--api-url', line.url, '--client-id', line.shopify.clientId, '--token-stdin', '--json'], {
      configDir,
      stdin: `${line.shopify.clientSecret}\n`,
    });
    expect(byClient.code).toBe(0);
    expect(byClient.json()).toMatchObject({
      system: 'shopify',
      ok: true,
      credential: 'client_credentials',
      scopes: expect.arrayContaining(['read_orders', 'write_orders']),
    });
    expect(byClient.stdout + byClient.stderr).not.toContain(line.shopify.clientSecret);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('a command --scenario overrides the server default', async () => {
    const configDir = tempConfigDir();
    const server = serve(configDir, []);
    await server.line;
    const wizard = await onboard(['test-order', '--sandbox', '--scenario', 'missing-phone', '--yes', '--json'], { configDir });
    expect(wizard.json()).toMatchObject({ problem: 'address_incomplete' });
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
  });
});

describe('onboard sandbox reset', () => {
  it('needs --yes without a terminal, then deletes the world and the sandbox records', async () => {
    const configDir = tempConfigDir();
    expect((await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir })).json().order.number).toBe('1001');
    const refused = await cli(['sandbox', 'reset', '--json'], { configDir });
    expect(refused.code).toBe(2);
    expect(refused.json().error.message).toContain('--yes');
    expect((await cli(['status', '--sandbox', '--json'], { configDir })).json().orders).toHaveLength(1);

    const reset = await cli(['sandbox', 'reset', '--yes', '--json'], { configDir });
    expect(reset.code).toBe(0);
    expect((await cli(['status', '--sandbox', '--json'], { configDir })).json().orders).toEqual([]);
    expect((await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir })).json().order.number).toBe('1001');
  });
});
