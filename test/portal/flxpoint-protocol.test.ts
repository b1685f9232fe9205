// The Flxpoint adapter against a Flxpoint-compatible server: token types, the 2-per-second limit answered
// with 429s, and Flxpoint's exact status strings mapped onto stages and problems.
import { afterEach, describe, expect, it } from 'vitest';
import { createFlxpointPortal } from '../../src/adapters/flxpoint/client.js';
import { createShopifyChannel } from '../../src/adapters/shopify/client.js';
import { AuthRejectedError } from '../../src/core/errors.js';
import type { Systems } from '../../src/core/context.js';
import { runTrack } from '../../src/core/services/track.js';
import { createRecordingClock } from '../helpers/fake-server.js';
import { testContext } from '../helpers/context.js';
import { FLX_TOKENS, startFakeFlxpoint, type FakeFlxpoint } from '../../fakes/flxpoint.js';
import { STORE_TOKEN as SHOPIFY_TOKEN, startFakeStore, type FakeStore as FakeShopify } from '../../fakes/shopify.js';

const SHOPIFY_STORE = 'dealer-test.myshopify.com';

let flxpoint: FakeFlxpoint;
let shopify: FakeShopify | undefined;
afterEach(async () => {
  await flxpoint?.close();
  await shopify?.close();
  shopify = undefined;
});

describe('Flxpoint credential check', () => {
  it('accepts the reseller (dealer) token, which gets 403 on /account', async () => {
    const clock = createRecordingClock();
    flxpoint = await startFakeFlxpoint({ now: clock.now });
    const portal = createFlxpointPortal({ token: FLX_TOKENS.reseller, apiUrl: flxpoint.url, clock });
    await expect(portal.check()).resolves.toMatchObject({ account: expect.any(String) });
    expect(flxpoint.server.requests.every((r) => r.headers['x-api-token'] === FLX_TOKENS.reseller && !r.headers.authorization)).toBe(true);
  });

  it('rejects an unknown token (401) naming the Reseller Portal token, and a source token (403)', async () => {
    const clock = createRecordingClock();
    flxpoint = await startFakeFlxpoint({ now: clock.now });
    const unknown = createFlxpointPortal({ token: 'fx_wrong', apiUrl: flxpoint.url, clock });
    const rejected = await unknown.check().catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(AuthRejectedError);
    expect(`${(rejected as AuthRejectedError).message} ${(rejected as AuthRejectedError).hint}`).toMatch(/Reseller/);
    const source = createFlxpointPortal({ token: FLX_TOKENS.source, apiUrl: flxpoint.url, clock });
    await expect(source.check()).rejects.toBeInstanceOf(AuthRejectedError);
  });
});

describe('Flxpoint rate limit', () => {
  it('recovers from 429s (no Retry-After, no body shape) and still reads everything', async () => {
    const clock = createRecordingClock();
    flxpoint = await startFakeFlxpoint({ now: clock.now, rateLimitPerSecond: 1, pageSize: 3 });
    for (let n = 0; n < 8; n += 1) flxpoint.addOrder({ orderNumber: String(1001 + n), orderTotal: 10 + n });
    for (const o of flxpoint.orders) o.updatedAt += o.id; // distinct updatedAt, ascending by id
    const portal = createFlxpointPortal({ token: FLX_TOKENS.reseller, apiUrl: flxpoint.url, clock });
    const page = await portal.listOrdersUpdatedSince('2020-01-01T00:00:00.000Z');
    expect(page.orders.map((o) => o.orderNumber)).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008']);
    expect(flxpoint.throttled.length).toBeGreaterThan(0);
    // The cursor for the next poll is the last updatedAt minus 1 ms.
    expect(page.cursor).toBe(new Date(Math.max(...flxpoint.orders.map((o) => o.updatedAt)) - 1).toISOString());
  });
});

describe('Flxpoint status strings on the lifecycle', () => {
  async function trackWith(configure: (orderId: number) => void) {
    const clock = createRecordingClock(Date.parse('2026-11-02T10:00:00.000Z'));
    flxpoint = await startFakeFlxpoint({ now: clock.now });
    shopify = await startFakeStore({ bucket: false });
    const order = shopify.addOrder(clock.now() - 30 * 60_000, { total: '12.49', shippingTitle: 'Economy Saver (5-9 days)' });
    const portalOrder = flxpoint.addOrder({ orderNumber: String(order.number), orderTotal: 12.49 });
    configure(portalOrder.id);
    const systems: Systems = {
      clock,
      channel: createShopifyChannel({ store: SHOPIFY_STORE, token: SHOPIFY_TOKEN, apiUrl: shopify.url, clock }),
      portal: createFlxpointPortal({ token: FLX_TOKENS.reseller, apiUrl: flxpoint.url, clock }),
      portalControls: null,
      orderManager: { system: 'inventory-source', plan: 'basic', planAssumed: true, intervalMs: 3_600_000 },
      supplierEmail: null,
      sandbox: null,
    };
    return runTrack(testContext(systems).ctx, { order: '#1001', watch: false });
  }

  it.each([
    ['No Shipping Method', 'shipping_unmapped'],
    ['On Hold', 'on_hold'],
    ['Failed', 'order_failed'],
    ['Not Managed', 'order_failed'],
    ['Canceled', 'canceled'],
  ])('orderStatus "%s" → %s (exit 3)', async (status, problem) => {
    const { result, exitCode } = await trackWith((id) => {
      const o = flxpoint.orders.find((x) => x.id === id)!;
      o.orderStatus = status;
    });
    expect(exitCode).toBe(3);
    expect(result.problem).toBe(problem);
    expect(result.lastStage).toBe('in_portal');
  });

  it('a fulfillment request "Processing Error" → order_failed on step 5, after authorized', async () => {
    const { result } = await trackWith((id) => {
      flxpoint.authorize(id);
      flxpoint.orders[0].fulfillmentRequests[0].status = 'Processing Error';
    });
    expect(result.lastStage).toBe('authorized');
    expect(result.problem).toBe('order_failed');
    expect(result.steps[4].status).toBe('failed');
  });

  it('a shipment (shippedStatus Completed) → shipped; its syncError → tracking_sync_failed, quoting the portal error', async () => {
    const { result } = await trackWith((id) => {
      flxpoint.authorize(id);
      flxpoint.ship(id, '1Z999AA10123456784', { syncError: 'Fulfillment order is closed' });
    });
    expect(result.lastStage).toBe('shipped');
    expect(result.problem).toBe('tracking_sync_failed');
    expect(result.advice?.what).toContain('Fulfillment order is closed');
    expect(result.tracking).toEqual([expect.objectContaining({ number: '1Z999AA10123456784', onChannel: false })]);
  });

  it("the shipping_unmapped advice names the store's exact shipping title", async () => {
    const { result } = await trackWith((id) => {
      flxpoint.orders.find((x) => x.id === id)!.orderStatus = 'No Shipping Method';
    });
    expect(JSON.stringify(result.advice)).toContain('Economy Saver (5-9 days)');
  });
});
