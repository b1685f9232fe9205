// `onboard orders` against the Shopify fake (paging through Link rel="next") and against the sandbox store.
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { startFakeStore, type FakeStore } from '../../fakes/shopify.js';

const STORE = 'planted-goods.myshopify.com';
const SHOP_TOKEN = 'shpat_PLANTED_secret_7c1e0d9a55';
const DAY = 86_400_000;
let shop: FakeStore | null = null;

afterEach(async () => {
  await shop?.close();
  shop = null;
  removeTempDirs();
});

/** a whole second `days` ago (Shopify's times are in whole seconds) */
function daysAgo(days: number): number {
  return Math.floor((Date.now() - days * DAY) / 1000) * 1000;
}

/** An order a customer placed: its time, total text and shipping method; numbered from #1001 in creation order. */
type Placed = [createdAtMs: number, total: string, shippingTitle?: string];

/** The Shopify fake with these orders (oldest first), answering 2 orders a page whatever the limit asks. */
async function connected(orders: Placed[]): Promise<string> {
  shop = await startFakeStore({ token: SHOP_TOKEN, shop: { name: 'Planted Goods', domain: STORE }, bucket: false, pageSize: 2 });
  for (const [at, total, shippingTitle] of orders) shop.addOrder(at, { total, shippingTitle: shippingTitle ?? 'Standard Shipping' });
  const dir = tempConfigDir();
  const connect = await cli(['connect', 'shopify', '--store', STORE, '--api-url', shop.url, '--token-stdin'], { configDir: dir, stdin: SHOP_TOKEN });
  expect(connect.code).toBe(0);
  return dir;
}

describe('orders', () => {
  it('lists every order since --since, newest first, across pages, with totals at the currency digits', async () => {
    const newest = daysAgo(1);
    const dir = await connected([
      [daysAgo(20), '1.00'],
      [daysAgo(3), '10.5'],
      [daysAgo(2), '7'],
      [newest, '598.94', 'Express'],
    ]);
    const result = await cli(['orders', '--limit', '0', '--json'], { configDir: dir });
    expect(result.code).toBe(0);
    const { orders } = result.json();
    expect(orders.map((o: any) => o.number)).toEqual(['1004', '1003', '1002']);
    expect(orders[0]).toEqual({
      number: '1004',
      name: '#1004',
      id: String(shop!.orderByNumber(1004)?.id),
      createdAt: new Date(newest).toISOString(),
      total: '598.94',
      currency: 'USD',
      shippingMethod: 'Express',
    });
    expect(orders[0].createdAt).toMatch(/Z$/);
    expect(orders[1].total).toBe('7.00');
    expect(orders[2].total).toBe('10.50');

    const calls = shop!.requestsTo('GET', '/orders.json').map((r) => Object.fromEntries(r.query));
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ status: 'any' });
    expect(calls[0]?.created_at_min).toBeDefined();
    expect(Object.keys(calls[1]!).sort()).toEqual(['fields', 'limit', 'page_info']);
    expect(result.stdout + result.stderr).not.toContain(SHOP_TOKEN);
  });

  it('--limit keeps the newest N, --since widens the window, and beyond 60 days warns about read_all_orders', async () => {
    const dir = await connected([
      [daysAgo(20), '1.00'],
      [daysAgo(3), '10.50'],
      [daysAgo(2), '7.00'],
    ]);
    const limited = await cli(['orders', '--limit', '1', '--json'], { configDir: dir });
    expect(limited.json().orders.map((o: any) => o.number)).toEqual(['1003']);

    const wide = await cli(['orders', '--since', '90d', '--json'], { configDir: dir });
    expect(wide.code).toBe(0);
    expect(wide.json().orders.map((o: any) => o.number)).toEqual(['1003', '1002', '1001']);
    expect(wide.stderr).toMatch(/60 days/);
    expect(wide.stderr).toMatch(/read_all_orders/);
    expect(wide.json().warnings[0]).toMatch(/read_all_orders/);

    const human = await cli(['orders'], { configDir: dir });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/#1003 .*7\.00 USD/);
    expect(human.stderr).not.toMatch(/read_all_orders/);
  });

  it.each([
    ['--limit', '-1'],
    ['--limit', 'ten'],
    ['--limit', '1.5'],
    ['--since', 'yesterday'],
  ])('%s %s is exit 2', async (flag, value) => {
    const result = await cli(['orders', flag, value, '--json']);
    expect(result.code).toBe(2);
    expect(result.json().error.code).toBe('bad_input');
  });

  it('with nothing connected (and no --sandbox) exits 2 not_connected with the way forward', async () => {
    const result = await cli(['orders', '--json']);
    expect(result.code).toBe(2);
    const { error } = result.json();
    expect(error.code).toBe('not_connected');
    expect(error.hint).toMatch(/onboard test-order --sandbox/);
    expect(error.hint).toMatch(/onboard connect/);

    const human = await cli(['orders']);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/onboard test-order --sandbox/);
  });

  it('works on the sandbox store', async () => {
    const dir = tempConfigDir();
    const placed = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir });
    expect(placed.code).toBe(8);
    const result = await cli(['orders', '--sandbox', '--json'], { configDir: dir });
    expect(result.code).toBe(0);
    const { orders } = result.json();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ number: '1001', name: '#1001', currency: 'USD' });
    expect(orders[0].total).toMatch(/^\d+\.\d\d$/);
    // sandbox orders never show without --sandbox
    expect((await cli(['orders', '--json'], { configDir: dir })).code).toBe(2);
  });
});
