import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { bigCommerceErrorText, createBigCommerceChannel, parseVariantId, staffNote, toChannelOrder, toRfc2822 } from '../../src/adapters/bigcommerce/client.js';
import {
  bcOrderListSchema,
  bcOrderProductListSchema,
  bcOrderSchema,
  bcOrderStatusListSchema,
  bcShipmentSchema,
  bcShippingAddressListSchema,
  bcShippingAddressSchema,
  storeSchema,
} from '../../src/adapters/bigcommerce/schemas.js';
import { CREATE_SETTLE_MS } from '../../src/adapters/create-once.js';
import { AuthRejectedError, BadInputError, NotFoundError, UpstreamError } from '../../src/core/errors.js';
import { formatMoney, parseMoney } from '../../src/core/money.js';
import type { CreateOrderInput } from '../../src/core/ports.js';
import { createRecordingClock, type RecordingClock } from '../helpers/fake-server.js';
import { rfc2822, startFakeBigCommerce, type FakeBigCommerce, type FakeBigCommerceOptions } from '../../fakes/bigcommerce.js';

const PAYLOADS = '/work/shared/payloads';
const FIXTURES = fileURLToPath(new URL('../../fixtures/bigcommerce/', import.meta.url));
const START = Date.parse('2026-01-15T12:00:00.000Z');

let fake: FakeBigCommerce | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: FakeBigCommerceOptions = {}, extra: { token?: string; log?: (line: string) => void } = {}) {
  const clock: RecordingClock = createRecordingClock(START);
  const server = await startFakeBigCommerce({ now: () => clock.now(), ...options });
  fake = server;
  const channel = createBigCommerceChannel({
    storeHash: server.storeHash,
    token: extra.token ?? server.token,
    apiUrl: server.url,
    clock,
    log: extra.log,
  });
  return { clock, channel, server };
}

function input(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  return {
    variantId: '111',
    quantity: 1,
    email: 'dana@dealer.example',
    shipping: {
      name: 'Dana Q Dealer',
      address1: '12 Test Lane',
      city: 'Louisville',
      province: 'Kentucky',
      zip: '40202',
      country: 'us',
      phone: '5025550100',
    },
    shippingTitle: 'Standard Ground (3-5 days)',
    shippingPrice: parseMoney('5.00', 'USD'),
    idempotencyKey: 'onb-7f3a9c',
    ...overrides,
  };
}

function json<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

