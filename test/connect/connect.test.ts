// `onboard connect` and `onboard disconnect`, run in-process against fake vendors on loopback and the sandbox
// server. Every test searches stdout and stderr for the secrets it used.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/store.js';
import { startSandboxServer } from '../../src/sandbox/server.js';
import { cli, removeTempDirs, tempConfigDir, type CliResult } from '../helpers/cli.js';
import type { FakeServer } from '../helpers/fake-server.js';
import { startFakeBigCommerce } from '../../fakes/bigcommerce.js';
import { startFakeWooCommerce } from '../../fakes/woocommerce.js';
import { startFakeStore } from '../../fakes/shopify.js';
import { FLX_TOKENS, startFakeFlxpoint } from '../../fakes/flxpoint.js';

const SHOP_TOKEN = 'shpat_PLANTED_secret_7c1e0d9a55';
const FLX_TOKEN = FLX_TOKENS.reseller;
/** the Shopify fake as this file's tests know it: the store Planted Goods, an admin-created app's token */
const startFakeShopify = (options: { token?: string } = {}) =>
  startFakeStore({ token: options.token ?? SHOP_TOKEN, shop: { name: 'Planted Goods', domain: 'planted-goods.myshopify.com' }, bucket: false });

const STORE = 'planted-goods.myshopify.com';
const servers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  while (servers.length > 0) await servers.pop()?.close();
  removeTempDirs();
});

function track<T extends { close(): Promise<void> }>(server: T): T {
  servers.push(server);
  return server;
}

function credentialsPath(dir: string, ns: 'real' | 'sandbox' = 'real'): string {
  return join(dir, 'profiles', 'default', ns, 'credentials.json');
}

