import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createShopifyChannel, nextLink } from '../../src/adapters/shopify/client.js';
import { orderEnvelopeSchema, ordersEnvelopeSchema } from '../../src/adapters/shopify/schemas.js';
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { AuthRejectedError, NotFoundError } from '../../src/core/errors.js';
import { startFakeStore, type FakeStore, type FakeStoreOptions } from '../../fakes/shopify.js';
import { createRecordingClock, startFakeServer, type FakeServer } from '../helpers/fake-server.js';

const API = `/admin/api/${SHOPIFY_API_VERSION}`;
const TOKEN = 'shpat_test_token_0123456789';
const PAYLOADS = '/work/shared/payloads';

// The one fake serves every test its state or faults can express; `server` gives a route of its own only to
// answers no store state gives (malformed bodies, a server that misbehaves).
let server: FakeServer | undefined;
let store: FakeStore | undefined;

afterEach(async () => {
  await server?.close();
  await store?.close();
  server = undefined;
  store = undefined;
});

/** An order shaped like Shopify's (modelled on the vendor's order fixture, trimmed to what matters here). */
function shopifyOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 450789469,
    admin_graphql_api_id: 'gid://shopify/Order/450789469',
    name: '#1001',
    number: 1,
    order_number: 1001,
    created_at: '2008-01-10T11:00:00-05:00',
    currency: 'USD',
    total_price: '598.94',
    total_price_set: { shop_money: { amount: '598.94', currency_code: 'USD' } },
    financial_status: 'partially_refunded',
    fulfillment_status: null,
    cancelled_at: null,
    phone: '+557734881234',
    tax_lines: [{ price: '11.94', rate: 0.06, title: 'State Tax' }],
    shipping_address: {
      first_name: 'Bob',
      address1: 'Chestnut Street 92',
      phone: '+1(502)-459-2181',
      city: 'Louisville',
      zip: '40202',
      address2: '',
      company: null,
      latitude: 45.41634,
      longitude: -75.6868,
      country_code: 'US',
    },
    shipping_lines: [{ id: 369256396, code: 'Free Shipping', price: '0.00', title: 'Free Shipping', carrier_identifier: null }],
    fulfillments: [
      {
        id: 255858046,
        status: 'success',
        tracking_company: 'USPS',
        tracking_number: '1Z2345',
        tracking_numbers: ['1Z2345'],
        tracking_url: 'https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z2345',
        tracking_urls: ['https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z2345'],
      },
    ],
    some_future_field: { anything: [1, 2, 3] },
    ...overrides,
  };
}

function channel(extra: { clock?: ReturnType<typeof createRecordingClock>; log?: (l: string) => void } = {}) {
  const clock = extra.clock ?? createRecordingClock();
  const apiUrl = (store ?? server)?.url ?? '';
  return {
    clock,
    shopify: createShopifyChannel({ store: 'test-store.myshopify.com', token: TOKEN, apiUrl, clock, log: extra.log }),
  };
}

/** The one Shopify fake (fakes/shopify.ts), knowing TOKEN, holding no orders (a test puts or adds its own). */
async function emptyStore(options: FakeStoreOptions = {}): Promise<FakeStore> {
  store = await startFakeStore({ token: TOKEN, bucket: false, ...options });
  return store;
}

/**
 * The one Shopify fake (fakes/shopify.ts) holding `count` orders, #1001 the oldest (2026-01-01T00:00Z) and one an
 * hour after the other, each with total "<number>.50" and "Free Shipping"; `pageSize` orders a page whatever
 * the limit asks, so a few orders make several pages.
 */
async function storeWithOrders(count: number, pageSize: number, options: FakeStoreOptions = {}): Promise<FakeStore> {
  store = await startFakeStore({ token: TOKEN, bucket: false, pageSize, ...options });
  for (let i = 0; i < count; i += 1) {
    store.addOrder(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000, { total: `${1001 + i}.50`, shippingTitle: 'Free Shipping' });
  }
  return store;
}

const listingsOf = (fake: FakeStore) => fake.requestsTo('GET', '/orders.json');
const queryOf = (request: { query: URLSearchParams } | undefined) => Object.fromEntries(request?.query ?? []);

