// The sandbox store speaks Shopify's client credentials grant: its access tokens expire after 24 virtual hours,
// and --sandbox commands connect the way a dealer who starts today does (client ID and secret). The slow
// supplier ships three days after authorization, so its rehearsal renews the token at least twice, unseen.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProfileStore } from '../../src/config/store.js';
import { SHOPIFY_GRANT_SECONDS, advanceWorld, createWorld, grantShopifyToken, shopifyTokenValid } from '../../src/sandbox/world.js';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

afterEach(() => removeTempDirs());

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.name === '.lock' ? [] : entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('sandbox: the client credentials grant', () => {
  it('issues tokens valid for 86,399 virtual seconds; a wrong secret is invalid_client', () => {
    const world = createWorld(Date.parse('2026-11-02T09:00:00Z'));
    const { clientId, clientSecret } = world.tokens.shopify;
    const refused = grantShopifyToken(world, { grantType: 'client_credentials', clientId, clientSecret: 'nope' });
    expect(refused).toMatchObject({ ok: false, status: 401, error: 'invalid_client' });
    const granted = grantShopifyToken(world, { grantType: 'client_credentials', clientId, clientSecret });
    expect(granted).toMatchObject({ ok: true, expiresIn: SHOPIFY_GRANT_SECONDS, scope: expect.stringContaining('read_orders') });
    const token = granted.ok ? granted.accessToken : '';
    expect(shopifyTokenValid(world, token)).toBe(true);
    advanceWorld(world, world.now + SHOPIFY_GRANT_SECONDS * 1000 - 1);
    expect(shopifyTokenValid(world, token)).toBe(true);
    advanceWorld(world, world.now + 1);
    expect(shopifyTokenValid(world, token)).toBe(false);
    // the admin-created app's token never expires
    expect(shopifyTokenValid(world, world.tokens.shopify.token)).toBe(true);
  });

  it('doctor --sandbox shows the Dev Dashboard app and its scopes; every file stays 0600 (the slow-supplier renewals: test/cli/scenarios.test.ts)', async () => {
    const configDir = tempConfigDir();
    const doctor = await cli(['doctor', '--sandbox', '--json', '--verbose'], { configDir });
    const shopify = doctor.json().checks.find((check: { system: string }) => check.system === 'shopify');
    expect(shopify.message).toMatch(/Dev Dashboard app .*scopes read_orders, write_orders, read_products, read_fulfillments; not granted: read_all_orders/);
    const world = new ProfileStore(configDir, 'default').read('sandbox', 'world', z.object({ world: z.any() })).world;
    expect(world.tokens.shopify.grantsIssued).toBe(1);
    const output = `${doctor.stdout}\n${doctor.stderr}`;
    expect(output).not.toContain(world.tokens.shopify.clientSecret);
    for (const grant of world.tokens.shopify.grants) expect(output).not.toContain(grant.accessToken);
    for (const file of walk(configDir)) expect(statSync(file).mode & 0o777).toBe(0o600);
  }, 60_000);
});
