// A Dev Dashboard app's access: the client credentials grant against a store that behaves as Shopify documents
// (tokens expire on the store's clock and are then answered 401), renewal before expiry and on a 401, the grant's
// refusals as errors with their fix, the granted scopes, and no secret or token in any log line.
import { afterEach, describe, expect, it } from 'vitest';
import { grantErrorOf, hasScope } from '../../src/adapters/shopify/auth.js';
import { createShopifyChannel } from '../../src/adapters/shopify/client.js';
import { AuthRejectedError, EXIT, exitCodeFor } from '../../src/core/errors.js';
import { createRecordingClock } from '../helpers/fake-server.js';
import { CLIENT_ID, CLIENT_SECRET } from '../../fakes/shopify-oauth.js';
import { startFakeStore, type FakeStore, type FakeStoreOptions } from '../../fakes/shopify.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let store: FakeStore | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function openStore(options: Partial<FakeStoreOptions> = {}, secret = CLIENT_SECRET) {
  const clock = createRecordingClock();
  store = await startFakeStore({ now: clock.now, orders: 30, spanMs: 10 * DAY, newestAgeMs: HOUR, bucket: false, ...options });
  const lines: string[] = [];
  const shopify = createShopifyChannel({
    store: 'big-fake.myshopify.com',
    clientId: CLIENT_ID,
    clientSecret: secret,
    apiUrl: store.url,
    clock,
    log: (line) => lines.push(line),
  });
  return { clock, shopify, store, lines };
}

const grants = (s: FakeStore) => s.requestsTo('POST', '/admin/oauth/access_token');

