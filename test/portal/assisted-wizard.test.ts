// The whole wizard against Shopify- and Flxpoint-compatible servers (no sandbox, no sandbox-only endpoint):
// the production adapters over loopback HTTP, Order Manager on its plan schedule (no API), and the assisted
// authorization answered the way a dealer would, by clicking in the portal after onboard shows the clicks.
// Time is virtual (the fakes read the same clock), so a day of polling costs milliseconds.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlxpointPortal } from '../../src/adapters/flxpoint/client.js';
import { createShopifyChannel } from '../../src/adapters/shopify/client.js';
import type { Clock } from '../../src/core/clock.js';
import type { Systems } from '../../src/core/context.js';
import { runTestOrder } from '../../src/core/services/test-order.js';
import { runTrack } from '../../src/core/services/track.js';
import { createRecordingClock } from '../helpers/fake-server.js';
import { testContext } from '../helpers/context.js';
import { FLX_TOKENS, startFakeFlxpoint, type FakeFlxpoint } from '../../fakes/flxpoint.js';
import { STORE_TOKEN as SHOPIFY_TOKEN, startFakeStore, type FakeStore as FakeShopify } from '../../fakes/shopify.js';
import { CLIENT_ID, CLIENT_SECRET } from '../../fakes/shopify-oauth.js';

const SHOPIFY_STORE = 'dealer-test.myshopify.com';

const MIN = 60_000;
const T0 = Date.parse('2026-11-02T09:07:00.000Z');

/** A virtual clock that runs scheduled world events (a customer, Order Manager, the supplier) as time passes. */
function worldClock(start: number) {
  const base = createRecordingClock(start);
  const events: { at: number; run: () => void }[] = [];
  const clock: Clock = {
    virtual: true,
    now: base.now,
    async sleep(ms, signal) {
      const target = base.now() + ms;
      for (;;) {
        events.sort((a, b) => a.at - b.at);
        const next = events[0];
        if (!next || next.at > target) break;
        events.shift();
        await base.sleep(Math.max(0, next.at - base.now()), signal);
        next.run();
      }
      await base.sleep(target - base.now(), signal);
    },
  };
  return { clock, at: (at: number, run: () => void) => events.push({ at, run }) };
}

let shopify: FakeShopify;
let flxpoint: FakeFlxpoint;
afterEach(async () => {
  await shopify?.close();
  await flxpoint?.close();
});

/** `clientCredentials`: a Dev Dashboard app whose access tokens last `lifetimeSec` on the world's clock. */
async function setup(options: { clientCredentials?: { lifetimeSec: number } } = {}) {
  const world = worldClock(T0);
  shopify = await startFakeStore({ now: world.clock.now, bucket: false, oauth: { lifetimeSec: options.clientCredentials?.lifetimeSec } });
  const auth = options.clientCredentials ? { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } : { token: SHOPIFY_TOKEN };
  flxpoint = await startFakeFlxpoint({ now: world.clock.now });
  const systems: Systems = {
    clock: world.clock,
    channel: createShopifyChannel({ store: SHOPIFY_STORE, ...auth, apiUrl: shopify.url, clock: world.clock }),
    portal: createFlxpointPortal({ token: FLX_TOKENS.reseller, apiUrl: flxpoint.url, portalUrl: 'https://dealers.usdirect.example', clock: world.clock }),
    portalControls: null,
    orderManager: { system: 'inventory-source', plan: 'plus', planAssumed: false, intervalMs: 15 * MIN },
    supplierEmail: 'orders@usdirect.example',
    sandbox: null,
  };
  return { world, systems };
}

/** At most `limit` requests in any one second, by the fake's clock. */
function maxPerSecond(times: number[]): number {
  let max = 0;
  for (let i = 0; i < times.length; i += 1) max = Math.max(max, times.filter((t) => t >= times[i] && t - times[i] < 1000).length);
  return max;
}

/**
 * The world of a first order done by hand: a customer orders 10 s after the run began; Order Manager imports it
 * at the next 15-minute boundary. The dealer follows the clicks onboard shows, ten minutes later; the supplier
 * ships two hours after that, and Order Manager syncs the tracking to the store at the next boundary.
 */
function dealerWorld(world: ReturnType<typeof worldClock>, reporter: ReturnType<typeof testContext>['reporter']) {
  world.at(T0 + 10_000, () => {
    const order = shopify.addOrder(T0 + 10_000, { total: '12.49' });
    const boundary = Math.ceil((T0 + 10_000) / (15 * MIN)) * 15 * MIN;
    world.at(boundary, () => flxpoint.addOrder({ orderNumber: String(order.number), orderTotal: 12.49 }));
  });
  reporter.onBlock = (lines) => {
    if (!lines.some((l) => l.includes('Authorize Order for Payment'))) return;
    const portalOrder = flxpoint.orders[0];
    world.at(world.clock.now() + 10 * MIN, () => flxpoint.authorize(portalOrder.id));
    world.at(world.clock.now() + 130 * MIN, () => flxpoint.ship(portalOrder.id, '1Z 999 AA1 0123456784'));
    world.at(world.clock.now() + 145 * MIN, () => shopify.fulfill(shopify.orderByNumber(Number(portalOrder.orderNumber))?.id ?? 0, '1Z999AA10123456784'));
  };
}