function credentials(dir: string, ns: 'real' | 'sandbox' = 'real'): Record<string, any> {
  const path = credentialsPath(dir, ns);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

function expectNoSecret(result: CliResult, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe('connect shopify', () => {
  it('checks the token against the store, stores it 0600 in a 0700 directory, warns about argv, never prints it', async () => {
    const shop = track(await startFakeShopify());
    const dir = tempConfigDir();
    const result = await cli(['connect', 'shopify', '--store', STORE, '--token', SHOP_TOKEN, '--api-url', shop.url, '--json', '--verbose'], { configDir: dir });
    expect(result.code).toBe(0);
    const json = result.json();
    expect(json).toMatchObject({ system: 'shopify', ok: true, account: 'Planted Goods', checked: true, stored: true });
    expect(json.warnings.join(' ')).toMatch(/shell history/);
    expect(result.stderr).toMatch(/--token on the command line lands in your shell history/);
    expect(shop.requests[0]?.headers['x-shopify-access-token']).toBe(SHOP_TOKEN);
    expectNoSecret(result, SHOP_TOKEN);

    const stored = credentials(dir);
    expect(stored.shopify).toMatchObject({ store: STORE, token: SHOP_TOKEN, apiUrl: shop.url, account: 'Planted Goods' });
    expect(statSync(credentialsPath(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('a rejected token (401) exits 4 with the fix, and stores nothing', async () => {
    const shop = track(await startFakeShopify({ token: 'shpat_the_right_one' }));
    const dir = tempConfigDir();
    const result = await cli(['connect', 'shopify', '--store', STORE, '--token', SHOP_TOKEN, '--api-url', shop.url, '--json'], { configDir: dir });
    expect(result.code).toBe(4);
    const { error } = result.json();
    expect(error.code).toBe('auth_rejected');
    expect(error.hint).toMatch(/Develop apps/);
    expectNoSecret(result, SHOP_TOKEN);
    expect(credentials(dir).shopify).toBeUndefined();
  });

  it('a 403 (missing scope) exits 4 too', async () => {
    const shop = track(await startFakeShopify());
    shop.faults.reject = 403;
    const dir = tempConfigDir();
    const result = await cli(['connect', 'shopify', '--store', STORE, '--api-url', shop.url, '--token-stdin'], { configDir: dir, stdin: `${SHOP_TOKEN}\n` });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/read_orders/);
    expectNoSecret(result, SHOP_TOKEN);
    expect(credentials(dir).shopify).toBeUndefined();
  });

  it('takes the token from ONBOARD_SHOPIFY_TOKEN for the check and does not store it; later commands read it again', async () => {
    const shop = track(await startFakeShopify());
    const dir = tempConfigDir();
    const env = { ONBOARD_SHOPIFY_TOKEN: SHOP_TOKEN };
    const result = await cli(['connect', 'shopify', '--store', STORE, '--api-url', shop.url, '--json'], { configDir: dir, env });
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ checked: true, stored: true, warnings: [], fromEnvironment: ['ONBOARD_SHOPIFY_TOKEN'] });
    expect(result.stderr).not.toMatch(/shell history/);
    expectNoSecret(result, SHOP_TOKEN);
    expect(shop.requests[0]?.headers['x-shopify-access-token']).toBe(SHOP_TOKEN);
    expect(credentials(dir).shopify).toEqual({ store: STORE, apiUrl: shop.url, account: 'Planted Goods', checkedAt: expect.any(String) });
    expect(readFileSync(credentialsPath(dir), 'utf8')).not.toContain(SHOP_TOKEN);

    const withEnv = await cli(['orders', '--json'], { configDir: dir, env });
    expect(withEnv.code).toBe(0);
    const withoutEnv = await cli(['orders', '--json'], { configDir: dir });
    expect(withoutEnv.code).toBe(2);
    expect(withoutEnv.json().error).toMatchObject({ code: 'not_connected' });
    expect(withoutEnv.json().error.message).toMatch(/ONBOARD_SHOPIFY_TOKEN/);
  });

  it('reads the token from stdin with --token-stdin, without a warning', async () => {
    const shop = track(await startFakeShopify());
    const dir = tempConfigDir();
    const result = await cli(['connect', 'shopify', '--store', STORE, '--api-url', shop.url, '--token-stdin', '--json'], {
      configDir: dir,
      stdin: `${SHOP_TOKEN}\n`,
    });
    expect(result.code).toBe(0);
    expect(result.json().warnings).toEqual([]);
    expectNoSecret(result, SHOP_TOKEN);
    expect(credentials(dir).shopify.token).toBe(SHOP_TOKEN);
  });

  it('--token-stdin with nothing on stdin is exit 2, nothing stored', async () => {
    const dir = tempConfigDir();
    const result = await cli(['connect', 'shopify', '--store', STORE, '--token-stdin', '--no-check'], { configDir: dir, stdin: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--token-stdin: expected 1 non-empty line/);
    expect(existsSync(credentialsPath(dir))).toBe(false);
  });

  it('--token-stdin never reads a terminal', async () => {
    const dir = tempConfigDir();
    const result = await cli(['connect', 'shopify', '--store', STORE, '--token-stdin'], { configDir: dir, tty: { stdin: true } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/stdin is a terminal/);
  });

  it('--no-check stores without calling the API', async () => {
    const shop = track(await startFakeShopify());
    const dir = tempConfigDir();
    const result = await cli(['connect', 'shopify', '--store', `https://${STORE.toUpperCase()}/`, '--api-url', shop.url, '--no-check', '--json'], {
      configDir: dir,
      env: { ONBOARD_SHOPIFY_TOKEN: SHOP_TOKEN },
    });
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ system: 'shopify', ok: true, account: null, checked: false, stored: true });
    expect(shop.requests).toHaveLength(0);
    expect(credentials(dir).shopify).toMatchObject({ store: STORE, checkedAt: null });
  });

  it('names every missing flag (exit 2) before calling or storing anything', async () => {
    const dir = tempConfigDir();
    const result = await cli(['connect', 'shopify', '--json'], { configDir: dir });
    expect(result.code).toBe(2);
    const { error } = result.json();
    expect(error.code).toBe('usage');
    expect(error.message).toMatch(/--store/);
    expect(error.message).toMatch(/--token \(or ONBOARD_SHOPIFY_TOKEN, or --token-stdin\)/);
    expect(error.message).toMatch(/--client-id ID with its secret \(ONBOARD_SHOPIFY_CLIENT_SECRET, --token-stdin or --client-secret\)/);
    expect(existsSync(credentialsPath(dir))).toBe(false);

    const woo = await cli(['connect', 'woocommerce', '--no-check'], { configDir: dir });
    expect(woo.code).toBe(2);
    expect(woo.stderr).toMatch(/--url/);
    expect(woo.stderr).toMatch(/--consumer-key/);
    expect(woo.stderr).toMatch(/--consumer-secret/);

    const big = await cli(['connect', 'bigcommerce', '--no-check'], { configDir: dir });
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/--store-hash/);
    expect(big.stderr).toMatch(/ONBOARD_BIGCOMMERCE_TOKEN/);
  });

  it('rejects a store that is not a myshopify.com address, plain http to a remote API, and flags of another system', async () => {
    const dir = tempConfigDir();
    const env = { ONBOARD_SHOPIFY_TOKEN: SHOP_TOKEN };
    const domain = await cli(['connect', 'shopify', '--store', 'www.planted-goods.com', '--json'], { configDir: dir, env });
    expect(domain.code).toBe(2);
    expect(domain.json().error).toMatchObject({ code: 'bad_input' });
    expect(domain.json().error.message).toMatch(/myshopify\.com/);

    const http = await cli(['connect', 'shopify', '--store', STORE, '--api-url', 'http://api.example.com', '--json'], { configDir: dir, env });
    expect(http.code).toBe(2);
    expect(http.json().error.message).toMatch(/plain http/);

    const stray = await cli(['connect', 'shopify', '--store', STORE, '--plan', 'vip', '--json'], { configDir: dir, env });
    expect(stray.code).toBe(2);
    expect(stray.json().error.message).toMatch(/--plan does not apply to connect shopify/);
    expect(existsSync(credentialsPath(dir))).toBe(false);
  });

  it('only one sales channel: connecting WooCommerce replaces Shopify and says so', async () => {
    const shop = track(await startFakeShopify());
    const dir = tempConfigDir();
    expect((await cli(['connect', 'shopify', '--store', STORE, '--api-url', shop.url, '--token-stdin'], { configDir: dir, stdin: SHOP_TOKEN })).code).toBe(0);
    const woo = await cli(['connect', 'woocommerce', '--url', 'https://shop.example.com', '--token-stdin', '--no-check', '--json'], {
      configDir: dir,
      stdin: 'ck_planted_key_1234\ncs_planted_secret_5678\n',
    });
    expect(woo.code).toBe(0);
    expect(woo.json()).toMatchObject({ system: 'woocommerce', replaced: 'shopify', checked: false });
    expect(woo.json().warnings.join('\n')).toMatch(/replaced Shopify/);
    expectNoSecret(woo, 'ck_planted_key_1234', 'cs_planted_secret_5678');
    const stored = credentials(dir);
    expect(stored.shopify).toBeUndefined();
    expect(stored.woocommerce).toMatchObject({ url: 'https://shop.example.com', consumerKey: 'ck_planted_key_1234', consumerSecret: 'cs_planted_secret_5678' });
    // for people: said once
    const back = await cli(['connect', 'shopify', '--store', STORE, '--api-url', shop.url, '--token-stdin'], { configDir: dir, stdin: SHOP_TOKEN });
    expect(`${back.stdout}${back.stderr}`.match(/replaced WooCommerce/g)).toHaveLength(1);
  });
});

describe('connect woocommerce and bigcommerce', () => {
  it('a rejected credential exits 4 with the fix, and nothing is stored', async () => {
    const dir = tempConfigDir();
    const woo = await startFakeWooCommerce({ orderCount: 3 });
    const big = await startFakeBigCommerce({ orderCount: 3 });
    try {
      const wooResult = await cli(['connect', 'woocommerce', '--url', woo.url, '--json'], {
        configDir: dir,
        env: { ONBOARD_WOOCOMMERCE_KEY: woo.consumerKey, ONBOARD_WOOCOMMERCE_SECRET: 'cs_wrong_secret_5678' },
      });
      expect(wooResult.code).toBe(4);
      expect(wooResult.json().error.hint).toMatch(/REST API/);
      const bigResult = await cli(['connect', 'bigcommerce', '--store-hash', big.storeHash, '--api-url', big.url, '--json'], {
        configDir: dir,
        env: { ONBOARD_BIGCOMMERCE_TOKEN: 'bc_wrong_token_1234' },
      });
      expect(bigResult.code).toBe(4);
      expect(existsSync(credentialsPath(dir))).toBe(false);
      expectNoSecret(wooResult, 'cs_wrong_secret_5678');
      expectNoSecret(bigResult, 'bc_wrong_token_1234');
    } finally {
      await woo.close();
      await big.close();
    }
  });

  it('with --no-check they are stored; secrets from the environment are not', async () => {
    const dir = tempConfigDir();
    const big = await cli(['connect', 'bigcommerce', '--store-hash', 'abc123', '--no-check', '--json'], {
      configDir: dir,
      env: { ONBOARD_BIGCOMMERCE_TOKEN: 'bc_env_token_1234' },
    });
    expect(big.code).toBe(0);
    expect(big.json()).toMatchObject({ system: 'bigcommerce', checked: false, stored: true });
    expect(credentials(dir).bigcommerce).toEqual({ storeHash: 'abc123', account: null, checkedAt: null });
    expectNoSecret(big, 'bc_env_token_1234');
  });

  it('WooCommerce over plain http to a remote site is refused (OAuth 1.0a is not supported)', async () => {
    const result = await cli([
      'connect',
      'woocommerce',
      '--url',
      'http://shop.example.com',
      '--consumer-key',
      'ck_1234',
      '--consumer-secret',
      'cs_1234',
      '--no-check',
      '--json',
    ]);
    expect(result.code).toBe(2);
    expect(result.json().error.hint).toMatch(/OAuth 1\.0a/);
  });
});

describe('connect flxpoint', () => {
  it('checks the token (X-API-TOKEN) and stores it with the portal address and supplier email', async () => {
    const flx = track(await startFakeFlxpoint({ now: Date.now }));
    const dir = tempConfigDir();
    const result = await cli(
      [
        'connect',
        'flxpoint',
        '--api-url',
        flx.url,
        '--portal-url',
        'https://dealers.example.com',
        '--supplier-email',
        'orders@supplier.example',
        '--token-stdin',
        '--json',
      ],
      { configDir: dir, stdin: `${FLX_TOKEN}\n` },
    );
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ system: 'flxpoint', ok: true, checked: true, account: 'Flxpoint' });
    expect(flx.server.requests[0]?.headers['x-api-token']).toBe(FLX_TOKEN);
    expectNoSecret(result, FLX_TOKEN);
    expect(credentials(dir).flxpoint).toMatchObject({
      token: FLX_TOKEN,
      apiUrl: flx.url,
      portalUrl: 'https://dealers.example.com',
      supplierEmail: 'orders@supplier.example',
    });
  });

  it.each([401, 403] as const)('a %i is exit 4 with the token fix, nothing stored', async (status) => {
    const flx = track(await startFakeFlxpoint({ now: Date.now }));
    flx.reject = status;
    const dir = tempConfigDir();
    const result = await cli(['connect', 'flxpoint', '--api-url', flx.url, '--json'], { configDir: dir, env: { ONBOARD_FLXPOINT_TOKEN: FLX_TOKEN } });
    expect(result.code).toBe(4);
    const { error } = result.json();
    expect(error.code).toBe('auth_rejected');
    expect(error.hint).toMatch(/Reseller \(Dealer\) Portal/);
    expectNoSecret(result, FLX_TOKEN);
    expect(existsSync(credentialsPath(dir))).toBe(false);
  });

  it('rejects a bad supplier email before calling anything', async () => {
    const flx = track(await startFakeFlxpoint({ now: Date.now }));
    const result = await cli(['connect', 'flxpoint', '--api-url', flx.url, '--supplier-email', 'not-an-email', '--json'], {
      env: { ONBOARD_FLXPOINT_TOKEN: FLX_TOKEN },
    });
    expect(result.code).toBe(2);
    expect(result.json().error).toMatchObject({ code: 'bad_input' });
    expect(flx.server.requests).toHaveLength(0);
  });

  it('an unreachable API is exit 1 and nothing is stored', async () => {
    const flx = await startFakeFlxpoint({ now: Date.now });
    const url = flx.url;
    await flx.close();
    const dir = tempConfigDir();
    const result = await cli(['connect', 'flxpoint', '--api-url', url, '--json'], { configDir: dir, env: { ONBOARD_FLXPOINT_TOKEN: FLX_TOKEN } });
    expect(result.code).toBe(1);
    expect(result.json().error.code).toBe('upstream_error');
    expect(existsSync(credentialsPath(dir))).toBe(false);
  });
});

describe('connect inventory-source', () => {
  it('stores the plan and says how it sets the import interval', async () => {
    const dir = tempConfigDir();
    const result = await cli(['connect', 'inventory-source', '--plan', 'vip', '--json'], { configDir: dir });
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ system: 'inventory-source', ok: true, checked: false, stored: true, plan: 'vip', importIntervalMinutes: 15 });
    expect(credentials(dir)['inventory-source']).toEqual({ plan: 'vip' });

    const human = await cli(['connect', 'inventory-source', '--plan', 'basic'], { configDir: dir });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/every hour/);
    expect(human.stdout).toMatch(/Order Sync/);
  });

  it('a plan that does not exist is exit 2', async () => {
    const dir = tempConfigDir();
    const result = await cli(['connect', 'inventory-source', '--plan', 'gold', '--json'], { configDir: dir });
    expect(result.code).toBe(2);
    expect(result.json().error.message).toMatch(/--plan/);
    expect(result.json().error.hint).toMatch(/basic, plus, vip/);
    const missing = await cli(['connect', 'inventory-source'], { configDir: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --plan/);
    expect(existsSync(credentialsPath(dir))).toBe(false);
  });
});

