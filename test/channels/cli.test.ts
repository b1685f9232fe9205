// Each sales channel through the CLI, against a server that behaves as the vendor documents: connect with the
// base URL, then `orders --since 60d --limit 0` and `track <number>` with only the channel connected (the
// portal side is said to be missing, exit 8). Stores of 10,000 orders, and servers that answer some 429s.
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { startFakeBigCommerce } from '../../fakes/bigcommerce.js';
import { startFakeWooCommerce } from '../../fakes/woocommerce.js';

const DAY = 86_400_000;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  removeTempDirs();
});

/** 10,000 orders, one every 6 hours up to now: 240 of them in the last 60 days. */
const spacingMs = 6 * 3_600_000;
const firstAt = () => new Date(Date.now() - 9_999 * spacingMs - 60_000).toISOString();

function expectNewestFirst(orders: { createdAt: string }[]) {
  for (let i = 1; i < orders.length; i += 1) expect(Date.parse(orders[i - 1].createdAt)).toBeGreaterThanOrEqual(Date.parse(orders[i].createdAt));
}

/**
 * The path for one channel: connect with the base URL, list 60 days of orders (all of them), then track
 * the newest with only the channel connected (the portal side said missing, exit 8).
 */
async function connectListTrack(connectArgs: string[], env: Record<string, string>, expected: { min: number; max: number }) {
  const configDir = tempConfigDir();
  const connected = await cli(['connect', ...connectArgs, '--json'], { configDir, env });
  expect(connected.code, connected.stderr).toBe(0);

  const listed = await cli(['orders', '--since', '60d', '--limit', '0', '--json'], { configDir, env });
  expect(listed.code, listed.stderr).toBe(0);
  const orders = listed.json().orders as { number: string; createdAt: string; total: string }[];
  expect(orders.length).toBeGreaterThanOrEqual(expected.min);
  expect(orders.length).toBeLessThanOrEqual(expected.max);
  expectNewestFirst(orders);
  expect(orders.every((o) => Date.parse(o.createdAt) >= Date.now() - 60 * DAY - 60_000)).toBe(true);
  expect(orders[0].total).toMatch(/^\d+\.\d{2}$/);

  const tracked = await cli(['track', `#${orders[0].number}`, '--json'], { configDir, env });
  expect(tracked.code).toBe(8);
  expect(tracked.json()).toMatchObject({ stage: 'placed', order: { number: orders[0].number }, systems: { portal: { connected: false } } });
}

describe('WooCommerce', () => {
  it('connect, orders over 60 days of a 10,000-order store through 429s, and track with only the channel', async () => {
    const woo = await startFakeWooCommerce({
      orderCount: 10_000,
      firstOrderAt: firstAt(),
      orderIntervalMs: spacingMs,
      tooManyRequests: { first: 1, every: 5, retryAfter: '0' },
    });
    closers.push(() => woo.close());
    const env = { ONBOARD_WOOCOMMERCE_KEY: woo.consumerKey, ONBOARD_WOOCOMMERCE_SECRET: woo.consumerSecret };
    await connectListTrack(['woocommerce', '--url', woo.url], env, { min: 239, max: 241 });
  }, 60_000);
});

describe('BigCommerce', () => {
  it('connect, orders over 60 days of a 10,000-order store within its quota, and track with only the channel', async () => {
    const big = await startFakeBigCommerce({ orderCount: 10_000, firstCreatedAt: firstAt(), spacingMs, quota: 4, windowMs: 1_000, enforceQuota: true });
    closers.push(() => big.close());
    const env = { ONBOARD_BIGCOMMERCE_TOKEN: big.token };
    await connectListTrack(['bigcommerce', '--store-hash', big.storeHash, '--api-url', big.url], env, { min: 239, max: 241 });
  }, 60_000);
});

describe('Shopify', () => {
  it('connect, orders over 60 days of a 10,000-order store through 429s, and track with only the channel', async () => {
    const { startFakeStore, STORE_TOKEN } = await import('../../fakes/shopify.js');
    // 10,000 orders over 4,000 days: 150 of them in the last 60.
    const store = await startFakeStore({ orders: 10_000, spanMs: 4_000 * DAY, newestAgeMs: 60_000, bucket: false });
    closers.push(() => store.close());
    store.faults.throttleNext = 1;
    const env = { ONBOARD_SHOPIFY_TOKEN: STORE_TOKEN };
    await connectListTrack(['shopify', '--store', 'dealer-test.myshopify.com', '--api-url', store.url], env, { min: 148, max: 152 });
  }, 60_000);
});

describe('orders --since 1d against a host that ignores the date filter and sends no page count', () => {
  it("WooCommerce: lists the day's orders in at most 3 requests", async () => {
    // 3,000 orders every half hour up to now: 48 in the last day
    const woo = await startFakeWooCommerce({
      orderCount: 3_000,
      firstOrderAt: new Date(Date.now() - 2_999 * 1_800_000 - 60_000).toISOString(),
      orderIntervalMs: 1_800_000,
      ignoreDateFilter: true,
      noPageCount: true,
    });
    closers.push(() => woo.close());
    const env = { ONBOARD_WOOCOMMERCE_KEY: woo.consumerKey, ONBOARD_WOOCOMMERCE_SECRET: woo.consumerSecret };
    const configDir = tempConfigDir();
    expect((await cli(['connect', 'woocommerce', '--url', woo.url, '--json'], { configDir, env })).code).toBe(0);
    const before = woo.requestsTo('/wc/v3/orders', 'GET').length;
    const listed = await cli(['orders', '--since', '1d', '--json'], { configDir, env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json().orders.length).toBeGreaterThanOrEqual(47);
    expect(listed.json().orders.length).toBeLessThanOrEqual(49);
    expect(woo.requestsTo('/wc/v3/orders', 'GET').length - before).toBeLessThanOrEqual(3);
  }, 60_000);
});
