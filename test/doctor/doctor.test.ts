// `onboard doctor` and its support bundle, in-process against fake vendors on loopback and the sandbox.
import { startFakeWooCommerce } from '../../fakes/woocommerce.js';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { ProfileStore } from '../../src/config/store.js';
import { runSchema, stateSchema } from '../../src/core/lifecycle/record.js';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { startFakeStore, type FakeStore as FakeShopify } from '../../fakes/shopify.js';
import { FLX_TOKENS, startFakeFlxpoint, type FakeFlxpoint } from '../../fakes/flxpoint.js';

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

async function connectAll(
  options: { plan?: boolean; flxpointFromEnv?: boolean } = {},
): Promise<{ dir: string; shop: FakeShopify; flx: FakeFlxpoint; env: Record<string, string> }> {
  const shop = await startFakeShopify();
  const flx = await startFakeFlxpoint({ now: Date.now });
  servers.push(shop, flx);
  const dir = tempConfigDir();
  const env: Record<string, string> = options.flxpointFromEnv ? { ONBOARD_FLXPOINT_TOKEN: FLX_TOKEN } : {};
  expect((await cli(['connect', 'shopify', '--store', STORE, '--api-url', shop.url, '--token', SHOP_TOKEN], { configDir: dir, env })).code).toBe(0);
  const flxArgs = ['connect', 'flxpoint', '--api-url', flx.url, '--supplier-email', 'orders@supplier.example'];
  if (options.flxpointFromEnv) expect((await cli(flxArgs, { configDir: dir, env })).code).toBe(0);
  else expect((await cli([...flxArgs, '--token-stdin'], { configDir: dir, stdin: FLX_TOKEN })).code).toBe(0);
  if (options.plan !== false) expect((await cli(['connect', 'inventory-source', '--plan', 'plus'], { configDir: dir })).code).toBe(0);
  return { dir, shop, flx, env };
}

