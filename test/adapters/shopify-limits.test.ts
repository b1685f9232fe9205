// Rate limits, error pages and bounded searches: the leaky bucket read from X-Shopify-Shop-Api-Call-Limit,
// 429s that keep coming, HTML 502 pages, and a store of 10,000 orders served with real Link/page_info paging.
import { afterEach, describe, expect, it } from 'vitest';
import { createShopifyChannel } from '../../src/adapters/shopify/client.js';
import { createShopifyPacer, parseCallLimit } from '../../src/adapters/shopify/pacing.js';
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { UpstreamError } from '../../src/core/errors.js';
import { createRecordingClock, startFakeServer, type FakeServer } from '../helpers/fake-server.js';
import { STORE_TOKEN, startFakeStore, type FakeStore, type FakeStoreOptions } from '../../fakes/shopify.js';

const API = `/admin/api/${SHOPIFY_API_VERSION}`;
const DAY = 86_400_000;
const PAGE = 250;

let store: FakeStore | undefined;
let server: FakeServer | undefined;

afterEach(async () => {
  await store?.close();
  await server?.close();
  store = undefined;
  server = undefined;
});

async function openStore(options: Partial<FakeStoreOptions> = {}) {
  const clock = createRecordingClock();
  store = await startFakeStore({ now: clock.now, ...options });
  const shopify = createShopifyChannel({ store: 'big-fake.myshopify.com', token: STORE_TOKEN, apiUrl: store.url, clock });
  return { clock, shopify, store };
}

const listRequests = (s: FakeStore) => s.requestsTo('GET', '/orders.json');
const reads = (s: FakeStore) => s.requests.filter((request) => /\/orders\/\d+\.json$/.test(request.path));

