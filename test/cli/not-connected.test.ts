// A connection whose secrets came from the environment (used, never stored) and are not set now: every command
// that needs it says so the same way, and the fix it prints stores the secrets again for the same target.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

afterEach(removeTempDirs);

const SHOPIFY = { ONBOARD_SHOPIFY_TOKEN: 'shpat_0123456789abcdef' };
const FLXPOINT = { ONBOARD_FLXPOINT_TOKEN: 'flx-token-0123456789' };

async function connectedThroughEnvironment(): Promise<string> {
  const configDir = tempConfigDir();
  const shop = await cli(['connect', 'shopify', '--store', 'planted-goods.myshopify.com', '--no-check'], { configDir, env: SHOPIFY });
  expect(shop.code).toBe(0);
  // a loopback address nobody listens on: doctor's check fails at once, without the network
  const portal = await cli(
    [
      'connect',
      'flxpoint',
      '--api-url',
      'http://127.0.0.1:9',
      '--portal-url',
      'https://dealer.example.com',
      '--supplier-email',
      'orders@supplier.example',
      '--no-check',
    ],
    {
      configDir,
      env: FLXPOINT,
    },
  );
  expect(portal.code).toBe(0);
  const plan = await cli(['connect', 'inventory-source', '--plan', 'plus'], { configDir });
  expect(plan.code).toBe(0);
  return configDir;
}

describe('connected, but the secret is not in the environment', () => {
  it('test-order, sync, track and authorize name the unset variables, not "not connected"', async () => {
    const configDir = await connectedThroughEnvironment();
    for (const argv of [['test-order', '--yes', '--timeout', '0'], ['sync'], ['track', '1001'], ['authorize', '1001', '--yes']]) {
      const result = await cli([...argv, '--json'], { configDir });
      expect(result.code, argv.join(' ')).toBe(2);
      const { error } = result.json();
      expect(error.code).toBe('not_connected');
      expect(error.message, argv.join(' ')).toMatch(/^Shopify is connected, but ONBOARD_SHOPIFY_TOKEN is not set and no secret is stored/);
      expect(error.message).not.toMatch(/no sales channel/i);
      // the plan is stored: no advice to connect it
      expect(error.next.join('\n')).not.toMatch(/inventory-source/);
    }
    const sync = (await cli(['sync', '--json'], { configDir })).json().error;
    expect(sync.message).toBe(
      'Shopify is connected, but ONBOARD_SHOPIFY_TOKEN is not set and no secret is stored; Flxpoint is connected, but ONBOARD_FLXPOINT_TOKEN is not set and no secret is stored',
    );
  });

  it("doctor's Flxpoint fix keeps the portal address and supplier email when pasted", async () => {
    const configDir = await connectedThroughEnvironment();
    const doctor = await cli(['doctor', '--json'], { configDir });
    const fix = doctor.json().checks.find((c: any) => c.system === 'flxpoint').fix as string;
    const command = fix.slice(fix.indexOf('printenv'));
    expect(command).toBe(
      'printenv ONBOARD_FLXPOINT_TOKEN | onboard connect flxpoint --api-url http://127.0.0.1:9 --portal-url https://dealer.example.com --supplier-email orders@supplier.example --token-stdin',
    );
    // pasted: the token arrives on stdin, and the stored record keeps what it had
    const argv = command.split(' | ')[1]!.split(' ').slice(1);
    const pasted = await cli([...argv, '--no-check', '--json'], { configDir, stdin: `${FLXPOINT.ONBOARD_FLXPOINT_TOKEN}\n` });
    expect(pasted.code).toBe(0);
    const stored = JSON.parse(readFileSync(join(configDir, 'profiles', 'default', 'real', 'credentials.json'), 'utf8'));
    expect(stored.flxpoint).toMatchObject({
      portalUrl: 'https://dealer.example.com',
      supplierEmail: 'orders@supplier.example',
      token: FLXPOINT.ONBOARD_FLXPOINT_TOKEN,
    });
    const status = await cli(['test-order', '--yes', '--timeout', '0', '--json'], { configDir });
    expect(status.json().error.message).not.toMatch(/Flxpoint/);
  });

  it('WooCommerce with one of its two secrets unset: the fix pipes both, in flag order', async () => {
    const configDir = tempConfigDir();
    const env = { ONBOARD_WOOCOMMERCE_KEY: 'ck_0123456789', ONBOARD_WOOCOMMERCE_SECRET: 'cs_0123456789' };
    expect((await cli(['connect', 'woocommerce', '--url', 'https://shop.example.com', '--no-check'], { configDir, env })).code).toBe(0);
    const orders = await cli(['orders', '--json'], { configDir, env: { ONBOARD_WOOCOMMERCE_KEY: env.ONBOARD_WOOCOMMERCE_KEY } });
    const { error } = orders.json();
    expect(error.message).toMatch(/^WooCommerce is connected, but ONBOARD_WOOCOMMERCE_SECRET is not set/);
    expect(error.hint).toContain(
      'printenv ONBOARD_WOOCOMMERCE_KEY ONBOARD_WOOCOMMERCE_SECRET | onboard connect woocommerce --url https://shop.example.com --token-stdin',
    );
    // pasted with both set: two lines on stdin, as --token-stdin wants
    const stored = await cli(['connect', 'woocommerce', '--url', 'https://shop.example.com', '--token-stdin', '--no-check', '--json'], {
      configDir,
      stdin: `${env.ONBOARD_WOOCOMMERCE_KEY}\n${env.ONBOARD_WOOCOMMERCE_SECRET}\n`,
    });
    expect(stored.code).toBe(0);
  });

  it('sync with the portal but no store says so, in words and in its errors, instead of skipping in silence', async () => {
    const configDir = tempConfigDir();
    expect((await cli(['connect', 'flxpoint', '--api-url', 'http://127.0.0.1:9', '--no-check'], { configDir, env: FLXPOINT })).code).toBe(0);
    const sync = await cli(['sync', '--json'], { configDir, env: FLXPOINT });
    expect(sync.code).toBe(0);
    expect(sync.json().errors).toEqual([{ system: 'channel', order: null, code: 'not_connected', message: 'No sales channel is connected' }]);
    expect(sync.stderr.replace(/\s+/g, ' ')).toContain('No sales channel is connected: sync reads the dealer portal only.');
  });

  it('nothing connected: the way forward is the sandbox, then a Dev Dashboard app and the portal', async () => {
    const result = await cli(['sync', '--json']);
    const { error } = result.json();
    expect(error.message).toBe('No sales channel is connected; the dealer portal (Flxpoint) is not connected');
    expect(error.next).toEqual([
      'onboard test-order --sandbox',
      'onboard connect shopify --store NAME.myshopify.com --client-id ID --token-stdin',
      'onboard connect flxpoint --token-stdin --portal-url URL --supplier-email ADDRESS',
    ]);
  });
});