describe('the wizard against the real protocols', () => {
  it('walks placed → tracking_synced, with the import and the authorization done by hand where no API exists', async () => {
    const { world, systems } = await setup();
    const { ctx, reporter } = testContext(systems);

    dealerWorld(world, reporter);

    const { result, exitCode } = await runTestOrder(ctx, { yes: true, restart: false });
    expect(exitCode).toBe(0);
    expect(result.stage).toBe('tracking_synced');
    expect(result.order).toMatchObject({ number: '1001', name: '#1001', total: '12.49', currency: 'USD', portalId: String(flxpoint.orders[0].id) });
    expect(result.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    expect(result.confirmed).toEqual({ imported: true, routed: true, trackingSynced: true });
    expect(result.tracking).toEqual([expect.objectContaining({ number: '1Z 999 AA1 0123456784', onChannel: true })]);
    expect(result.systems.orderManager).toMatchObject({ imported: true, importInferred: true, plan: 'plus' });
    expect(result.email).toMatchObject({ to: 'orders@usdirect.example', subject: expect.stringContaining('#1001') });
    expect(result.email?.body).toContain(String(flxpoint.orders[0].id));
    expect(result.email?.body).toContain('12.49');
    expect(result.report && existsSync(result.report.markdown) && existsSync(result.report.json)).toBe(true);

    const narrative = reporter.lines.join('\n');
    expect(narrative).toContain('"Order Sync"');
    expect(narrative).toContain('Shipping Mapping');
    expect(narrative).toContain(`Open https://dealers.usdirect.example/orders/${flxpoint.orders[0].id}`);
    expect(narrative).toContain('Click "Authorize Order for Payment"');

    // Only the vendors' documented endpoints, never faster than Flxpoint's 2 requests per second.
    expect(shopify.unhandled).toEqual([]);
    expect(flxpoint.server.unhandled).toEqual([]);
    expect([...shopify.requests, ...flxpoint.server.requests].some((r) => r.path.startsWith('/__sandbox'))).toBe(false);
    expect(flxpoint.throttled).toEqual([]);
    expect(maxPerSecond(flxpoint.requestTimes)).toBeLessThanOrEqual(2);
  });

  it('without a terminal and without --yes the wizard still runs: against Flxpoint onboard asks nothing, it shows the clicks', async () => {
    const { world, systems } = await setup();
    const { ctx, reporter } = testContext(systems);
    dealerWorld(world, reporter);

    const { result, exitCode } = await runTestOrder(ctx, { yes: false, restart: false });
    expect(exitCode).toBe(0);
    expect(result.stage).toBe('tracking_synced');
    expect(reporter.lines.join('\n')).toContain('Click "Authorize Order for Payment"');
  });

  it('a Dev Dashboard app whose tokens expire every 5 seconds: the whole walk still ends tracking_synced', async () => {
    const { world, systems } = await setup({ clientCredentials: { lifetimeSec: 5 } });
    const { ctx, reporter } = testContext(systems);
    dealerWorld(world, reporter);

    const { result, exitCode } = await runTestOrder(ctx, { yes: true, restart: false });
    expect(exitCode).toBe(0);
    expect(result.stage).toBe('tracking_synced');
    // hours of looks, each with a token the store still accepted: many grants, never a store request refused
    const grants = shopify.requests.filter((r) => r.path === '/admin/oauth/access_token');
    expect(grants.length).toBeGreaterThan(10);
    expect(shopify.oauth.expiredRejections).toBe(0);
    expect(shopify.unhandled).toEqual([]);
    const narrative = reporter.lines.join('\n');
    expect(narrative).not.toContain(CLIENT_SECRET);
    for (const { token } of shopify.oauth.issued) expect(narrative).not.toContain(token);
  });

  it('stops at authorization_overdue after a simulated day, within 2 requests per second and its polling plan', async () => {
    const { systems } = await setup();
    const order = shopify.addOrder(T0 - 20 * MIN, { total: '12.49' });
    flxpoint.addOrder({ orderNumber: String(order.number), orderTotal: 12.49 });
    const { ctx } = testContext(systems);

    const { result, exitCode } = await runTrack(ctx, { order: '1001', watch: true });
    expect(exitCode).toBe(3);
    expect(result.problem).toBe('authorization_overdue');
    expect(systems.clock.now() - T0).toBeGreaterThanOrEqual(24 * 60 * MIN);
    expect(systems.clock.now() - T0).toBeLessThan(24 * 60 * MIN + 31 * MIN);

    // The polling plan (README, "Polling"): looks back off from 1 minute to every 30 minutes, so a day of
    // waiting for an authorization is at most 60 looks; each look reads the store order, the portal order and
    // (nothing shipped yet) no shipments, plus the first look's cursor search.
    const portalRequests = flxpoint.server.requests.length;
    const storeRequests = shopify.requests.length;
    expect(portalRequests).toBeLessThanOrEqual(60 + 2);
    expect(storeRequests).toBeLessThanOrEqual(60 + 2);
    expect(flxpoint.throttled).toEqual([]);
    expect(maxPerSecond(flxpoint.requestTimes)).toBeLessThanOrEqual(2);
  });
});
