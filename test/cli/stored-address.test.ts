// A hand-edited credentials file with an address connect would refuse is a local fault, named with its path and
// field (config_error, exit 1), not a flag the user never gave; doctor --fix moves it aside. And connect takes a
// WooCommerce store's own address, not its REST path.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

afterEach(removeTempDirs);

describe('stored addresses', () => {
  it('a stored plain-http address off loopback is config_error naming the file and field', async () => {
    const configDir = tempConfigDir();
    const env = { ONBOARD_BIGCOMMERCE_TOKEN: 'bc-token-0123456789' };
    expect((await cli(['connect', 'bigcommerce', '--store-hash', 'abc123', '--api-url', 'http://127.0.0.1:9', '--no-check'], { configDir, env })).code).toBe(0);
    const path = join(configDir, 'profiles', 'default', 'real', 'credentials.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('http://127.0.0.1:9', 'http://example.com'));
    const orders = await cli(['orders', '--json'], { configDir, env });
    expect(orders.code).toBe(1);
    const { error } = orders.json();
    expect(error.code).toBe('config_error');
    expect(error.message).toBe(`${path} is damaged: it does not hold what onboard wrote (at bigcommerce.apiUrl)`);
    expect(error.message).not.toMatch(/--api-url/);
    const fixed = await cli(['doctor', '--fix', '--json'], { configDir, env });
    expect(fixed.json().checks.some((c: any) => c.ok && c.message.startsWith(`${path} is damaged`) && /moved it aside/.test(c.message))).toBe(true);
  });

  it("connect woocommerce --url with the REST path is refused with the store's own address", async () => {
    const result = await cli(['connect', 'woocommerce', '--url', 'https://shop.example.com/wp-json/wc/v3', '--no-check', '--json'], {
      env: { ONBOARD_WOOCOMMERCE_KEY: 'ck_0123456789', ONBOARD_WOOCOMMERCE_SECRET: 'cs_0123456789' },
    });
    expect(result.code).toBe(2);
    const { error } = result.json();
    expect(error.message).toBe('--url: "https://shop.example.com/wp-json/wc/v3" is the REST API\'s address; give the store\'s own');
    expect(error.hint).toBe('Use --url https://shop.example.com (onboard adds /wp-json/wc/v3 itself).');
  });
});
