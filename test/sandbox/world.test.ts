// The world model on its own: pure functions over a JSON object, time only through advanceWorld.
import { describe, expect, it } from 'vitest';
import {
  IMPORT_INTERVAL_MS,
  SCENARIOS,
  WorldSchema,
  advanceWorld,
  authorizeOrder,
  createWorld,
  nextEventAt,
  orderSync,
  placeCustomerOrder,
  settingsForOrder,
} from '../../src/sandbox/world.js';

const BOUNDARY = Date.UTC(2026, 6, 10, 15, 0, 0); // a multiple of 15 minutes
const HOUR = 3_600_000;

describe('sandbox world', () => {
  it('starts at the wall clock rounded down to the minute, with sandbox tokens and first order #1001', () => {
    const world = createWorld(BOUNDARY + 7 * 60_000 + 12_345);
    expect(world.now).toBe(BOUNDARY + 7 * 60_000);
    expect(world.tokens.shopify.store).toBe('onboard-sandbox.myshopify.com');
    expect(world.tokens.shopify.token).toMatch(/^shpat_sandbox_[0-9a-f]{32}$/);
    expect(world.tokens.flxpoint.token).toMatch(/^fxp_sandbox_[0-9a-f]{32}$/);
    expect(world.plan).toBe('plus');
    const order = placeCustomerOrder(world, {});
    expect(order).toMatchObject({ order_number: 1001, name: '#1001', id: 5_800_000_000_001 });
    expect(order.created_at).toBe('2026-07-10T10:07:00-05:00');
    expect(SCENARIOS).toContain('happy');
  });

  it('is JSON-serialisable and survives the persistence schema unchanged', () => {
    const world = createWorld(BOUNDARY);
    placeCustomerOrder(world, { scenario: 'over-limit' });
    advanceWorld(world, BOUNDARY + IMPORT_INTERVAL_MS);
    const copy = JSON.parse(JSON.stringify(world));
    expect(WorldSchema.parse(copy)).toEqual(world);
  });

  it('imports at the first boundary after the order, never goes backwards, and idles without events', () => {
    const world = createWorld(BOUNDARY + 60_000);
    const order = placeCustomerOrder(world, {});
    expect(nextEventAt(world)).toBe(BOUNDARY + IMPORT_INTERVAL_MS);
    advanceWorld(world, BOUNDARY + IMPORT_INTERVAL_MS - 1);
    expect(world.portal.orders).toHaveLength(0);
    advanceWorld(world, BOUNDARY); // backwards: ignored
    expect(world.now).toBe(BOUNDARY + IMPORT_INTERVAL_MS - 1);
    advanceWorld(world, BOUNDARY + IMPORT_INTERVAL_MS);
    expect(world.orderManager.records[String(order.id)].importedAt).toBe(BOUNDARY + IMPORT_INTERVAL_MS);
    expect(world.portal.orders[0].insertedAt).toBe(new Date(BOUNDARY + IMPORT_INTERVAL_MS).toISOString());
    expect(nextEventAt(world)).toBeNull();
    advanceWorld(world, world.now + 365 * 24 * HOUR);
    expect(world.portal.shipments).toHaveLength(0);
  });

  it('a shipment made exactly on a boundary syncs at the next one', () => {
    const world = createWorld(BOUNDARY);
    const order = placeCustomerOrder(world, {});
    orderSync(world);
    authorizeOrder(world, world.portal.orders[0].id); // FR at BOUNDARY → ships at BOUNDARY + 2h, itself a boundary
    advanceWorld(world, BOUNDARY + 2 * HOUR);
    expect(world.portal.shipments).toHaveLength(1);
    expect(world.portal.shipments[0].syncedToChannel).toBe(false);
    advanceWorld(world, BOUNDARY + 2 * HOUR + IMPORT_INTERVAL_MS);
    expect(world.portal.shipments[0].syncedToChannel).toBe(true);
    expect(world.channel.orders.find((o) => o.id === order.id)?.fulfillments[0].created_at).toBe('2026-07-10T12:15:00-05:00');
  });

  it('bumps updatedAt on every change the portal client polls for', () => {
    const world = createWorld(BOUNDARY);
    placeCustomerOrder(world, {});
    orderSync(world);
    const portal = world.portal.orders[0];
    const inserted = portal.updatedAt;
    advanceWorld(world, BOUNDARY + 60_000);
    authorizeOrder(world, portal.id);
    expect(portal.updatedAt).toBe(new Date(BOUNDARY + 60_000).toISOString());
    expect(portal.updatedAt > inserted).toBe(true);
    advanceWorld(world, BOUNDARY + 60_000 + 2 * HOUR);
    expect(portal.updatedAt).toBe(new Date(BOUNDARY + 60_000 + 2 * HOUR).toISOString());
    advanceWorld(world, BOUNDARY + 3 * HOUR);
    expect(portal.updatedAt).toBe(new Date(BOUNDARY + 2 * HOUR + IMPORT_INTERVAL_MS).toISOString());
    expect(world.portal.shipments[0].updatedAt).toBe(portal.updatedAt);
  });

  it('records the over-limit rule for that order and leaves the saved settings alone', () => {
    const world = createWorld(BOUNDARY);
    const order = placeCustomerOrder(world, { scenario: 'over-limit', variantId: 42_000_000_000_002 });
    expect(order.total_price).toBe('15.58'); // 9.99 + 4.99 shipping + 0.60 tax
    orderSync(world);
    expect(settingsForOrder(world, world.portal.orders[0].id)).toEqual({ autoAuthorize: true, maxOrderTotal: '14.58' });
    expect(world.portal.settings).toEqual({ autoAuthorize: false, maxOrderTotal: null });
    expect(world.portal.orders[0].fulfillmentRequests).toEqual([]);
    expect(world.portal.orders[0].orderTotal).toBe(15.58);
  });

  it('refuses an unknown scenario or variant', () => {
    const world = createWorld(BOUNDARY);
    expect(() => placeCustomerOrder(world, { scenario: 'chaos' })).toThrow(/known scenarios: happy/);
    expect(() => placeCustomerOrder(world, { variantId: 1 })).toThrow(/Unknown variant/);
    expect(world.channel.orders).toHaveLength(0);
  });
});