describe('doctor', () => {
  it('with nothing connected: one failing "nothing connected" check, exit 1, the JSON result printed', async () => {
    const result = await cli(['doctor', '--json']);
    expect(result.code).toBe(1);
    const { checks } = result.json();
    expect(checks).toContainEqual({
      system: 'onboard',
      ok: false,
      message: 'nothing connected',
      fix: expect.stringMatching(/onboard test-order --sandbox.*onboard connect/),
    });
    expect(checks.filter((c: any) => !c.ok)).toHaveLength(1);
    for (const check of checks) expect(Object.keys(check).sort()).toEqual(expect.arrayContaining(['message', 'ok', 'system']));

    const human = await cli(['doctor']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/✖ onboard: nothing connected/);
    expect(human.stdout).toMatch(/fix: onboard test-order --sandbox/);
  });

  it('passes when every connected system answers: configuration modes, Shopify API version, the plan', async () => {
    const { dir, env } = await connectAll();
    const result = await cli(['doctor', '--json'], { configDir: dir, env });
    expect(result.code).toBe(0);
    const { checks } = result.json();
    expect(checks.map((c: any) => c.system)).toEqual(['configuration', 'shopify', 'flxpoint', 'inventory-source']);
    expect(checks.every((c: any) => c.ok)).toBe(true);
    const byName = Object.fromEntries(checks.map((c: any) => [c.system, c]));
    expect(byName.configuration.message).toMatch(/0700.*0600/);
    expect(byName.shopify.message).toContain(SHOPIFY_API_VERSION);
    expect(byName.shopify.message).toMatch(/Planted Goods/);
    expect(byName['inventory-source'].message).toMatch(/plus/);
    expect(result.stdout + result.stderr).not.toContain(SHOP_TOKEN);
    expect(result.stdout + result.stderr).not.toContain(FLX_TOKEN);
  });

  it('says "basic assumed" when no plan is stored', async () => {
    const { dir } = await connectAll({ plan: false });
    const result = await cli(['doctor', '--json'], { configDir: dir });
    expect(result.code).toBe(0);
    const plan = result.json().checks.find((c: any) => c.system === 'inventory-source');
    expect(plan).toMatchObject({ ok: true, message: expect.stringMatching(/basic assumed/) });
  });

  it('fails with the fix when a credential is rejected or a system is unreachable', async () => {
    const { dir, shop, flx } = await connectAll();
    shop.faults.reject = 401;
    await flx.close();
    const result = await cli(['doctor', '--json'], { configDir: dir });
    expect(result.code).toBe(1);
    const byName = Object.fromEntries(result.json().checks.map((c: any) => [c.system, c]));
    expect(byName.shopify).toMatchObject({
      ok: false,
      message: expect.stringMatching(/rejected the access token/),
      fix: expect.stringMatching(/Develop apps/),
    });
    expect(byName.shopify.message).toContain(SHOPIFY_API_VERSION);
    expect(byName.flxpoint).toMatchObject({ ok: false, message: expect.stringMatching(/could not reach flxpoint/), fix: expect.stringMatching(/connection/) });
    expect(byName.configuration.ok).toBe(true);
    expect(result.stdout + result.stderr).not.toContain(SHOP_TOKEN);
  });

  it('checks the permission to read orders (a Shopify token without read_orders fails with the scope named)', async () => {
    const { dir, shop } = await connectAll();
    shop.faults.forbidOrders = true;
    const result = await cli(['doctor', '--json'], { configDir: dir });
    expect(result.code).toBe(1);
    expect(result.json().checks.find((c: any) => c.system === 'shopify')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/lacks the read_orders scope/),
      fix: expect.stringMatching(/add read_orders/),
    });
  });

  it('reports a configuration file others can read, with the chmod fix', async () => {
    const { dir } = await connectAll();
    chmodSync(join(dir, 'profiles', 'default', 'real', 'credentials.json'), 0o644);
    const result = await cli(['doctor', '--json'], { configDir: dir });
    expect(result.code).toBe(1);
    const config = result.json().checks.find((c: any) => c.system === 'configuration');
    expect(config).toMatchObject({ ok: false, message: expect.stringMatching(/credentials\.json is 0644/), fix: `chmod -R go-rwx ${dir}` });
  });

  it('a connected channel whose environment token is gone fails with the variable named', async () => {
    const shop = await startFakeShopify();
    servers.push(shop);
    const dir = tempConfigDir();
    expect(
      (await cli(['connect', 'shopify', '--store', STORE, '--api-url', shop.url], { configDir: dir, env: { ONBOARD_SHOPIFY_TOKEN: SHOP_TOKEN } })).code,
    ).toBe(0);
    const result = await cli(['doctor', '--json'], { configDir: dir });
    expect(result.code).toBe(1);
    expect(result.json().checks.find((c: any) => c.system === 'shopify')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/ONBOARD_SHOPIFY_TOKEN is not set/),
    });
    const withEnv = await cli(['doctor', '--json'], { configDir: dir, env: { ONBOARD_SHOPIFY_TOKEN: SHOP_TOKEN } });
    const checks = withEnv.json().checks;
    expect(checks.find((c: any) => c.system === 'shopify')).toMatchObject({ ok: true });
    // Only the store is connected: the missing dealer portal is the one finding left.
    expect(withEnv.code).toBe(1);
    expect(checks.filter((c: any) => !c.ok)).toEqual([expect.objectContaining({ system: 'flxpoint', fix: expect.stringMatching(/onboard connect flxpoint/) })]);
  });

  it('checks a WooCommerce store: a key stored unchecked that the store rejects fails with the fix', async () => {
    const woo = await startFakeWooCommerce({ orderCount: 2 });
    try {
      const dir = tempConfigDir();
      expect(
        (
          await cli(['connect', 'woocommerce', '--url', woo.url, '--no-check', '--token-stdin'], {
            configDir: dir,
            stdin: `${woo.consumerKey}\ncs_not_the_secret\n`,
          })
        ).code,
      ).toBe(0);
      const result = await cli(['doctor', '--json'], { configDir: dir });
      expect(result.code).toBe(1);
      expect(result.json().checks.find((c: any) => c.system === 'woocommerce')).toMatchObject({ ok: false, fix: expect.stringMatching(/REST API/) });
      const good = tempConfigDir();
      expect(
        (await cli(['connect', 'woocommerce', '--url', woo.url, '--token-stdin'], { configDir: good, stdin: `${woo.consumerKey}\n${woo.consumerSecret}\n` }))
          .code,
      ).toBe(0);
      const passing = await cli(['doctor', '--json'], { configDir: good });
      expect(passing.json().checks.find((c: any) => c.system === 'woocommerce')).toMatchObject({ ok: true });
    } finally {
      await woo.close();
    }
  });

  it('passes on the sandbox', async () => {
    const result = await cli(['doctor', '--sandbox', '--json']);
    expect(result.code).toBe(0);
    const { checks } = result.json();
    expect(checks.map((c: any) => c.system)).toEqual(['configuration', 'shopify', 'flxpoint', 'inventory-source']);
    expect(checks.find((c: any) => c.system === 'shopify').message).toContain(SHOPIFY_API_VERSION);
  });
});

