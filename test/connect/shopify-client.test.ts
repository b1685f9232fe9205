// `connect shopify --client-id` (a Dev Dashboard app) through the CLI, in-process, against a store that behaves as
// Shopify documents: the client credentials grant, access tokens that expire (then 401) and access_scopes.json.
// The store's clock runs ten minutes per request and its tokens last 25 minutes, so every command below spans
// several token lifetimes. Every test searches stdout, stderr and written files for the secret and the tokens.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir, type CliResult } from '../helpers/cli.js';
import { startFakeStore, type FakeStore, type FakeStoreOptions } from '../../fakes/shopify.js';
import { CLIENT_ID, CLIENT_SECRET } from '../../fakes/shopify-oauth.js';

const DAY = 86_400_000;
const STORE = 'dealer-test.myshopify.com';
let store: FakeStore | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
  removeTempDirs();
});

/** A store whose clock runs ten minutes per request, with tokens valid 25 minutes. */
async function openStore(options: Partial<FakeStoreOptions> = {}): Promise<FakeStore> {
  let offset = 0;
  store = await startFakeStore({
    now: () => Date.now() + offset,
    orders: 40,
    spanMs: 30 * DAY,
    newestAgeMs: 60_000,
    bucket: false,
    oauth: { lifetimeSec: 1_500 },
    onRequest: () => {
      offset += 10 * 60_000;
    },
    ...options,
  });
  return store;
}

function credentialsPath(dir: string): string {
  return join(dir, 'profiles', 'default', 'real', 'credentials.json');
}

function stored(dir: string): Record<string, any> {
  return existsSync(credentialsPath(dir)) ? JSON.parse(readFileSync(credentialsPath(dir), 'utf8')) : {};
}