describe('connect --sandbox', () => {
  it('checks and stores the credentials `sandbox serve` prints, in the sandbox namespace only', async () => {
    const dir = tempConfigDir();
    const server = track(await startSandboxServer({ store: new ProfileStore(dir, 'default') }));
    const shop = await cli(['connect', 'shopify', '--sandbox', '--api-url', server.url, '--token', server.shopify.token, '--json'], { configDir: dir });
    expect(shop.code).toBe(0);
    expect(shop.json()).toMatchObject({ system: 'shopify', checked: true, namespace: 'sandbox', warnings: [] });
    expect(credentials(dir, 'sandbox').shopify).toMatchObject({ store: server.shopify.store, token: server.shopify.token, apiUrl: server.url });
    expect(credentials(dir, 'real')).toEqual({});

    const flx = await cli(['connect', 'flxpoint', '--sandbox', '--api-url', server.url, '--token-stdin', '--json'], {
      configDir: dir,
      stdin: server.flxpoint.token,
    });
    expect(flx.code).toBe(0);
    expect(credentials(dir, 'sandbox').flxpoint).toMatchObject({ token: server.flxpoint.token, apiUrl: server.url });

    const wrong = await cli(['connect', 'shopify', '--sandbox', '--api-url', server.url, '--token', 'shpat_wrong_token', '--json'], { configDir: dir });
    expect(wrong.code).toBe(4);
  });

  it('needs --api-url, and only shopify and flxpoint', async () => {
    const noUrl = await cli(['connect', 'shopify', '--sandbox', '--token', 'x', '--json']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.json().error.message).toMatch(/--api-url/);
    const plan = await cli(['connect', 'inventory-source', '--sandbox', '--plan', 'vip', '--json']);
    expect(plan.code).toBe(2);
  });
});