describe('shopify: client credentials', () => {
  it('asks for a token with the documented form, reuses it while valid, and renews it shortly before it expires', async () => {
    const { clock, shopify, store, lines } = await openStore();
    await shopify.check();
    await shopify.listOrders({ createdAtMin: new Date(clock.now() - 30 * DAY).toISOString(), limit: 0 });
    expect(grants(store)).toHaveLength(1);
    const form = new URLSearchParams(grants(store)[0]?.body);
    expect(Object.fromEntries(form)).toEqual({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });

    // three days of a watch: a look every hour, each with a token the store still accepts
    for (let hour = 0; hour < 72; hour += 1) {
      await clock.sleep(HOUR);
      await shopify.getOrder(String(6_000_000_000_000 + 29));
    }
    expect(store.oauth.expiredRejections).toBe(0);
    expect(grants(store).length).toBeGreaterThanOrEqual(3);
    expect(grants(store).length).toBeLessThanOrEqual(4);
    expect(store.requests.filter((r) => r.status === 401)).toEqual([]);

    const log = lines.join('\n');
    expect(log).toContain('access token obtained');
    expect(log).not.toContain(CLIENT_SECRET);
    for (const { token } of store.oauth.issued) expect(log).not.toContain(token);
  });

  it('a token the store stops accepting early (401) is renewed once and the request sent again', async () => {
    const { clock, shopify, store } = await openStore({ oauth: { lifetimeSec: 86_399 } });
    await shopify.check();
    // the store revokes it (the app was reinstalled): every issued token is now expired on the store's side
    for (const issued of store.oauth.issued) issued.expiresAt = clock.now();
    const order = await shopify.getOrder(String(6_000_000_000_000 + 3));
    expect(order.number).toBe('1004');
    expect(store.oauth.expiredRejections).toBe(1);
    expect(grants(store)).toHaveLength(2);
  });

  it('tokens that expire every few seconds: reads spread over many lifetimes never fail', async () => {
    const { shopify, store, clock } = await openStore({ orders: 600, spanMs: 5 * DAY, newestAgeMs: HOUR, oauth: { lifetimeSec: 3 } });
    // every request costs the store's clock two seconds: the token dies every other request
    const before = store.requests.length;
    const listed: string[] = [];
    for (let page = 0; page < 6; page += 1) {
      await clock.sleep(2_000);
      listed.push((await shopify.getOrder(String(6_000_000_000_000 + page))).number);
    }
    expect(listed).toEqual(['1001', '1002', '1003', '1004', '1005', '1006']);
    expect(store.requests.length).toBeGreaterThan(before);
    expect(grants(store).length).toBeGreaterThanOrEqual(3);
  });

  it('a wrong secret: auth_rejected (exit 4) saying the client ID or secret was refused, with where to copy them', async () => {
    const { shopify } = await openStore({}, 'shpss_wrong_secret_value_000');
    const error = await shopify.check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect(exitCodeFor(error)).toBe(EXIT.auth);
    expect((error as AuthRejectedError).message).toMatch(/refused the client ID or client secret .*invalid_client/);
    expect((error as AuthRejectedError).hint).toMatch(/Dev Dashboard → Apps → your app → Settings/);
    expect(JSON.stringify({ message: (error as Error).message, hint: (error as AuthRejectedError).hint })).not.toContain('shpss_wrong_secret_value_000');
  });

  it("an app of another organization (shop_not_permitted, Shopify's text page) and an app not installed: each with its fix", async () => {
    const { shopify, store } = await openStore();
    store.oauth.refuse = 'shop_not_permitted';
    const notPermitted = (await shopify.check().catch((e: unknown) => e)) as AuthRejectedError;
    expect(notPermitted).toBeInstanceOf(AuthRejectedError);
    expect(notPermitted.message).toMatch(/does not let this app get access tokens .*shop_not_permitted/);
    expect(notPermitted.hint).toMatch(/organization that owns/);
    expect(notPermitted.hint).toMatch(/--token/);

    store.oauth.refuse = 'app_not_installed';
    const notInstalled = (await shopify.check().catch((e: unknown) => e)) as AuthRejectedError;
    expect(notInstalled).toBeInstanceOf(AuthRejectedError);
    expect(notInstalled.message).toMatch(/not installed/);
    expect(notInstalled.hint).toMatch(/Install app/);
  });

  it('reads the granted scopes; a write scope implies its read scope', async () => {
    const { shopify, store } = await openStore({ oauth: { scopes: ['write_orders'] } });
    // write_orders implies read_orders, so nothing required is missing; the others are named with their use
    expect(await shopify.access?.()).toEqual({
      credential: 'client_credentials',
      scopes: ['write_orders'],
      missing: [
        { scope: 'read_products', neededFor: 'item suggestions for --create', required: false },
        { scope: 'read_all_orders', neededFor: 'orders older than 60 days', required: false },
      ],
      requiredFix: null,
    });
    expect(store.requestsTo('GET', '/admin/oauth/access_scopes.json')).toHaveLength(1);
    expect(hasScope(['write_orders'], 'read_orders')).toBe(true);
    expect(hasScope(['read_orders'], 'write_orders')).toBe(false);
  });

  it('checkCanCreate: without write_orders, auth_rejected naming it, and nothing is sent but the scope read', async () => {
    const { shopify, store } = await openStore({ oauth: { scopes: ['read_orders', 'read_products'] } });
    const error = (await shopify.checkCanCreate?.().catch((e: unknown) => e)) as AuthRejectedError;
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect(error.message).toMatch(/write_orders/);
    expect(error.hint).toMatch(/Dev Dashboard/);
    expect(store.requestsTo('POST', '/orders.json')).toEqual([]);
  });

  it('grant errors are read from JSON and from text pages', () => {
    expect(grantErrorOf('{"error":"invalid_client","error_description":"bad"}')).toEqual({ code: 'invalid_client', description: 'bad' });
    expect(grantErrorOf('<p>Oauth error shop_not_permitted: Client credentials cannot be performed on this shop.</p>')).toEqual({
      code: 'shop_not_permitted',
      description: 'Client credentials cannot be performed on this shop.',
    });
  });
});
