// `onboard orders` against a fake Shopify (paging through Link rel="next") and against the sandbox store.
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { SHOP_TOKEN, startFakeShopify, summary, type FakeShopify } from './fakes.js';

const STORE = 'planted-goods.myshopify.com';
const DAY = 86_400_000;
let shop: FakeShopify | null = null;

afterEach(async () => {
  await shop?.close();
  shop = null;
  removeTempDirs();
});

function daysAgo(days: number, offset = '-04:00'): string {
  // a timestamp with a UTC offset, as Shopify sends them
  const date = new Date(Date.now() - days * DAY);
  const shifted = new Date(date.getTime() - 4 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}${offset}`;
}

async function connected(orders: ReturnType<typeof summary>[]): Promise<string> {
  shop = await startFakeShopify({ orders, pageSize: 2 });
  const dir = tempConfigDir();
  const connect = await cli(['connect', 'shopify', '--store', STORE, '--api-url', shop.url, '--token-stdin'], { configDir: dir, stdin: SHOP_TOKEN });
  expect(connect.code).toBe(0);
  return dir;
}

describe('orders', () => {
  it('lists every order since --since, newest first, across pages, with totals at the currency digits', async () => {
    const newest = daysAgo(1);
    const dir = await connected([
      summary(11, 1001, daysAgo(3), '10.5'),
      summary(13, 1003, newest, '598.94', 'Express'),
      summary(12, 1002, daysAgo(2), '7'),
      summary(9, 999, daysAgo(20), '1.00'),
    ]);
    const result = await cli(['orders', '--limit', '0', '--json'], { configDir: dir });
    expect(result.code).toBe(0);
    const { orders } = result.json();
    expect(orders.map((o: any) => o.number)).toEqual(['1003', '1002', '1001']);
    expect(orders[0]).toEqual({
      number: '1003',
      name: '#1003',
      id: '13',
      createdAt: new Date(Date.parse(newest)).toISOString(),
      total: '598.94',
      currency: 'USD',
      shippingMethod: 'Express',
    });
    expect(orders[0].createdAt).toMatch(/Z$/);
    expect(orders[1].total).toBe('7.00');
    expect(orders[2].total).toBe('10.50');

    const calls = shop!.requests.filter((r) => r.path.endsWith('/orders.json'));
    expect(calls).toHaveLength(2);
    expect(calls[0]?.query).toMatchObject({ status: 'any' });
    expect(calls[0]?.query.created_at_min).toBeDefined();
    expect(Object.keys(calls[1]!.query).sort()).toEqual(['fields', 'limit', 'page_info']);
    expect(result.stdout + result.stderr).not.toContain(SHOP_TOKEN);
  });

  it('--limit keeps the newest N, --since widens the window, and beyond 60 days warns about read_all_orders', async () => {
    const dir = await connected([summary(11, 1001, daysAgo(3), '10.50'), summary(12, 1002, daysAgo(2), '7.00'), summary(9, 999, daysAgo(20), '1.00')]);
    const limited = await cli(['orders', '--limit', '1', '--json'], { configDir: dir });
    expect(limited.json().orders.map((o: any) => o.number)).toEqual(['1002']);

    const wide = await cli(['orders', '--since', '90d', '--json'], { configDir: dir });
    expect(wide.code).toBe(0);
    expect(wide.json().orders.map((o: any) => o.number)).toEqual(['1002', '1001', '999']);
    expect(wide.stderr).toMatch(/60 days/);
    expect(wide.stderr).toMatch(/read_all_orders/);
    expect(wide.json().warnings[0]).toMatch(/read_all_orders/);

    const human = await cli(['orders'], { configDir: dir });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/#1002 .*7\.00 USD/);
    expect(human.stderr).not.toMatch(/read_all_orders/);
  });

  it.each([['--limit', '-1'], ['--limit', 'ten'], ['--limit', '1.5'], ['--since', 'yesterday']])('%s %s is exit 2', async (flag, value) => {
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