describe('disconnect', () => {
  it('removes the stored credentials, says so when there were none, and names the systems for an unknown one', async () => {
    const dir = tempConfigDir();
    expect((await cli(['connect', 'shopify', '--store', STORE, '--no-check', '--token-stdin'], { configDir: dir, stdin: SHOP_TOKEN })).code).toBe(0);
    expect((await cli(['connect', 'inventory-source', '--plan', 'plus'], { configDir: dir })).code).toBe(0);

    const removed = await cli(['disconnect', 'shopify', '--json'], { configDir: dir });
    expect(removed.code).toBe(0);
    expect(removed.json()).toMatchObject({ system: 'shopify', removed: true });
    expect(credentials(dir)).toEqual({ 'inventory-source': { plan: 'plus' } });
    expect(readFileSync(credentialsPath(dir), 'utf8')).not.toContain(SHOP_TOKEN);

    const again = await cli(['disconnect', 'shopify'], { configDir: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/no credentials were stored/);

    const unknown = await cli(['disconnect', 'etsy', '--json'], { configDir: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.json().error.hint).toMatch(/shopify, woocommerce, bigcommerce, flxpoint, inventory-source/);

    // a profile with nothing stored is not made by asking to remove something from it
    const elsewhere = await cli(['--profile', 'zed', 'disconnect', 'shopify'], { configDir: dir });
    expect(elsewhere.stdout).toMatch(/no credentials were stored/);
    expect(existsSync(join(dir, 'profiles', 'zed'))).toBe(false);
  });
});

export type { FakeServer };