describe('shopify: check', () => {
  it('reads shop.json with the access token header and the pinned version', async () => {
    const fake = await emptyStore({ shop: { name: 'Test Store', domain: 'test-store.myshopify.com' } });
    const { shopify } = channel();
    expect(await shopify.check()).toEqual({ account: 'Test Store' });
    expect(fake.requests[0]?.headers['x-shopify-access-token']).toBe(TOKEN);
    expect(fake.requests[0]?.path).toBe(`${API}/shop.json`);
    expect(fake.unhandled).toEqual([]);
    expect(shopify.system).toBe('shopify');
    expect(shopify.capabilities).toEqual({ createOrder: true, suggestItems: true });
  });

  it('401 → AuthRejectedError with the where-to-get-a-token hint, token never shown', async () => {
    // the store knows another token
    const fake = await emptyStore({ token: 'shpat_another_apps_token_000000' });
    const lines: string[] = [];
    const { shopify } = channel({ log: (l) => lines.push(l) });
    const error = await shopify.check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect((error as AuthRejectedError).system).toBe('shopify');
    expect((error as AuthRejectedError).message).toContain('Invalid API key or access token');
    expect((error as AuthRejectedError).hint).toContain('Develop apps');
    expect((error as AuthRejectedError).hint).toContain('read_orders');
    expect(fake.requests).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('403 → AuthRejectedError naming the missing scope', async () => {
    const fake = await emptyStore();
    fake.faults.forbidOrders = true;
    const { shopify } = channel();
    const error = await shopify.listOrders({ createdAtMin: '2026-01-01T00:00:00.000Z', limit: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect((error as Error).message).toContain('read_orders');
  });

  it('honours a 429 Retry-After "2.0"', async () => {
    // a shop without a name is named by its domain
    const fake = await emptyStore({ shop: { name: null, domain: 'test-store.myshopify.com' } });
    fake.faults.throttleNext = 1;
    const { shopify, clock } = channel();
    expect(await shopify.check()).toEqual({ account: 'test-store.myshopify.com' });
    // the Retry-After first (the pacer may then wait for the bucket the 429 said was full: "40/40")
    expect(clock.sleeps[0]).toBe(2_000);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('shopify: listing with Link pagination', () => {
  it('follows rel="next" over several pages, page_info requests carrying only limit and fields', async () => {
    const fake = await storeWithOrders(7, 3);
    const { shopify, clock } = channel();
    const orders = await shopify.listOrders({ createdAtMin: '2026-01-01T00:00:00.000Z', limit: 0 });
    expect(orders.map((order) => order.number)).toEqual(['1007', '1006', '1005', '1004', '1003', '1002', '1001']);
    expect(fake.requests).toHaveLength(3);
    const [first, ...rest] = fake.requests.map(queryOf);
    expect(first).toMatchObject({ status: 'any', created_at_min: '2026-01-01T00:00:00.000Z', limit: '250' });
    expect(first?.['fields']?.split(',')).toEqual(
      expect.arrayContaining(['id', 'name', 'order_number', 'created_at', 'total_price', 'currency', 'shipping_lines']),
    );
    for (const query of rest) {
      expect(Object.keys(query).sort()).toEqual(['fields', 'limit', 'page_info']);
    }
    expect(fake.unhandled).toEqual([]);
    // paced at 2 requests a second
    expect(clock.sleeps).toEqual([500, 500]);
    const newest = orders[0];
    expect(newest).toMatchObject({
      id: String(fake.orderByNumber(1007)?.id),
      name: '#1007',
      createdAt: '2026-01-01T06:00:00.000Z',
      currency: 'USD',
      shippingMethod: 'Free Shipping',
    });
    expect(newest?.total).toEqual({ units: 100750n, scale: 2, currency: 'USD' });
  });

  it('rebases a Link on another origin onto --api-url', async () => {
    const fake = await storeWithOrders(5, 2, { linkOrigin: 'https://test-store.myshopify.com' });
    const { shopify } = channel();
    const orders = await shopify.listOrders({ createdAtMin: '2026-01-01T00:00:00.000Z', limit: 0 });
    expect(orders).toHaveLength(5);
    expect(fake.requests).toHaveLength(3);
    expect(fake.unhandled).toEqual([]);
  });

  it('stops at the limit', async () => {
    const fake = await storeWithOrders(7, 3);
    const { shopify } = channel();
    const orders = await shopify.listOrders({ createdAtMin: '2026-01-01T00:00:00.000Z', limit: 4 });
    expect(orders.map((order) => order.number)).toEqual(['1007', '1006', '1005', '1004']);
    expect(fake.requests).toHaveLength(2);
    expect(queryOf(fake.requests[0])['limit']).toBe('4');
  });

  it("the fake really enforces the page_info rule (400 with Shopify's body)", async () => {
    const fake = await storeWithOrders(3, 2);
    const { shopify } = channel();
    // a request that breaks the rule, sent by hand: the adapter itself never sends one
    const response = await fetch(`${fake.url}${API}/orders.json?page_info=cursor-1&status=any`, { headers: { 'X-Shopify-Access-Token': TOKEN } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: { status: expect.stringContaining('status cannot be passed when page_info is present') } });
    expect(await shopify.listOrders({ createdAtMin: '2026-01-01T00:00:00.000Z', limit: 0 })).toHaveLength(3);
  });

  it('parses Link headers with commas inside URLs and both rels', () => {
    const header =
      '<https://s.myshopify.com/admin/api/2026-07/orders.json?limit=3&fields=id,name&page_info=abc>; rel="previous", ' +
      '<https://s.myshopify.com/admin/api/2026-07/orders.json?limit=3&fields=id,name&page_info=def>; rel="next"';
    expect(nextLink(header)).toBe('https://s.myshopify.com/admin/api/2026-07/orders.json?limit=3&fields=id,name&page_info=def');
    expect(nextLink('<https://x/y?page_info=a>; rel="previous"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });
});

describe('shopify: orders', () => {
  it('maps an order exactly (money, ISO UTC, address, tracking)', async () => {
    (await emptyStore()).putOrder(shopifyOrder());
    const { shopify } = channel();
    const order = await shopify.getOrder('450789469');
    expect(store?.requests[0]?.path).toBe(`${API}/orders/450789469.json`);
    expect(order).toEqual({
      channel: 'shopify',
      id: '450789469',
      number: '1001',
      name: '#1001',
      createdAt: '2008-01-10T16:00:00.000Z',
      total: { units: 59894n, scale: 2, currency: 'USD' },
      currency: 'USD',
      shippingTitle: 'Free Shipping',
      address: { present: true, hasZip: true, hasPhone: true },
      cancelled: false,
      tracking: [{ number: '1Z2345', carrier: 'USPS', url: 'https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z2345' }],
    });
  });

  it('an API-created order: null address, no shipping line, no tracking; the order phone does not count', async () => {
    (await emptyStore()).putOrder(shopifyOrder({ shipping_address: null, shipping_lines: [], fulfillments: [], phone: '+15555550100', email: '' }));
    const { shopify } = channel();
    const order = await shopify.getOrder('450789469');
    expect(order.address).toEqual({ present: false, hasZip: false, hasPhone: false });
    expect(order.shippingTitle).toBeNull();
    expect(order.tracking).toEqual([]);
  });

  it('an address without phone, a cancelled order, cancelled fulfillments and singular tracking fields', async () => {
    (await emptyStore()).putOrder(
      shopifyOrder({
        id: 6562343719626,
        total_price: 12.5,
        cancelled_at: '2026-01-02T00:00:00-05:00',
        shipping_address: { zip: '40202', phone: '' },
        fulfillments: [
          { status: 'cancelled', tracking_company: 'UPS', tracking_numbers: ['1ZCANCELLED'], tracking_urls: [] },
          { status: 'success', tracking_company: 'FedEx', tracking_number: '7712', tracking_url: 'https://fedex.example/7712' },
          { status: 'success', tracking_company: 'UPS', tracking_numbers: ['1ZA', '1ZB'], tracking_urls: ['https://ups.example/1ZA'] },
        ],
      }),
    );
    const { shopify } = channel();
    const order = await shopify.getOrder('6562343719626');
    expect(order.id).toBe('6562343719626');
    expect(order.total).toEqual({ units: 125n, scale: 1, currency: 'USD' });
    expect(order.cancelled).toBe(true);
    expect(order.address).toEqual({ present: true, hasZip: true, hasPhone: false });
    expect(order.tracking).toEqual([
      { number: '7712', carrier: 'FedEx', url: 'https://fedex.example/7712' },
      { number: '1ZA', carrier: 'UPS', url: 'https://ups.example/1ZA' },
      { number: '1ZB', carrier: 'UPS', url: null },
    ]);
  });

  it('404 on an order → NotFoundError', async () => {
    const fake = await emptyStore();
    const { shopify } = channel();
    await expect(shopify.getOrder('999')).rejects.toBeInstanceOf(NotFoundError);
    expect(fake.requests).toHaveLength(1);
  });

  it('a body that does not match → unexpected_response naming the field', async () => {
    (await emptyStore()).putOrder(shopifyOrder({ total_price: 'lots' }));
    const { shopify } = channel();
    await expect(shopify.getOrder('450789469')).rejects.toMatchObject({ code: 'unexpected_response', message: expect.stringContaining('order.total_price') });
  });

  it('findOrderByNumber scans id,name,order_number newest first, stops at the match, then reads the order', async () => {
    const fake = await storeWithOrders(7, 3);
    const { shopify } = channel();
    const order = await shopify.findOrderByNumber('#1003', '2026-01-01T00:00:00.000Z');
    expect(order?.number).toBe('1003');
    expect(order?.total.units).toBe(100350n);
    const listRequests = listingsOf(fake);
    expect(listRequests).toHaveLength(2); // pages 1007–1005 and 1004–1002; 1001's page is never asked for
    expect(queryOf(listRequests[0])).toMatchObject({
      status: 'any',
      fields: 'id,name,order_number,created_at',
      limit: '250',
      created_at_min: '2026-01-01T00:00:00.000Z',
    });
    expect(fake.unhandled).toEqual([]);
  });

  it('findOrderByNumber returns null when no order has that number', async () => {
    const fake = await storeWithOrders(4, 2);
    const { shopify } = channel();
    expect(await shopify.findOrderByNumber('2000', '2026-01-01T00:00:00.000Z')).toBeNull();
    // the first page already holds lower numbers: Shopify numbers in creation order, so 2000 is not in the window
    expect(fake.requests).toHaveLength(1);
    // a name that is not a number cannot stop early: every page is read
    expect(await shopify.findOrderByNumber('EN-2000', '2026-01-01T00:00:00.000Z')).toBeNull();
    expect(fake.requests).toHaveLength(3);
  });

  it('findFirstOrderSince returns the oldest order created since the time, at full detail', async () => {
    const fake = await storeWithOrders(5, 2);
    fake.fulfill(fake.orderByNumber(1001)?.id ?? 0, '1Z2345');
    const { shopify } = channel();
    const order = await shopify.findFirstOrderSince('2026-01-01T00:00:00.000Z');
    expect(order?.number).toBe('1001');
    expect(order?.address.present).toBe(true);
    expect(order?.tracking).toHaveLength(1);
    const [first, ...later] = listingsOf(fake).map(queryOf);
    expect(first).toEqual({
      status: 'any',
      created_at_min: '2026-01-01T00:00:00.000Z',
      limit: '250',
      fields: 'id,name,order_number,created_at,total_price,currency,cancelled_at,shipping_lines,shipping_address,fulfillments',
    });
    // later pages ask only for what tells the oldest apart; the oldest (on page 3) is then read on its own
    expect(later.map((query) => query['fields'])).toEqual(['id,created_at', 'id,created_at']);
    expect(fake.requests.filter((request) => /\/orders\/\d+\.json$/.test(request.path))).toHaveLength(1);
    expect(fake.unhandled).toEqual([]);
  });

  it('findFirstOrderSince: a window that fits one page is one request, with every field it maps', async () => {
    const fake = await storeWithOrders(2, 250);
    fake.fulfill(fake.orderByNumber(1001)?.id ?? 0, '1Z2345');
    const { shopify } = channel();
    const order = await shopify.findFirstOrderSince('2026-01-01T00:00:00.000Z');
    expect(order).toMatchObject({ number: '1001', shippingTitle: 'Free Shipping', address: { present: true, hasZip: true, hasPhone: true } });
    expect(order?.tracking).toEqual([{ number: '1Z2345', carrier: 'UPS', url: expect.stringContaining('1Z2345') }]);
    expect(fake.requests).toHaveLength(1);
  });

  it('findFirstOrderSince returns null when there is none', async () => {
    await emptyStore();
    const { shopify } = channel();
    expect(await shopify.findFirstOrderSince('2026-01-01T00:00:00.000Z')).toBeNull();
  });
});

// skipped (not failed) where the shared payload folder is absent
describe(`shopify: the vendor payloads parse (skipped when ${PAYLOADS} does not exist)`, () => {
  const present = existsSync(PAYLOADS);
  const files = present ? readdirSync(PAYLOADS).filter((name) => /^shopify-order.*\.json$/.test(name)) : [];
  // request bodies (what a client sends, e.g. shopify-order-create-request.json) are not responses to parse
  const responses = files.filter((name) => !name.endsWith('-request.json'));

  it.skipIf(!present)(`every ${PAYLOADS}/shopify-order*.json response parses through the schema`, () => {
    expect(responses.length).toBeGreaterThan(0);
    for (const name of responses) {
      const body: unknown = JSON.parse(readFileSync(join(PAYLOADS, name), 'utf8'));
      const schema = typeof body === 'object' && body !== null && 'orders' in body ? ordersEnvelopeSchema : orderEnvelopeSchema;
      const result = schema.safeParse(body);
      expect(result.success, `${name}: ${result.success ? '' : JSON.stringify(result.error.issues[0])}`).toBe(true);
    }
  });

  it.skipIf(!present)('the vendor order maps with an exact total (598.94 → 59894n at scale 2)', async () => {
    const body = JSON.parse(readFileSync(join(PAYLOADS, 'shopify-order.json'), 'utf8')) as unknown;
    (await emptyStore()).putOrder((body as { order: Record<string, unknown> }).order);
    const { shopify } = channel();
    const order = await shopify.getOrder('450789469');
    expect(order.total).toEqual({ units: 59894n, scale: 2, currency: 'USD' });
    expect(order.createdAt).toBe('2008-01-10T16:00:00.000Z');
    // its only fulfillment has status "failure": a failed fulfillment carries no tracking
    expect(order.tracking).toEqual([]);
  });

  it.skipIf(!present)('the API-created vendor order has no address', async () => {
    const body = JSON.parse(readFileSync(join(PAYLOADS, 'shopify-order-created.json'), 'utf8')) as unknown;
    (await emptyStore()).putOrder((body as { order: Record<string, unknown> }).order);
    const { shopify } = channel();
    const order = await shopify.getOrder('1073459984');
    expect(order).toMatchObject({ number: '1002', name: '#1002', shippingTitle: null, address: { present: false, hasZip: false, hasPhone: false } });
  });
});

describe('shopify: an order read by id', () => {
  it('must be the order asked for: an answer about another order is unexpected_response, not taken for it', async () => {
    // a broken answer no store state gives, so a route of its own
    server = await startFakeServer({ [`GET ${API}/orders/:id.json`]: () => ({ body: { order: shopifyOrder({ id: 450789470 }) } }) });
    const { shopify } = channel();
    await expect(shopify.getOrder('450789469')).rejects.toMatchObject({
      code: 'unexpected_response',
      message: expect.stringContaining('with order 450789470'),
    });
  });
});

describe('shopify: validate what is read, tolerate the rest', () => {
  it("another app's odd note attributes do not fail the look-before-create scan, nor an odd fulfillment id the order read", async () => {
    const key = 'onboard-key-1';
    const fake = await emptyStore();
    // not validated: note_attributes other than onboard's own (another app wrote a nameless one, and a number)
    fake.putOrder(
      shopifyOrder({
        id: 450789470,
        created_at: '2026-01-15T11:59:00Z',
        tags: 'wholesale',
        note_attributes: [{ name: null, value: 'x' }, { value: 3 }, 'gift'],
      }),
    );
    // not validated: fulfillments[].id (tracking is read from the numbers, company and URLs)
    fake.putOrder(
      shopifyOrder({
        id: 450789469,
        created_at: '2026-01-15T11:58:00Z',
        tags: '',
        note_attributes: [{ name: 'onboard_idempotency_key', value: key }],
        fulfillments: [
          {
            id: 'gid://shopify/Fulfillment/1',
            status: 'success',
            tracking_number: '1Z999',
            tracking_numbers: ['1Z999'],
            tracking_urls: [],
            tracking_company: 'UPS',
          },
        ],
      }),
    );
    const { shopify } = channel();
    const found = await shopify.findCreatedOrder!(key, '2026-01-15T11:00:00Z');
    expect(found?.id).toBe('450789469');
    expect(found?.tracking).toEqual([{ number: '1Z999', carrier: 'UPS', url: null }]);
  });

  it('an order that does not read is skipped in a listing with a --verbose note', async () => {
    const fake = await emptyStore();
    fake.putOrder(shopifyOrder({ id: 1, created_at: '2026-01-15T11:58:00Z' }));
    fake.putOrder(shopifyOrder({ id: 2, created_at: '2026-01-15T11:59:00Z', total_price: 'n/a' }));
    const lines: string[] = [];
    const { shopify } = channel({ log: (line: string) => lines.push(line) });
    const listed = await shopify.listOrders({ createdAtMin: '2026-01-15T11:00:00Z', limit: 0 });
    expect(listed.map((order) => order.id)).toEqual(['1']);
    expect(lines.some((line) => line.includes('skipped order 2 in an order list') && line.includes('total_price'))).toBe(true);
  });
});