describe('doctor --bundle', () => {
  const CUSTOMER = {
    name: 'Jane Smithers',
    first: 'Jane',
    last: 'Smithers',
    email: 'jane.smithers@example.org',
    phone: '+1 (555) 867-5309',
    street: '42 Wallaby Way',
  };
  const QUERY_SECRET = 'qs_PLANTED_consumer_key_55aa';
  const QUERY_TOKEN = 'qs_PLANTED_token_66bb';
  const ENV_ONLY = 'env_PLANTED_bigcommerce_77cc';

  /** A run whose events carry a URL with secrets in its query string and the customer's personal data. */
  async function plantRecords(dir: string, ns: 'real' | 'sandbox') {
    const store = new ProfileStore(dir, 'default');
    const run = runSchema.parse({
      id: `run-${ns}`,
      startedAt: '2026-01-15T12:00:00.000Z',
      channel: 'shopify',
      problems: ['address_incomplete'],
      events: [
        {
          at: '2026-01-15T12:05:00.000Z',
          kind: 'held',
          message: `Order Manager holds the order: no phone for ${CUSTOMER.name} (call ${CUSTOMER.phone.replace(/\D/g, '')})`,
          evidence: {
            reason: `See https://shop.example.com/wp-json/wc/v3/orders/7?consumer_key=${QUERY_SECRET}&consumer_secret=cs_x1y2z3w4&page=2`,
            customer: { first_name: CUSTOMER.first, last_name: CUSTOMER.last, email: CUSTOMER.email, phone: CUSTOMER.phone },
            shipping_address: { name: CUSTOMER.name, address1: CUSTOMER.street, city: 'Sydney', zip: '2000' },
          },
        },
        {
          at: '2026-01-15T12:06:00.000Z',
          kind: 'problem',
          message: `Request to https://api.example.com/orders?token=${QUERY_TOKEN} failed with ${SHOP_TOKEN}; Authorization: Bearer ${FLX_TOKEN}; mail ${CUSTOMER.email}`,
          evidence: { problem: 'address_incomplete' },
        },
      ],
    });
    await store.update(ns, 'state', stateSchema, (state) => {
      state.runs.push(run);
    });
  }

  function assertClean(text: string) {
    for (const secret of [SHOP_TOKEN, FLX_TOKEN, QUERY_SECRET, QUERY_TOKEN, ENV_ONLY, 'cs_x1y2z3w4']) expect(text, secret).not.toContain(secret);
  }

  it('writes a 0600 JSON bundle with versions, checks, configuration and records: no secret, no customer data', async () => {
    const { dir } = await connectAll({ flxpointFromEnv: true });
    await plantRecords(dir, 'real');
    await plantRecords(dir, 'sandbox');
    const file = join(tempConfigDir('onboard-bundle-'), 'support.json');
    const env = { ONBOARD_FLXPOINT_TOKEN: FLX_TOKEN, ONBOARD_BIGCOMMERCE_TOKEN: ENV_ONLY };
    const result = await cli(['doctor', '--bundle', file, '--json'], { configDir: dir, env });
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ bundle: file, customerData: 'masked' });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const text = readFileSync(file, 'utf8');
    assertClean(text);
    assertClean(result.stdout + result.stderr);
    for (const personal of [CUSTOMER.name, CUSTOMER.first, CUSTOMER.last, CUSTOMER.email, CUSTOMER.phone, CUSTOMER.street, '5558675309', 'Wallaby']) {
      expect(text, personal).not.toContain(personal);
    }
    const bundle = JSON.parse(text);
    expect(bundle.onboard.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(bundle.node).toBe(process.version);
    expect(bundle.platform.os).toBe(process.platform);
    expect(bundle.customerData).toBe('masked');
    expect(bundle.checks.map((c: any) => c.system)).toContain('shopify');
    // the configuration is there, its secrets are not
    expect(bundle.configuration.real.credentials.shopify).toMatchObject({ store: STORE, token: '[redacted]' });
    expect(bundle.configuration.real.credentials.flxpoint.supplierEmail).toBe('orders@supplier.example');
    expect(bundle.environment.ONBOARD_FLXPOINT_TOKEN).toBe('[redacted]');
    // the records of both namespaces, masked in shape
    expect(bundle.records.real.runs[0].id).toBe('run-real');
    expect(bundle.records.sandbox.runs[0].id).toBe('run-sandbox');
    const held = bundle.records.real.runs[0].events[0];
    expect(held.evidence.customer.first_name).toBe('J***');
    expect(held.evidence.shipping_address.name).toBe('J*** S*******');
    expect(held.evidence.shipping_address.city).toBe('Sydney');
    expect(held.evidence.reason).toContain('consumer_key=[redacted]');
    expect(held.evidence.reason).toContain('page=2');
    expect(held.message).toContain('J*** S*******');
    // the last errors
    expect(bundle.lastErrors.map((e: any) => e.kind)).toEqual(expect.arrayContaining(['held', 'problem']));
  });

  it('--include-customer-data keeps the customer data, never the secrets', async () => {
    const { dir } = await connectAll();
    await plantRecords(dir, 'real');
    const file = join(tempConfigDir('onboard-bundle-'), 'support.json');
    const result = await cli(['doctor', '--bundle', file, '--include-customer-data', '--json'], { configDir: dir });
    expect(result.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    assertClean(text);
    expect(text).toContain(CUSTOMER.name);
    expect(text).toContain(CUSTOMER.email);
    expect(JSON.parse(text).customerData).toBe('included');
  });

  it('refuses to overwrite a file without --force (exit 2, before any check), and overwrites with it as 0600', async () => {
    const dir = tempConfigDir();
    const file = join(tempConfigDir('onboard-bundle-'), 'support.json');
    writeFileSync(file, 'keep me', { mode: 0o644 });
    const refused = await cli(['doctor', '--bundle', file, '--json'], { configDir: dir });
    expect(refused.code).toBe(2);
    expect(refused.json().error.message).toMatch(/already exists/);
    expect(refused.json().error.hint).toMatch(/--force/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');

    const forced = await cli(['doctor', '--bundle', file, '--force', '--json'], { configDir: dir });
    // nothing connected: the checks fail (exit 1), the bundle is written all the same
    expect(forced.code).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8')).checks).toContainEqual(expect.objectContaining({ system: 'onboard', message: 'nothing connected' }));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a bundle in a directory that does not exist is exit 2', async () => {
    const result = await cli(['doctor', '--bundle', join(tempConfigDir(), 'missing', 'support.json'), '--json']);
    expect(result.code).toBe(2);
    expect(existsSync(result.json().error.message)).toBe(false);
  });
});
