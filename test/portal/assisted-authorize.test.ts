// `onboard authorize` against Flxpoint, which publishes no endpoint for "Authorize Order for Payment": it
// shows the portal page and the exact clicks, verifies through the API (a fulfillment request exists only once
// payment is authorized), exits 8 until then and 0 once verified; --watch waits; never authorizes twice.
import { afterEach, describe, expect, it } from 'vitest';
import { createFlxpointPortal } from '../../src/adapters/flxpoint/client.js';
import { createShopifyChannel } from '../../src/adapters/shopify/client.js';
import type { Systems } from '../../src/core/context.js';
import { runAuthorize } from '../../src/core/services/authorize.js';
import { createRecordingClock } from '../helpers/fake-server.js';
import { testContext } from '../helpers/context.js';
import { FLX_TOKENS, startFakeFlxpoint, type FakeFlxpoint } from '../../fakes/flxpoint.js';
import { STORE_TOKEN as SHOPIFY_TOKEN, startFakeStore, type FakeStore as FakeShopify } from '../../fakes/shopify.js';

const SHOPIFY_STORE = 'dealer-test.myshopify.com';

let flxpoint: FakeFlxpoint;
let shopify: FakeShopify;
afterEach(async () => {
  await flxpoint?.close();
  await shopify?.close();
});

async function setup() {
  const clock = createRecordingClock(Date.parse('2026-11-02T10:00:00.000Z'));
  flxpoint = await startFakeFlxpoint({ now: clock.now });
  shopify = await startFakeStore({ bucket: false });
  const order = shopify.addOrder(clock.now() - 30 * 60_000, { total: '12.49' });
  const portalOrder = flxpoint.addOrder({ orderNumber: String(order.number), orderTotal: 12.49 });
  const systems: Systems = {
    clock,
    channel: createShopifyChannel({ store: SHOPIFY_STORE, token: SHOPIFY_TOKEN, apiUrl: shopify.url, clock }),
    portal: createFlxpointPortal({ token: FLX_TOKENS.reseller, apiUrl: flxpoint.url, portalUrl: 'https://dealers.usdirect.example', clock }),
    portalControls: null,
    orderManager: { system: 'inventory-source', plan: 'plus', planAssumed: false, intervalMs: 900_000 },
    supplierEmail: null,
    sandbox: null,
  };
  return { clock, systems, portalOrder };
}

describe('assisted authorize', () => {
  it('shows the page and the clicks and exits 8 until verified, then 0', async () => {
    const { systems, portalOrder } = await setup();
    const { ctx, reporter } = testContext(systems);
    const first = await runAuthorize(ctx, { order: '1001', yes: false, watch: false });
    expect(first.exitCode).toBe(8);
    expect(first.result).toMatchObject({ authorized: false, method: 'assisted', portalUrl: `https://dealers.usdirect.example/orders/${portalOrder.id}` });
    expect(first.result.clicks.join('\n')).toContain('Authorize Order for Payment');
    expect(reporter.lines.join('\n')).toContain('Flxpoint publishes no API');

    flxpoint.authorize(portalOrder.id); // the dealer clicks in the portal
    const second = await runAuthorize(ctx, { order: '#1001', yes: false, watch: false });
    expect(second.exitCode).toBe(0);
    expect(second.result).toMatchObject({ authorized: true, alreadyAuthorized: true, stage: 'authorized' });
    expect(second.result.evidence.fulfillmentRequests).toHaveLength(1);
  });

  it('--watch waits until the authorization shows', async () => {
    const { clock, systems, portalOrder } = await setup();
    const { ctx } = testContext(systems);
    const clickAt = clock.now() + 7 * 60_000;
    const sleep = systems.clock.sleep;
    systems.clock = {
      ...systems.clock,
      sleep: async (ms, signal) => {
        await sleep(ms, signal);
        if (clock.now() >= clickAt) flxpoint.authorize(portalOrder.id);
      },
    };
    const watched = await runAuthorize(ctx, { order: 'portal:' + portalOrder.id, yes: false, watch: true });
    expect(watched.exitCode).toBe(0);
    expect(watched.result.authorized).toBe(true);
    expect(clock.now()).toBeGreaterThanOrEqual(clickAt);
    expect(flxpoint.orders[0].fulfillmentRequests).toHaveLength(1);
  });
});

describe('sync --force against Inventory Source (no API for Order Sync)', () => {
  it('says how to press Order Sync, and still refreshes every tracked order', async () => {
    const { systems } = await setup();
    const { ctx } = testContext(systems);
    const { runSync } = await import('../../src/core/services/sync.js');
    // authorize records the order as tracked (and shows the clicks: exit 8 until the dealer clicks)
    await runAuthorize(ctx, { order: '1001', yes: false, watch: false });
    const { result, exitCode } = await runSync(ctx, { force: true });
    expect(exitCode).toBe(0);
    expect(result.forced).toBe(false);
    expect(result.forceSync?.how).toMatch(/Order Manager.*"Order Sync"/);
    expect(result.orders).toEqual([expect.objectContaining({ number: '1001', stage: 'in_portal' })]);
  });
});