/** Neither the client secret nor any access token the store issued, anywhere in the output. */
function expectNoSecrets(s: FakeStore, ...results: (CliResult | string)[]): void {
  const secrets = [CLIENT_SECRET, ...s.oauth.issued.map((issued) => issued.token)];
  for (const result of results) {
    const text = typeof result === 'string' ? result : `${result.stdout}\n${result.stderr}`;
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

const connectArgs = (s: FakeStore) => ['connect', 'shopify', '--store', STORE, '--client-id', CLIENT_ID, '--api-url', s.url];

describe('connect shopify --client-id', () => {
  it('secret from ONBOARD_SHOPIFY_CLIENT_SECRET: used, not stored; orders, track and doctor keep working across token lifetimes', async () => {
    const s = await openStore();
    const dir = tempConfigDir();
    const env = { ONBOARD_SHOPIFY_CLIENT_SECRET: CLIENT_SECRET };
    const connected = await cli([...connectArgs(s), '--json', '--verbose'], { configDir: dir, env });
    expect(connected.code, connected.stderr).toBe(0);
    expect(connected.json()).toMatchObject({
      system: 'shopify',
      ok: true,
      credential: 'client_credentials',
      scopes: ['read_orders', 'write_orders', 'read_products'],
      missingScopes: [{ scope: 'read_all_orders', neededFor: 'orders older than 60 days' }],
      fromEnvironment: ['ONBOARD_SHOPIFY_CLIENT_SECRET'],
    });
    expect(stored(dir).shopify).toEqual({ store: STORE, clientId: CLIENT_ID, apiUrl: s.url, account: 'Big Fake Store', checkedAt: expect.any(String) });
    expect(statSync(credentialsPath(dir)).mode & 0o777).toBe(0o600);

    const listed = await cli(['orders', '--since', '60d', '--limit', '0', '--json', '--verbose'], { configDir: dir, env });
    expect(listed.code, listed.stderr).toBe(0);
    const orders = listed.json().orders as { number: string }[];
    expect(orders).toHaveLength(40);

    const tracked = await cli(['track', `#${orders[0]?.number}`, '--json', '--verbose'], { configDir: dir, env });
    expect(tracked.code, tracked.stderr).toBe(8);
    expect(tracked.json()).toMatchObject({ order: { number: orders[0]?.number }, systems: { portal: { connected: false } } });

    const bundleFile = join(tempConfigDir('onboard-bundle-'), 'bundle.json');
    const doctor = await cli(['doctor', '--bundle', bundleFile, '--json', '--verbose'], { configDir: dir, env });
    const shopifyCheck = doctor.json().checks.find((check: any) => check.system === 'shopify');
    expect(shopifyCheck).toMatchObject({ ok: true, message: expect.stringContaining('Dev Dashboard app') });
    expect(shopifyCheck.message).toContain('scopes read_orders, write_orders, read_products');
    expect(shopifyCheck.message).toContain('not granted: read_all_orders');

    // several lifetimes went by: expired tokens were refused and renewed without a command failing
    expect(s.oauth.expiredRejections).toBeGreaterThanOrEqual(2);
    expect(s.requestsTo('POST', '/admin/oauth/access_token').length).toBeGreaterThanOrEqual(6);
    expectNoSecrets(s, connected, listed, tracked, doctor, readFileSync(bundleFile, 'utf8'), readFileSync(credentialsPath(dir), 'utf8'));
    expect(statSync(bundleFile).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('secret from --token-stdin (one line): stored 0600, then orders and track across token lifetimes', async () => {
    // tokens of 15 minutes: every second request after a grant finds its token expired
    const s = await openStore({ oauth: { lifetimeSec: 900 } });
    const dir = tempConfigDir();
    const connected = await cli([...connectArgs(s), '--token-stdin'], { configDir: dir, stdin: `${CLIENT_SECRET}\n` });
    expect(connected.code, connected.stderr).toBe(0);
    expect(connected.stdout).toMatch(/Dev Dashboard app/);
    expect(connected.stdout).toMatch(/Not granted: read_all_orders/);
    expect(stored(dir).shopify).toMatchObject({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(stored(dir).shopify.token).toBeUndefined();
    expect(statSync(credentialsPath(dir)).mode & 0o777).toBe(0o600);

    const listed = await cli(['orders', '--since', '60d', '--limit', '0', '--json'], { configDir: dir });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json().orders).toHaveLength(40);
    const tracked = await cli(['track', '#1040', '--json'], { configDir: dir });
    expect(tracked.code, tracked.stderr).toBe(8);
    expect(tracked.json()).toMatchObject({ order: { number: '1040' } });
    expect(s.oauth.expiredRejections).toBeGreaterThanOrEqual(2);

    // the support bundle names the kind of credential, never the stored secret or a token
    const bundleFile = join(tempConfigDir('onboard-bundle-'), 'bundle.json');
    const doctor = await cli(['doctor', '--bundle', bundleFile, '--json'], { configDir: dir });
    const bundle = readFileSync(bundleFile, 'utf8');
    expect(JSON.parse(bundle).checks.find((check: any) => check.system === 'shopify').message).toContain('Dev Dashboard app');
    expect(JSON.parse(bundle).configuration.real.credentials.shopify).toMatchObject({ clientId: CLIENT_ID, clientSecret: '[redacted]' });
    expect(statSync(bundleFile).mode & 0o777).toBe(0o600);
    expectNoSecrets(s, connected, listed, tracked, doctor, bundle);
  }, 60_000);

  it('--client-secret on the command line works, with the shell-history warning', async () => {
    const s = await openStore();
    const dir = tempConfigDir();
    const result = await cli([...connectArgs(s), '--client-secret', CLIENT_SECRET, '--json'], { configDir: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/--client-secret on the command line lands in your shell history .*ONBOARD_SHOPIFY_CLIENT_SECRET/);
    expectNoSecrets(s, result);
  });

  it('a wrong secret exits 4 saying the client ID or secret was refused, and stores nothing', async () => {
    const s = await openStore();
    const dir = tempConfigDir();
    const result = await cli([...connectArgs(s), '--json'], { configDir: dir, env: { ONBOARD_SHOPIFY_CLIENT_SECRET: 'shpss_not_the_secret_123' } });
    expect(result.code).toBe(4);
    const { error } = result.json();
    expect(error.code).toBe('auth_rejected');
    expect(error.message).toMatch(/client ID or client secret/);
    expect(error.hint).toMatch(/Dev Dashboard/);
    expect(result.stdout + result.stderr).not.toContain('shpss_not_the_secret_123');
    expect(stored(dir).shopify).toBeUndefined();
  });

  it('an app whose organization does not own the store exits 4 with what to do instead', async () => {
    const s = await openStore();
    s.oauth.refuse = 'shop_not_permitted';
    const result = await cli([...connectArgs(s), '--json'], { configDir: tempConfigDir(), env: { ONBOARD_SHOPIFY_CLIENT_SECRET: CLIENT_SECRET } });
    expect(result.code).toBe(4);
    expect(result.json().error.message).toMatch(/shop_not_permitted/);
    expect(result.json().error.hint).toMatch(/organization that owns dealer-test\.myshopify\.com/);
  });

  it('without read_orders: exit 4 naming it and the Dev Dashboard steps; nothing stored', async () => {
    const s = await openStore({ oauth: { lifetimeSec: 1_500, scopes: ['read_products'] } });
    const dir = tempConfigDir();
    const result = await cli([...connectArgs(s), '--json'], { configDir: dir, env: { ONBOARD_SHOPIFY_CLIENT_SECRET: CLIENT_SECRET } });
    expect(result.code).toBe(4);
    const { error } = result.json();
    expect(error.message).toMatch(/lacks the read_orders scope/);
    expect(error.hint).toMatch(/Dev Dashboard .*Versions.*read_orders.*release it/);
    expect(stored(dir).shopify).toBeUndefined();
  });

  it('test-order --create without write_orders exits 4 naming it, before any order is sent', async () => {
    const s = await openStore({ oauth: { lifetimeSec: 1_500, scopes: ['read_orders', 'read_products'] } });
    const dir = tempConfigDir();
    const env = { ONBOARD_SHOPIFY_CLIENT_SECRET: CLIENT_SECRET };
    expect((await cli(connectArgs(s), { configDir: dir, env })).code).toBe(0);
    expect(
      (await cli(['connect', 'flxpoint', '--token', 'fxp_unused_0123456789', '--api-url', 'http://127.0.0.1:9', '--no-check'], { configDir: dir })).code,
    ).toBe(0);
    expect((await cli(['connect', 'inventory-source', '--plan', 'plus'], { configDir: dir })).code).toBe(0);
    const created = await cli(
      [
        'test-order',
        '--create',
        '--yes',
        '--json',
        '--variant',
        '42000000000001',
        '--email',
        'buyer@example.com',
        '--ship-name',
        'Test Buyer',
        '--ship-address1',
        '1 Main St',
        '--ship-city',
        'Austin',
        '--ship-province',
        'TX',
        '--ship-zip',
        '78701',
        '--ship-country',
        'US',
        '--ship-phone',
        '+1 512 555 0100',
        '--shipping-title',
        'Standard Shipping',
      ],
      { configDir: dir, env },
    );
    expect(created.code, created.stdout + created.stderr).toBe(4);
    expect(created.json().error.message).toMatch(/write_orders/);
    expect(s.requestsTo('POST', '/orders.json')).toEqual([]);
  });

  it('flags: --client-secret without --client-id, and --token with --client-id, are usage errors (exit 2)', async () => {
    const s = await openStore();
    const alone = await cli(['connect', 'shopify', '--store', STORE, '--client-secret', CLIENT_SECRET, '--api-url', s.url, '--json'], {
      configDir: tempConfigDir(),
    });
    expect(alone.code).toBe(2);
    expect(alone.json().error.message).toMatch(/--client-secret needs --client-id/);
    const both = await cli([...connectArgs(s), '--token', 'shpat_x_0123456789', '--json'], { configDir: tempConfigDir() });
    expect(both.code).toBe(2);
    const noSecret = await cli([...connectArgs(s), '--json'], { configDir: tempConfigDir(), env: { ONBOARD_SHOPIFY_CLIENT_SECRET: undefined } });
    expect(noSecret.code).toBe(2);
    expect(noSecret.json().error.message).toMatch(/--client-secret \(or ONBOARD_SHOPIFY_CLIENT_SECRET, or --token-stdin\)/);
    expect(s.requests).toEqual([]);
  });
});
