// The sandbox store speaks Shopify's client credentials grant: its access tokens expire after 24 virtual hours,
// and --sandbox commands connect the way a dealer who starts today does (client ID and secret). The slow
// supplier ships three days after authorization, so its rehearsal renews the token at least twice, unseen.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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

  it('the slow-supplier rehearsal renews the token at least twice and ends tracking_synced; no secret or token shows', async () => {
    const configDir = tempConfigDir();
    const result = await cli(['test-order', '--sandbox', '--scenario', 'slow-supplier', '--yes', '--json', '--verbose'], { configDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ stage: 'tracking_synced', scenario: 'slow-supplier' });

    const store = new ProfileStore(configDir, 'default');
    const world = JSON.parse(readFileSync(store.filePath('sandbox', 'world'), 'utf8')).world;
    // one token at the start, then one for each day that passed (the supplier ships after three)
    expect(world.tokens.shopify.grantsIssued).toBeGreaterThanOrEqual(3);
    expect(result.stderr.match(/Shopify access token obtained/g)?.length ?? 0).toBeGreaterThanOrEqual(3);

    const output = `${result.stdout}\n${result.stderr}`;
    expect(output).not.toContain(world.tokens.shopify.clientSecret);
    for (const grant of world.tokens.shopify.grants) expect(output).not.toContain(grant.accessToken);
    expect(output).not.toMatch(/shpat_sandboxcc_[0-9a-f]{8}/);

    const doctor = await cli(['doctor', '--sandbox', '--json'], { configDir });
    const shopify = doctor.json().checks.find((check: { system: string }) => check.system === 'shopify');
    expect(shopify.message).toMatch(/Dev Dashboard app .*scopes read_orders, write_orders, read_products, read_fulfillments; not granted: read_all_orders/);
    for (const file of walk(configDir)) expect(statSync(file).mode & 0o777).toBe(0o600);
  }, 60_000);
});
