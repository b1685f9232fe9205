// How many requests each channel adapter makes to find the test order in a store of 10,000 orders, and how
// long that takes here (the adapters' pacing runs on a virtual clock, so the times are the requests' own).
// It fails when a search makes more requests than the README states. Run: npm run bench:find-order
import { describe, expect, it } from 'vitest';
import { createBigCommerceChannel } from '../src/adapters/bigcommerce/client.js';
import { createShopifyChannel } from '../src/adapters/shopify/client.js';
import { createWooCommerceChannel } from '../src/adapters/woocommerce/client.js';
import type { ChannelPort } from '../src/core/ports.js';
import { startFakeBigCommerce } from '../fakes/bigcommerce.js';
import { createRecordingClock } from '../fakes/clock.js';
import { STORE_TOKEN, startFakeStore } from '../fakes/shopify.js';
import { startFakeWooCommerce } from '../fakes/woocommerce.js';

const ORDERS = 10_000;
const DAY = 86_400_000;
const rows: string[] = [];

async function measure(channel: string, search: string, requestsBefore: () => number, run: () => Promise<unknown>, bound: number) {
  const before = requestsBefore();
  const started = performance.now();
  const found = await run();
  const ms = performance.now() - started;
  const requests = requestsBefore() - before;
  rows.push(`${channel.padEnd(12)} ${search.padEnd(52)} ${String(requests).padStart(8)} ${String(bound).padStart(8)} ${ms.toFixed(0).padStart(7)} ms`);
  expect(found).toBeTruthy();
  expect(requests).toBeLessThanOrEqual(bound);
}

describe(`finding the test order in a store of ${ORDERS} orders`, () => {
  it('Shopify', async () => {
    const clock = createRecordingClock(Date.now());
    const store = await startFakeStore({ orders: ORDERS, spanMs: 60 * DAY, newestAgeMs: 60_000, now: clock.now, bucket: false });
    try {
      const channel: ChannelPort = createShopifyChannel({ store: 'bench.myshopify.com', token: STORE_TOKEN, apiUrl: store.url, clock });
      const runStart = new Date(clock.now()).toISOString();
      const placed = store.addOrder(clock.now() + 1_000);
      const count = () => store.requests.length;
      await measure('Shopify', 'the first order after the run began', count, () => channel.findFirstOrderSince(runStart), 1);
      await measure(
        'Shopify',
        `by number: the newest (#${placed.number})`,
        count,
        () => channel.findOrderByNumber(String(placed.number), new Date(clock.now() - 60 * DAY).toISOString()),
        2,
      );
      const old = placed.number - ORDERS + 5;
      await measure(
        'Shopify',
        `by number: 59 days old (#${old})`,
        count,
        () => channel.findOrderByNumber(String(old), new Date(clock.now() - 60 * DAY).toISOString()),
        Math.ceil(ORDERS / 250) + 1,
      );
    } finally {
      await store.close();
    }
  }, 120_000);

  it('WooCommerce', async () => {
    const clock = createRecordingClock(Date.now());
    const spacing = 6 * 60_000;
    const woo = await startFakeWooCommerce({
      orderCount: ORDERS,
      firstOrderAt: new Date(clock.now() - ORDERS * spacing).toISOString(),
      orderIntervalMs: spacing,
      now: clock.now,
    });
    try {
      const channel = createWooCommerceChannel({ url: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret, clock });
      const runStart = new Date(clock.now()).toISOString();
      const placed = woo.addOrder({ createdAt: new Date(clock.now() + 1_000).toISOString() }) as { id: number; number: string };
      const count = () => woo.requests.length;
      await measure('WooCommerce', 'the first order after the run began', count, () => channel.findFirstOrderSince(runStart), 3);
      await measure(
        'WooCommerce',
        `by number: the newest (#${placed.number})`,
        count,
        () => channel.findOrderByNumber(String(placed.number), new Date(clock.now() - 60 * DAY).toISOString()),
        3,
      );
    } finally {
      await woo.close();
    }
  }, 120_000);

  it('BigCommerce', async () => {
    const clock = createRecordingClock(Date.now());
    const spacing = 6 * 60_000;
    const big = await startFakeBigCommerce({
      orderCount: ORDERS,
      firstCreatedAt: new Date(clock.now() - ORDERS * spacing).toISOString(),
      spacingMs: spacing,
      now: clock.now,
    });
    try {
      const channel = createBigCommerceChannel({ storeHash: big.storeHash, token: big.token, apiUrl: big.url, clock });
      const runStart = new Date(clock.now()).toISOString();
      const placed = big.addOrder({ date_created: new Date(clock.now() + 1_000).toUTCString() } as never);
      const count = () => big.requests.length;
      await measure('BigCommerce', 'the first order after the run began', count, () => channel.findFirstOrderSince(runStart), 3);
      await measure(
        'BigCommerce',
        `by number: the newest (#${placed.id})`,
        count,
        () => channel.findOrderByNumber(String(placed.id), new Date(clock.now() - 60 * DAY).toISOString()),
        3,
      );
    } finally {
      await big.close();
      console.log([`${'channel'.padEnd(12)} ${'search'.padEnd(52)} requests    bound    time`, ...rows].join('\n'));
    }
  }, 120_000);
});