describe('bigcommerce: check and credentials', () => {
  it('proves the token with GET /v2/orders?limit=1, names the store from /v2/store; X-Auth-Token and Accept sent', async () => {
    const { channel, server } = await setup();
    expect(channel.system).toBe('bigcommerce');
    expect(channel.capabilities).toEqual({ createOrder: true, suggestItems: true });
    expect(await channel.check()).toEqual({ account: "Dana's Dealer Test Store" });
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /stores/abc123/v2/orders', 'GET /stores/abc123/v2/store']);
    expect(server.requests[0]?.query).toEqual({ limit: '1' });
    expect(server.requests[0]?.status).toBe(204); // an empty store: 204, no body, still a pass
    for (const request of server.requests) {
      expect(request.headers['x-auth-token']).toBe(server.token);
      expect(request.headers['accept']).toBe('application/json');
    }
  });

  it('an API account without the Information & settings scope still passes, named by its hash', async () => {
    const { channel } = await setup({ scopes: ['orders'] });
    expect(await channel.check()).toEqual({ account: 'BigCommerce store abc123' });
  });

  it('401 → AuthRejectedError naming X-Auth-Token, with where to create the API account and its scopes; never retried, token never shown', async () => {
    const lines: string[] = [];
    const wrong = 'wrong-token-9876543210';
    const { channel, server } = await setup({}, { token: wrong, log: (line) => lines.push(line) });
    const error = await channel.check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect((error as AuthRejectedError).system).toBe('bigcommerce');
    expect((error as AuthRejectedError).code).toBe('auth_rejected');
    expect((error as Error).message).toContain('access token (X-Auth-Token)');
    expect((error as Error).message).toContain('The access token is invalid or has been revoked.');
    const hint = (error as AuthRejectedError).hint ?? '';
    expect(hint).toContain('Settings → API → Store-level API accounts');
    expect(hint).toContain('Orders: read-only');
    expect(hint).toContain('Orders: modify');
    expect(hint).toContain('Products: read-only');
    expect(server.requests).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(wrong);
    expect(JSON.stringify(error)).not.toContain(wrong);
  });

  it('403 on orders → AuthRejectedError naming the Orders: read-only scope', async () => {
    const { channel } = await setup({ scopes: ['products', 'information'] });
    const error = await channel.listOrders({ createdAtMin: '2026-01-01T00:00:00.000Z', limit: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect((error as Error).message).toContain('lacks the Orders: read-only scope');
    expect((error as Error).message).toContain("You don't have a required scope");
    expect((error as AuthRejectedError).hint).toContain('Store-level API accounts');
  });

  it('403 on create with a read-only account → names Orders: modify', async () => {
    const { channel, server } = await setup({ scopes: ['orders', 'products', 'information'] });
    const error = await channel.createOrder?.(input()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect((error as Error).message).toContain('lacks the Orders: modify scope');
    expect(server.created).toHaveLength(0);
  });

  it('rejects a store hash that is not one before any request', () => {
    const clock = createRecordingClock(START);
    expect(() => createBigCommerceChannel({ storeHash: 'abc/../x', token: 't', clock })).toThrow(BadInputError);
  });
});

describe('bigcommerce: listing orders', () => {
  const SINCE = '2025-01-01T00:00:00.000Z';

  it('newest first, 250 a page, page=N until the 204 past the last page', async () => {
    const { channel, server } = await setup({ orderCount: 500 });
    const orders = await channel.listOrders({ createdAtMin: SINCE, limit: 0 });
    expect(orders).toHaveLength(500);
    expect(orders[0]).toMatchObject({ id: '599', number: '599', name: '#599', createdAt: '2025-01-21T19:00:00.000Z', currency: 'USD', shippingMethod: null });
    expect(orders.map((order) => Number(order.number))).toEqual(Array.from({ length: 500 }, (_, i) => 599 - i));
    const list = server.requestsTo('GET', '/v2/orders');
    expect(list.map((request) => request.query)).toEqual(
      [1, 2, 3].map((page) => ({
        min_date_created: 'Wed, 01 Jan 2025 00:00:00 +0000',
        sort: 'date_created:desc',
        limit: '250',
        page: String(page),
      })),
    );
    expect(list.map((request) => request.status)).toEqual([200, 200, 204]);
  });

  it('stops at a short page without asking for the next', async () => {
    const { channel, server } = await setup({ orderCount: 260 });
    expect(await channel.listOrders({ createdAtMin: SINCE, limit: 0 })).toHaveLength(260);
    expect(server.requests).toHaveLength(2);
  });

  it('min_date_created filters on the server; stops at the limit', async () => {
    const { channel, server } = await setup({ orderCount: 1000 });
    // orders are one an hour from 2025-01-01T00:00Z: order 100+k at hour k
    const orders = await channel.listOrders({ createdAtMin: '2025-01-11T00:00:00.000Z', limit: 30 });
    expect(orders.map((order) => order.number)).toEqual(Array.from({ length: 30 }, (_, i) => String(1099 - i)));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.query).toMatchObject({ limit: '30', page: '1', min_date_created: 'Sat, 11 Jan 2025 00:00:00 +0000' });
    const all = await channel.listOrders({ createdAtMin: '2025-02-11T00:00:00.000Z', limit: 0 });
    expect(all.at(-1)?.createdAt).toBe('2025-02-11T00:00:00.000Z');
    expect(all).toHaveLength(1000 - 41 * 24);
  });

  it('no orders: a 204 with no body is an empty list', async () => {
    const { channel, server } = await setup();
    expect(await channel.listOrders({ createdAtMin: SINCE, limit: 0 })).toEqual([]);
    expect(server.requests.map((request) => request.status)).toEqual([204]);
  });

  it('totals are exact 4-decimal amounts', async () => {
    const { channel, server } = await setup();
    server.addOrder({ total: '12.3400' });
    server.addOrder({ total: '0.0100' });
    const orders = await channel.listOrders({ createdAtMin: '2026-01-15T12:00:00.000Z', limit: 0 });
    expect(orders.map((order) => order.total)).toEqual([
      { units: 100n, scale: 4, currency: 'USD' },
      { units: 123400n, scale: 4, currency: 'USD' },
    ]);
  });
});

describe('bigcommerce: finding the test order', () => {
  it('findFirstOrderSince in a store of 10,000 orders: one filtered list request plus the two sub-resources', async () => {
    const { channel, server } = await setup({ orderCount: 10_000 });
    const newest = server.orders[server.orders.length - 1];
    expect(newest?.id).toBe(10_099);
    const order = await channel.findFirstOrderSince(new Date(newest?.createdMs ?? 0).toISOString());
    expect(order?.number).toBe('10099');
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((request) => request.route)).toEqual(['/v2/orders', '/v2/orders/10099/shipping_addresses', '/v2/orders/10099/shipments']);
    expect(server.requests[0]?.query).toEqual({ min_date_created: rfc2822(newest?.createdMs ?? 0), sort: 'date_created:asc', limit: '1' });
  });

  it('findFirstOrderSince picks the oldest at or after the time (not the newest), in one list request', async () => {
    const { channel, server } = await setup({ orderCount: 10_000 });
    // between order 5099 (hour 4999) and 5100 (hour 5000)
    const at = new Date(Date.parse('2025-01-01T00:00:00Z') + 4999.5 * 3_600_000).toISOString();
    const order = await channel.findFirstOrderSince(at);
    expect(order?.number).toBe('5100');
    expect(server.requestsTo('GET', '/v2/orders')).toHaveLength(1);
  });

  it('findFirstOrderSince: an order created in the same second as the start counts (BigCommerce keeps whole seconds)', async () => {
    const { channel, server, clock } = await setup();
    const placed = server.addOrder({ createdMs: clock.now() });
    expect(await channel.findFirstOrderSince(new Date(clock.now() + 400).toISOString())).toMatchObject({ number: String(placed.id) });
  });

  it('findFirstOrderSince returns null after one request when nothing is newer (204)', async () => {
    const { channel, server } = await setup({ orderCount: 10_000 });
    expect(await channel.findFirstOrderSince('2026-06-01T00:00:00.000Z')).toBeNull();
    expect(server.requests.map((request) => request.status)).toEqual([204]);
  });

  it('the newest order of 10,000 as a summary is one request (listOrders limit 1)', async () => {
    const { channel, server } = await setup({ orderCount: 10_000 });
    const [newest] = await channel.listOrders({ createdAtMin: '2020-01-01T00:00:00.000Z', limit: 1 });
    expect(newest?.number).toBe('10099');
    expect(server.requests).toHaveLength(1);
  });

  it('findOrderByNumber is a direct GET /v2/orders/{id}, whatever its date', async () => {
    const { channel, server } = await setup({ orderCount: 50 });
    const order = await channel.findOrderByNumber('#105', '2026-01-01T00:00:00.000Z');
    expect(order).toMatchObject({ id: '105', number: '105', name: '#105', createdAt: '2025-01-01T05:00:00.000Z' });
    expect(server.requests.map((request) => request.route)).toEqual(['/v2/orders/105', '/v2/orders/105/shipping_addresses', '/v2/orders/105/shipments']);
  });

  it('findOrderByNumber: an unknown number is null (404), a non-number is null without a request', async () => {
    const { channel, server } = await setup({ orderCount: 5 });
    expect(await channel.findOrderByNumber('999', '2026-01-01T00:00:00.000Z')).toBeNull();
    expect(server.requests.map((request) => request.status)).toEqual([404]);
    expect(await channel.findOrderByNumber('#abc', '2026-01-01T00:00:00.000Z')).toBeNull();
    expect(server.requests).toHaveLength(1);
  });
});

describe('bigcommerce: reading an order', () => {
  it('maps money exactly ("12.3400" → 123400n at scale 4, shown 12.34), RFC 2822 → ISO UTC, the address and tracking', async () => {
    const { channel, server } = await setup();
    const shipment = json<Record<string, unknown>>(join(FIXTURES, 'shipment.json'));
    const placed = server.addOrder({
      total: '12.3400',
      createdMs: Date.parse('2026-01-15T07:30:05-05:00'),
      shipments: [
        shipment,
        {
          ...shipment,
          id: 52,
          tracking_number: '1Z999AA10123456784',
          shipping_provider: '',
          shipping_provider_display_name: '',
          tracking_carrier: 'ups',
          tracking_link: 'https://track.example/1Z999AA10123456784',
          generated_tracking_link: '',
        },
        { ...shipment, id: 53, tracking_number: '' },
      ],
    });
    const order = await channel.getOrder(String(placed.id));
    expect(order).toEqual({
      channel: 'bigcommerce',
      id: String(placed.id),
      number: String(placed.id),
      name: `#${placed.id}`,
      createdAt: '2026-01-15T12:30:05.000Z',
      total: { units: 123400n, scale: 4, currency: 'USD' },
      currency: 'USD',
      shippingTitle: 'Standard Ground (3-5 days)',
      address: { present: true, hasZip: true, hasPhone: true },
      cancelled: false,
      tracking: [
        { number: '9400111899223197428490', carrier: 'USPS', url: 'https://tools.usps.com/go/TrackConfirmAction.action?tLabels=9400111899223197428490' },
        { number: '1Z999AA10123456784', carrier: 'ups', url: 'https://track.example/1Z999AA10123456784' },
      ],
    });
    expect(formatMoney(order.total)).toBe('12.34');
    // the sub-resources are read at their documented paths, not the links' (shippingaddresses, api.bigcommerce.com)
    expect(server.requests.map((request) => request.path)).toEqual([
      `/stores/abc123/v2/orders/${placed.id}`,
      `/stores/abc123/v2/orders/${placed.id}/shipping_addresses`,
      `/stores/abc123/v2/orders/${placed.id}/shipments`,
    ]);
  });

  it('an unshipped order: shipments answer 204, no tracking; date_shipped ""; no phone on the shipping address', async () => {
    const { channel, server } = await setup();
    const placed = server.addOrder({ shippingAddresses: [{ phone: '', zip: '40202', shipping_method: 'Free Shipping' }] });
    const order = await channel.getOrder(String(placed.id));
    expect(order.tracking).toEqual([]);
    expect(order.address).toEqual({ present: true, hasZip: true, hasPhone: false });
    expect(order.shippingTitle).toBe('Free Shipping');
    expect(server.requestsTo('GET', '/v2/orders/*/shipments').map((request) => request.status)).toEqual([204]);
  });

  it('a cancelled order (status_id 5) and an order without a shipping address', async () => {
    const { channel, server } = await setup();
    const placed = server.addOrder({ statusId: 5, shippingAddresses: [] });
    const order = await channel.getOrder(String(placed.id));
    expect(order.cancelled).toBe(true);
    expect(order.address).toEqual({ present: false, hasZip: false, hasPhone: false });
    expect(order.shippingTitle).toBeNull();
  });

  it('404 → NotFoundError; a non-numeric id → NotFoundError without a request', async () => {
    const { channel, server } = await setup();
    await expect(channel.getOrder('4242')).rejects.toBeInstanceOf(NotFoundError);
    await expect(channel.getOrder('4242')).rejects.toThrow('BigCommerce has no order 4242 in store abc123');
    await expect(channel.getOrder('abc')).rejects.toBeInstanceOf(NotFoundError);
    expect(server.requests).toHaveLength(2);
  });

  it('an error array becomes a clear message', async () => {
    const { channel, server } = await setup({ orderCount: 10 });
    server.failNext('GET', '/v2/orders/105', {
      status: 422,
      body: [
        { status: 422, message: "The field 'status_id' is invalid." },
        { status: 422, message: 'Another problem.' },
      ],
    });
    const error = await channel.getOrder('105').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toBe("BigCommerce answered 422: The field 'status_id' is invalid.; Another problem.");
  });

  it('a 5xx on a GET is retried with backoff (with jitter) through the clock', async () => {
    const { channel, server, clock } = await setup({ orderCount: 10 });
    server.failNext('GET', '/v2/orders/105', { status: 500, body: '<html><title>Internal Server Error</title></html>' });
    expect((await channel.getOrder('105')).number).toBe('105');
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(750);
  });

  it('a body that does not match → unexpected_response naming the field', async () => {
    const { channel, server } = await setup({ orderCount: 10 });
    server.failNext('GET', '/v2/orders/105', {
      status: 200,
      body: { id: 105, date_created: 'Thu, 15 Jan 2026 12:00:00 +0000', status_id: 11, total_inc_tax: 'lots', currency_code: 'USD' },
    });
    await expect(channel.getOrder('105')).rejects.toMatchObject({ code: 'unexpected_response', message: expect.stringContaining('total_inc_tax') });
  });
});

describe('bigcommerce: rate limits', () => {
  it('429 with the headers waits X-Rate-Limit-Time-Reset-Ms; without them backs off with jitter (1–1.5 s, 2–3 s); then succeeds', async () => {
    const { channel, server, clock } = await setup({ orderCount: 10 });
    server.queue429(['headers', 'bare', 'bare', 'headers'], 15_000);
    expect((await channel.getOrder('105')).number).toBe('105');
    expect(clock.sleeps).toHaveLength(4);
    expect(clock.sleeps[0]).toBe(15_000);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(1_000);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(1_500);
    expect(clock.sleeps[2]).toBeGreaterThanOrEqual(2_000);
    expect(clock.sleeps[2]).toBeLessThanOrEqual(3_000);
    expect(clock.sleeps[3]).toBe(15_000);
    expect(server.rateLimited).toHaveLength(4);
    expect(server.requests.map((request) => request.status)).toEqual([429, 429, 429, 429, 200, 200, 204]);
  });

  it('Requests-Left 0 paces the next request by Time-Reset-Ms, so a real quota is never exceeded', async () => {
    const { channel, server, clock } = await setup({ orderCount: 1000, quota: 3, windowMs: 30_000, enforceQuota: true });
    const orders = await channel.listOrders({ createdAtMin: '2020-01-01T00:00:00.000Z', limit: 0 });
    expect(orders).toHaveLength(1000);
    // pages 1–4 full, page 5 → 204: five requests, a pause after every third
    expect(server.requests).toHaveLength(5);
    expect(server.rateLimited).toEqual([]);
    expect(clock.sleeps).toEqual([30_000]);
    expect(server.requests.map((request) => request.status)).toEqual([200, 200, 200, 200, 204]);
  });

  it('a client that ignored the quota would be refused: the fake enforces it (and the adapter recovers)', async () => {
    const { server } = await setup({ quota: 2, enforceQuota: true });
    const ask = () => fetch(`${server.url}/stores/abc123/v2/orders`, { headers: { 'X-Auth-Token': server.token } });
    expect((await ask()).status).toBe(204);
    const second = await ask();
    expect(second.headers.get('x-rate-limit-requests-left')).toBe('0');
    const third = await ask();
    expect(third.status).toBe(429);
    expect(third.headers.get('x-rate-limit-time-reset-ms')).toBe('30000');
    expect(await third.json()).toEqual([{ status: 429, message: 'You have exceeded your request quota.' }]);
  });

  it('429s for several quota windows are waited out within the budget of 6 tries', async () => {
    const { channel, server, clock } = await setup({ orderCount: 10 });
    server.queue429(['headers', 'headers', 'headers', 'headers', 'headers'], 30_000);
    expect((await channel.getOrder('101')).number).toBe('101');
    expect(clock.sleeps).toEqual([30_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('a 429 storm past the budget: rate_limited after 6 tries, each after Time-Reset-Ms', async () => {
    const { channel, server, clock } = await setup({ orderCount: 10 });
    server.queue429(['headers', 'headers', 'headers', 'headers', 'headers', 'headers', 'headers'], 30_000);
    const error = await channel.getOrder('101').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(server.rateLimited).toHaveLength(6);
    expect(clock.sleeps).toEqual([30_000, 30_000, 30_000, 30_000, 30_000]);
  });
});

describe('bigcommerce: creating the test order', () => {
  it('POST /v2/orders: catalog product, shipping method title, Awaiting Fulfillment, staff_notes key; 200 answer mapped', async () => {
    const { channel, server } = await setup();
    const order = await channel.createOrder?.(input());
    const posts = server.requestsTo('POST', '/v2/orders');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(posts[0]?.body ?? '{}') as Record<string, unknown>;
    const address = {
      first_name: 'Dana Q',
      last_name: 'Dealer',
      street_1: '12 Test Lane',
      city: 'Louisville',
      state: 'Kentucky',
      zip: '40202',
      country: 'United States',
      country_iso2: 'US',
      phone: '5025550100',
      email: 'dana@dealer.example',
    };
    expect(body).toEqual({
      customer_id: 0,
      status_id: 11,
      billing_address: address,
      shipping_addresses: [{ ...address, shipping_method: 'Standard Ground (3-5 days)' }],
      products: [{ product_id: 111, quantity: 1 }],
      shipping_cost_inc_tax: '5.00',
      shipping_cost_ex_tax: '5.00',
      staff_notes: staffNote('onb-7f3a9c'),
    });
    expect(server.created).toHaveLength(1);
    expect(order).toMatchObject({
      number: String(server.created[0]?.id),
      total: { units: 84900n, scale: 4, currency: 'USD' },
      shippingTitle: 'Standard Ground (3-5 days)',
      address: { present: true, hasZip: true, hasPhone: true },
      tracking: [],
    });
    expect(formatMoney(order?.total ?? parseMoney('0', 'USD'))).toBe('8.49');
  });

  it('a variant "product:variant" sends its option values as product_options; a 201 is accepted too', async () => {
    const { channel, server } = await setup({ createStatus: 201 });
    const order = await channel.createOrder?.(input({ variantId: '112:1122', quantity: 2 }));
    expect(server.requestsTo('GET', '/v3/catalog/products/112/variants/1122')).toHaveLength(1);
    const body = JSON.parse(server.requestsTo('POST', '/v2/orders')[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body['products']).toEqual([{ product_id: 112, quantity: 2, product_options: [{ id: 71, value: '502' }] }]);
    expect(order?.total).toEqual({ units: 145000n, scale: 4, currency: 'USD' });
  });

  it('a bad variant id is bad input; an unknown variant is not found; nothing is posted', async () => {
    const { channel, server } = await setup();
    await expect(channel.createOrder?.(input({ variantId: 'gid://x' }))).rejects.toBeInstanceOf(BadInputError);
    await expect(channel.createOrder?.(input({ variantId: '112:9' }))).rejects.toBeInstanceOf(NotFoundError);
    expect(server.requestsTo('POST', '/v2/orders')).toHaveLength(0);
  });

  it('exactly once when the connection drops after the server created the order: looks for it, does not post again', async () => {
    const lines: string[] = [];
    const { channel, server } = await setup({ orderCount: 300 }, { log: (line) => lines.push(line) });
    server.dropAfterCreate();
    const order = await channel.createOrder?.(input());
    expect(server.requestsTo('POST', '/v2/orders')).toHaveLength(1);
    expect(server.created).toHaveLength(1);
    expect(order?.number).toBe(String(server.created[0]?.id));
    const looks = server.requestsTo('GET', '/v2/orders');
    expect(looks).toHaveLength(1);
    expect(looks[0]?.query).toMatchObject({ sort: 'date_created:desc', limit: '250', page: '1', min_date_created: 'Thu, 15 Jan 2026 11:45:00 +0000' });
    expect(lines.some((line) => line.includes('looking for the order'))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(server.token);
  });

  it('when the connection drops before anything was created: looks, finds nothing, posts once more', async () => {
    const { channel, server } = await setup();
    server.dropBeforeCreate();
    const order = await channel.createOrder?.(input());
    expect(server.requestsTo('POST', '/v2/orders')).toHaveLength(2);
    expect(server.created).toHaveLength(1);
    expect(order?.number).toBe(String(server.created[0]?.id));
  });

  it('a 5xx on the POST: looks (after the settle wait) before trying again; a 429 on the POST is simply sent again after the wait', async () => {
    const { channel, server, clock } = await setup();
    server.failNext('POST', '/v2/orders', { status: 502, body: '<html>Bad Gateway</html>' });
    await channel.createOrder?.(input());
    expect(server.requests.map((request) => `${request.method} ${request.route} ${request.status}`).slice(0, 3)).toEqual([
      'POST /v2/orders 502',
      'GET /v2/orders 204',
      'POST /v2/orders 200',
    ]);
    server.queue429(['headers'], 5_000);
    await channel.createOrder?.(input({ idempotencyKey: 'onb-second' }));
    expect(clock.sleeps).toEqual([CREATE_SETTLE_MS, 5_000]);
    expect(server.created).toHaveLength(2);
  });

  it('gives up, without a third POST, when both answers are lost and nothing was created', async () => {
    const { channel, server } = await setup();
    server.dropBeforeCreate(2);
    await expect(channel.createOrder?.(input())).rejects.toMatchObject({ code: 'upstream_error' });
    expect(server.requestsTo('POST', '/v2/orders')).toHaveLength(2);
    expect(server.created).toHaveLength(0);
  });

  it('findCreatedOrder finds the order carrying the key in staff_notes, or null', async () => {
    const { channel, server } = await setup({ orderCount: 600, firstCreatedAt: '2026-01-01T00:00:00Z', spacingMs: 60_000 });
    server.order(350)!.staffNotes = staffNote('onb-abc');
    const found = await channel.findCreatedOrder?.('onb-abc', '2026-01-01T00:00:00.000Z');
    expect(found?.number).toBe('350');
    expect(await channel.findCreatedOrder?.('onb-missing', '2026-01-01T00:00:00.000Z')).toBeNull();
  });
});

describe('bigcommerce: item suggestions (v3 catalog)', () => {
  it('cheapest purchasable physical items first: visible, available, in stock, not purchasing-disabled', async () => {
    const { channel, server } = await setup();
    const items = await channel.suggestItems?.({ limit: 5 });
    expect(items).toEqual([
      { variantId: '111', title: 'Valve Stem Cap (4 pack)', price: { units: 349n, scale: 2, currency: 'USD' }, vendor: null, sku: 'VSC-4' },
      { variantId: '112:1122', title: 'Microfiber Towel — Gray', price: { units: 475n, scale: 2, currency: 'USD' }, vendor: null, sku: 'MFT-GRY' },
      { variantId: '114', title: 'Tire Pressure Gauge', price: { units: 799n, scale: 2, currency: 'USD' }, vendor: null, sku: 'TPG' },
    ]);
    const query = server.requestsTo('GET', '/v3/catalog/products')[0]?.query;
    expect(query).toMatchObject({ sort: 'price', direction: 'asc', is_visible: 'true', availability: 'available', type: 'physical', include: 'variants' });
  });

  it('a vendor that is a brand filters by brand_id; one that is not searches by keyword; limit is kept', async () => {
    const { channel, server } = await setup();
    const branded = await channel.suggestItems?.({ vendor: 'US Direct', limit: 5 });
    expect(branded?.map((item) => [item.variantId, item.vendor])).toEqual([
      ['111', 'US Direct'],
      ['112:1122', 'US Direct'],
    ]);
    expect(server.requestsTo('GET', '/v3/catalog/brands')[0]?.query).toEqual({ name: 'US Direct' });
    expect(server.requestsTo('GET', '/v3/catalog/products')[0]?.query['brand_id']).toBe('37');
    const keyword = await channel.suggestItems?.({ vendor: 'Towel', limit: 5 });
    expect(keyword?.map((item) => item.variantId)).toEqual(['112:1122']);
    expect(await channel.suggestItems?.({ limit: 1 })).toHaveLength(1);
  });
});

describe('bigcommerce: helpers', () => {
  it("toRfc2822 floors to the second in BigCommerce's own format", () => {
    expect(toRfc2822('2026-01-15T12:00:00.999Z')).toBe('Thu, 15 Jan 2026 12:00:00 +0000');
    expect(toRfc2822('2026-01-15T07:00:00-05:00')).toBe('Thu, 15 Jan 2026 12:00:00 +0000');
  });

  it('parseVariantId: "product" or "product:variant"', () => {
    expect(parseVariantId('111')).toEqual({ productId: 111, variantId: null });
    expect(parseVariantId(' 112:1122 ')).toEqual({ productId: 112, variantId: 1122 });
    expect(() => parseVariantId('112:')).toThrow(BadInputError);
  });

  it('error texts of v2 arrays and v3 objects', () => {
    expect(bigCommerceErrorText('[{"status":404,"message":"The requested resource was not found."}]')).toBe('The requested resource was not found.');
    expect(bigCommerceErrorText('{"status":422,"title":"Invalid sort","type":"x","errors":{"sort":"bad"}}')).toBe('Invalid sort; sort: bad');
    expect(bigCommerceErrorText('<html>oops</html>')).toBeUndefined();
  });
});

// skipped (not failed) where the shared payload folder is absent
describe(`bigcommerce: the vendor payloads and our fixtures parse (vendor ones skipped when ${PAYLOADS} does not exist)`, () => {
  const present = existsSync(PAYLOADS);
  const names = present ? readdirSync(PAYLOADS).filter((name) => /^bigcommerce-(order|orders-list).*\.json$/.test(name)) : [];
  // request bodies (what a client sends) are not responses to parse
  const responses = names.filter((name) => !name.endsWith('-request.json'));
  const schemaFor = (name: string): z.ZodType | undefined => {
    if (name === 'bigcommerce-order.json') return bcOrderSchema;
    if (name === 'bigcommerce-orders-list.json') return bcOrderListSchema;
    if (name === 'bigcommerce-order-shipment.json') return bcShipmentSchema;
    if (name === 'bigcommerce-order-shipping-addresses.json') return bcShippingAddressListSchema;
    if (name === 'bigcommerce-order-products.json') return bcOrderProductListSchema;
    if (name === 'bigcommerce-order-statuses.json') return bcOrderStatusListSchema;
    return undefined;
  };

  it.skipIf(!present)(`every ${PAYLOADS}/bigcommerce-order*.json response and the orders list parse`, () => {
    expect(responses).toEqual(expect.arrayContaining(['bigcommerce-order.json', 'bigcommerce-orders-list.json']));
    for (const name of responses) {
      const schema = schemaFor(name);
      expect(schema, `${name}: no schema for it`).toBeDefined();
      const result = schema!.safeParse(json(join(PAYLOADS, name)));
      expect(result.success, `${name}: ${result.success ? '' : JSON.stringify(result.error.issues[0])}`).toBe(true);
    }
  });

  it.skipIf(!present)('the vendor order maps exactly: 69.8400 at scale 4, RFC 2822 date, "None" as no shipping method, USPS tracking', () => {
    const order = bcOrderSchema.parse(json(join(PAYLOADS, 'bigcommerce-order.json')));
    const addresses = bcShippingAddressListSchema.parse(json(join(PAYLOADS, 'bigcommerce-order-shipping-addresses.json')));
    const shipment = bcShipmentSchema.parse(json(join(PAYLOADS, 'bigcommerce-order-shipment.json')));
    const mapped = toChannelOrder(order, addresses, [shipment]);
    expect(mapped).toMatchObject({
      id: '218',
      number: '218',
      name: '#218',
      createdAt: '2019-03-05T21:40:11.000Z',
      total: { units: 698400n, scale: 4, currency: 'USD' },
      // "None": checkout let the customer skip shipping; there is no title to map
      shippingTitle: null,
      shippingSkipped: true,
      address: { present: true, hasZip: true, hasPhone: false },
      cancelled: false,
      tracking: [
        { number: 'EJ958083578US', carrier: 'USPS', url: 'http://trkcnfrm1.smi.usps.com/PTSInternetWeb/InterLabelInquiry.do?strOrigTrackNum=EJ958083578US' },
      ],
    });
    expect(formatMoney(mapped.total)).toBe('69.84');
    const [listed] = bcOrderListSchema.parse(json(join(PAYLOADS, 'bigcommerce-orders-list.json')));
    expect(listed?.date_shipped).toBe('');
    expect(bigCommerceErrorText(readFileSync(join(PAYLOADS, 'bigcommerce-error-404.json'), 'utf8'))).toBe('The requested resource was not found.');
  });

  it('our fixtures parse through the same schemas', () => {
    expect(bcOrderSchema.safeParse(json(join(FIXTURES, 'order.json'))).success).toBe(true);
    expect(bcShippingAddressSchema.safeParse(json(join(FIXTURES, 'shipping-address.json'))).success).toBe(true);
    expect(bcShipmentSchema.safeParse(json(join(FIXTURES, 'shipment.json'))).success).toBe(true);
    expect(storeSchema.safeParse(json(join(FIXTURES, 'store.json'))).success).toBe(true);
  });
});

describe("bigcommerce: the command's abort signal", () => {
  it('ends the wait for a spent rate-limit window at once, and the waiting request is never sent', async () => {
    const { systemClock } = await import('../../src/core/clock.js');
    const { CancelledError } = await import('../../src/core/errors.js');
    const server = await startFakeBigCommerce({ orderCount: 3, quota: 3, windowMs: 30_000, enforceQuota: true });
    fake = server;
    const controller = new AbortController();
    const channel = createBigCommerceChannel({
      storeHash: server.storeHash,
      token: server.token,
      apiUrl: server.url,
      clock: systemClock,
      signal: controller.signal,
    });
    await channel.getOrder(String(server.orders[0]?.id));
    const sent = server.requests.length;
    const started = Date.now();
    setTimeout(() => controller.abort(new CancelledError('SIGTERM')), 100);
    await expect(channel.listOrders({ createdAtMin: '2020-01-01T00:00:00Z', limit: 0 })).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests.length).toBe(sent);
  });
});