describe('shopify: the leaky bucket', () => {
  it('parses the call-limit header', () => {
    expect(parseCallLimit('32/40')).toEqual({ used: 32, size: 40 });
    expect(parseCallLimit('39/40, 39/40')).toEqual({ used: 39, size: 40 });
    expect(parseCallLimit('nonsense')).toBeUndefined();
    expect(parseCallLimit(undefined)).toBeUndefined();
  });

  it('waits about a second per call at or above size − 2, through the clock (recorded sleeps)', async () => {
    const readings = ['10/40', '38/40', '39/40', '40/40', '5/40', '5/40'];
    server = await startFakeServer({
      [`GET ${API}/shop.json`]: (_request, call) => ({
        headers: { 'x-shopify-shop-api-call-limit': readings[call] ?? '1/40' },
        body: { shop: { name: 'Paced', currency: 'USD' } },
      }),
    });
    const clock = createRecordingClock();
    const shopify = createShopifyChannel({ store: 'paced.myshopify.com', token: 't', apiUrl: server.url, clock });
    for (let i = 0; i < readings.length; i += 1) await shopify.check();
    // 2 requests a second at most: 500 ms after 10/40; then 38/40: 1 s; 39/40: 2 s; 40/40: 3 s; 5/40: 500 ms
    expect(clock.sleeps).toEqual([500, 1_000, 2_000, 3_000, 500]);
  });

  it('time spent elsewhere counts: a wait already served by the clock is not served twice', async () => {
    const clock = createRecordingClock();
    const pacer = createShopifyPacer(clock);
    pacer.observe({ 'x-shopify-shop-api-call-limit': '40/40' });
    await clock.sleep(2_000); // e.g. a poll interval
    await pacer.beforeRequest();
    expect(clock.sleeps).toEqual([2_000, 1_000]);
  });

  it('a long listing against a real bucket (40, leaking 2/s on the same clock): 2 requests a second, never a 429', async () => {
    const { shopify, store, clock } = await openStore({ orders: 10_000 });
    const orders = await shopify.listOrders({ createdAtMin: new Date(clock.now() - 61 * DAY).toISOString(), limit: 0 });
    expect(orders).toHaveLength(10_000);
    expect(store.requests).toHaveLength(40);
    expect(store.requests.every((request) => request.status === 200)).toBe(true);
    expect(clock.sleeps).toEqual(Array(39).fill(500));
  });

  it('another app filled the bucket: the listing slows down as the header says, and still never meets a 429', async () => {
    // another app made 37 calls just before and keeps calling once a second: the bucket drains at 1/s for us
    const { shopify, store, clock } = await openStore({ orders: 10_000, bucket: { size: 40, leakPerSecond: 1, startLevel: 37 } });
    const orders = await shopify.listOrders({ createdAtMin: new Date(clock.now() - 61 * DAY).toISOString(), limit: 0 });
    expect(orders).toHaveLength(10_000);
    expect(store.requests.every((request) => request.status === 200)).toBe(true);
    // the bucket reads 38/40 after the first request: each next request waits 1 s instead of 500 ms
    expect(clock.sleeps).toEqual(Array(39).fill(1_000));
  });

  it('repeated 429s on a long listing: it waits Retry-After each time and finishes the listing', async () => {
    const { shopify, store, clock } = await openStore({
      orders: 1_000,
      bucket: false,
      // the second page meets five 429s in a row (its sixth try, the last of the budget, gets through)
      onRequest: (request, s) => {
        if (request.query.has('page_info') && s.requests.filter((r) => r.query.has('page_info')).length === 1) s.faults.throttleNext = 5;
      },
    });
    const orders = await shopify.listOrders({ createdAtMin: new Date(clock.now() - 61 * DAY).toISOString(), limit: 0 });
    expect(orders).toHaveLength(1_000);
    const throttled = store.requests.filter((request) => request.status === 429);
    expect(throttled).toHaveLength(5);
    // never hammered: every request after a 429 came at least Retry-After (2 s) later on the clock
    for (let i = 1; i < store.requests.length; i += 1) {
      if (store.requests[i - 1]?.status === 429) expect((store.requests[i]?.at ?? 0) - (store.requests[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    }
    expect(clock.sleeps.filter((ms) => ms >= 2_000)).toHaveLength(5);
    expect(store.requests).toHaveLength(4 + 5);
  });

  it('a 429 that never ends: rate_limited after 6 spaced tries (the one budget per request, no rounds on top)', async () => {
    const { shopify, store } = await openStore({ orders: 10, bucket: false });
    store.faults.throttleNext = 1_000;
    const error = await shopify.listOrders({ createdAtMin: '2020-01-01T00:00:00Z', limit: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('rate_limited');
    expect(store.requests).toHaveLength(6);
    for (let i = 1; i < store.requests.length; i += 1) {
      expect((store.requests[i]?.at ?? 0) - (store.requests[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    }
  });
});

describe('shopify: HTML error pages', () => {
  it('an HTML 502 page is retried, then reported in plain words (never a crash)', async () => {
    const { shopify, store } = await openStore({ orders: 3, bucket: false });
    store.faults.html502Next = 10;
    const error = await shopify.findFirstOrderSince('2020-01-01T00:00:00Z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('upstream_error');
    expect((error as UpstreamError).message).toBe(`shopify answered GET ${API}/orders.json with 502 Bad Gateway: Something went wrong`);
    expect((error as UpstreamError).hint).toMatch(/problem on its side/);
    expect(store.requests).toHaveLength(6);
  });

  it('a passing 502 is absorbed by the retries', async () => {
    const { shopify, store } = await openStore({ orders: 3, bucket: false });
    store.faults.html502Next = 2;
    expect((await shopify.findFirstOrderSince('2020-01-01T00:00:00Z'))?.number).toBe('1001');
    expect(store.requests).toHaveLength(3);
  });
});

describe('shopify: bounded searches in a store of 10,000 orders', () => {
  // 10,000 orders spread evenly over the last 60 days (about 167 a day), the newest a minute old
  const N = 10_000;

  it('findFirstOrderSince: the order placed after the run began is one request', async () => {
    const { shopify, store, clock } = await openStore({ orders: N });
    const runStartedAt = new Date(clock.now()).toISOString();
    expect(await shopify.findFirstOrderSince(runStartedAt)).toBeNull();
    await clock.sleep(90_000);
    const placed = store.addOrder();
    store.requests.length = 0;
    const found = await shopify.findFirstOrderSince(runStartedAt);
    expect(found?.number).toBe(String(placed.number));
    expect(found?.address).toEqual({ present: true, hasZip: true, hasPhone: true });
    expect(store.requests).toHaveLength(1);
    expect(store.requests[0]?.query.get('fields')).toBe(
      'id,name,order_number,created_at,total_price,currency,cancelled_at,shipping_lines,shipping_address,fulfillments',
    );
  });

  it('findFirstOrderSince: a window of 600 orders is ceil(600/250) pages + 1 read', async () => {
    const { shopify, store } = await openStore({ orders: N });
    // 600 orders ≈ 3.6 days
    const since = store.orderByNumber(1001 + N - 600)?.createdAtMs ?? 0;
    const found = await shopify.findFirstOrderSince(new Date(since).toISOString());
    expect(found?.number).toBe(String(1001 + N - 600));
    expect(listRequests(store)).toHaveLength(Math.ceil(600 / PAGE));
    expect(reads(store)).toHaveLength(1);
  });

  it('findOrderByNumber: the newest is 2 requests; one 59 days old is ceil(k/250) + 1', async () => {
    const { shopify, store, clock } = await openStore({ orders: N });
    const since = new Date(clock.now() - 60 * DAY).toISOString();
    const newest = 1000 + N;
    expect((await shopify.findOrderByNumber(`#${newest}`, since))?.number).toBe(String(newest));
    expect(store.requests).toHaveLength(2);

    store.requests.length = 0;
    // the order created 59 days ago
    let old = 1001;
    while ((store.orderByNumber(old + 1)?.createdAtMs ?? Infinity) <= clock.now() - 59 * DAY) old += 1;
    const newer = newest - old; // orders listed before it
    const found = await shopify.findOrderByNumber(String(old), since);
    expect(found?.number).toBe(String(old));
    expect(listRequests(store)).toHaveLength(Math.floor(newer / PAGE) + 1);
    expect(reads(store)).toHaveLength(1);
    // the worst case stated in the adapter: ceil(N / 250) + 1
    expect(store.requests.length).toBeLessThanOrEqual(Math.ceil(N / PAGE) + 1);
    expect(store.requests.length).toBe(41);
    expect(store.requests.every((request) => request.status === 200)).toBe(true);
  });

  it('findOrderByNumber, not found: a number above the newest is 1 request; one older than the window reads the window, no more', async () => {
    const { shopify, store, clock } = await openStore({ orders: N });
    // the first page already holds lower numbers
    expect(await shopify.findOrderByNumber('99999', new Date(clock.now() - 60 * DAY).toISOString())).toBeNull();
    expect(store.requests).toHaveLength(1);
    // below every number: the worst case, every page of the window
    store.requests.length = 0;
    expect(await shopify.findOrderByNumber('999', new Date(clock.now() - 60 * DAY).toISOString())).toBeNull();
    expect(store.requests).toHaveLength(Math.ceil(N / PAGE));

    store.requests.length = 0;
    // --since 30d, an order 45 days old: every page of the 30-day window (about 5,000 orders), then null
    const since = clock.now() - 30 * DAY;
    const firstInWindow = [...Array(N).keys()].findIndex((i) => (store.orderByNumber(1001 + i)?.createdAtMs ?? 0) >= since);
    const inWindow = N - firstInWindow;
    expect(await shopify.findOrderByNumber('1500', new Date(since).toISOString())).toBeNull();
    expect(store.requests).toHaveLength(Math.ceil(inWindow / PAGE));
  });
});

describe("shopify: the command's abort signal", () => {
  it('ends a pacing pause for a full bucket at once, and the paced request is never sent', async () => {
    const { systemClock } = await import('../../src/core/clock.js');
    const { CancelledError } = await import('../../src/core/errors.js');
    server = await startFakeServer({
      [`GET ${API}/shop.json`]: () => ({ headers: { 'x-shopify-shop-api-call-limit': '40/40' }, body: { shop: { name: 'Full', currency: 'USD' } } }),
    });
    const controller = new AbortController();
    const shopify = createShopifyChannel({ store: 'full.myshopify.com', token: 'shpat_x', apiUrl: server.url, clock: systemClock, signal: controller.signal });
    await shopify.check();
    const started = Date.now();
    setTimeout(() => controller.abort(new CancelledError('SIGINT')), 100);
    await expect(shopify.check()).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });
});
