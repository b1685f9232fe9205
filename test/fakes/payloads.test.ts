// Every vendor fake is checked against the vendors' own example payloads (../shared/payloads, copied from
// their documentation): what a fake answers must pass the production schemas, and each field it sends must be
// one the vendor sends, with the same JSON type and the same text form (ISO time with offset, RFC 2822 time,
// decimal text). A misreading of the vendor's format then shows here instead of being shared silently by the
// fake and the adapter.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { flxpointOrderListSchema, flxpointOrderSchema, flxpointShipmentListSchema } from '../../src/adapters/flxpoint/schemas.js';
import { bcOrderListSchema, bcOrderSchema, bcShippingAddressListSchema } from '../../src/adapters/bigcommerce/schemas.js';
import { orderEnvelopeSchema, ordersEnvelopeSchema } from '../../src/adapters/shopify/schemas.js';
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { wooOrderSchema, wooOrdersSchema } from '../../src/adapters/woocommerce/schemas.js';
import { startFakeBigCommerce } from '../../fakes/bigcommerce.js';
import { STORE_TOKEN, startFakeStore } from '../../fakes/shopify.js';
import { startFakeWooCommerce } from '../../fakes/woocommerce.js';
import { FLX_TOKENS, startFakeFlxpoint } from '../../fakes/flxpoint.js';
import { closeAll as closeSandboxes, HOUR, openSandbox } from '../sandbox/harness.js';

// ../shared/payloads beside the repository (ONBOARD_PAYLOADS to point elsewhere); skipped where it is absent
const payloadDir = process.env.ONBOARD_PAYLOADS ?? fileURLToPath(new URL('../../../shared/payloads', import.meta.url));
const haveExamples = existsSync(`${payloadDir}/shopify-order.json`);

function example(name: string): unknown {
  return JSON.parse(readFileSync(`${payloadDir}/${name}`, 'utf8'));
}

/** the text form of a string value, where it has one the adapters depend on */
function form(text: string): string {
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/.test(text)) return 'ISO 8601 time with offset';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/.test(text)) return 'ISO 8601 time without offset';
  if (/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/.test(text)) return 'RFC 2822 time';
  if (/^-?\d+\.\d+$/.test(text)) return 'decimal text';
  return 'text';
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** where `fake` differs from `real` (the vendor's example): fields the vendor does not send, other types, other text forms */
export function differences(fake: unknown, real: unknown, path = '$'): string[] {
  if (fake === null || real === null || real === undefined) return [];
  if (kind(fake) !== kind(real)) return [`${path}: ${kind(fake)} in the fake, ${kind(real)} in the example`];
  if (Array.isArray(fake)) {
    // the example's items together: a vendor's items need not all carry the same fields
    const items = real as unknown[];
    const sample = items.every((item) => kind(item) === 'object') && items.length > 0 ? Object.assign({}, ...(items as object[])) : items[0];
    return sample === undefined ? [] : fake.flatMap((item, i) => differences(item, sample, `${path}[${i}]`));
  }
  if (typeof fake === 'object') {
    const record = real as Record<string, unknown>;
    return Object.entries(fake as Record<string, unknown>).flatMap(([key, value]) =>
      key in record ? differences(value, record[key], `${path}.${key}`) : [`${path}.${key}: not sent by the vendor`],
    );
  }
  if (typeof fake === 'string' && fake !== '' && (real as string) !== '' && form(real as string) !== 'text' && form(fake) !== form(real as string)) {
    return [`${path}: ${form(fake)} in the fake ("${fake}"), ${form(real as string)} in the example ("${String(real)}")`];
  }
  return [];
}

/**
 * Fields a fake sends that the examples lack, each with why the vendor sends it. Anything else the fakes send
 * must be in an example.
 */
const SENT_BUT_NOT_IN_EXAMPLE: Record<string, string> = {
  // The WooCommerce examples are from WooCommerce 3.0.0 ("version": "3.0.0"); current stores send these too.
  'shipping.phone': 'WooCommerce 5.6 and later send the shipping phone',
  'shipping_lines.instance_id': 'current WooCommerce sends the shipping method instance',
};

function unexplained(found: string[]): string[] {
  return found.filter((line) => {
    const field = /^\$(?:\[\d+\])?\.(.+): not sent by the vendor$/.exec(line)?.[1]?.replace(/\[\d+\]/g, '');
    return field === undefined || !(field in SENT_BUT_NOT_IN_EXAMPLE);
  });
}

/** a list's item example: the list example's first item with the single-resource example's fields added */
function listExample(list: string, single: string): unknown {
  const first = (example(list) as Record<string, unknown>[])[0];
  return [{ ...(example(single) as Record<string, unknown>), ...first }];
}

function passes(schema: z.ZodType, body: unknown): string[] {
  const result = schema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { headers: { Accept: 'application/json', ...headers }, signal: AbortSignal.timeout(10_000) });
  expect(response.status, url).toBe(200);
  return response.json();
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
  await closeSandboxes();
});

describe.skipIf(!haveExamples)('the vendor fakes answer as the vendors document', () => {
  it('the examples themselves pass the production schemas (the check below compares like with like)', () => {
    expect(passes(orderEnvelopeSchema, example('shopify-order.json'))).toEqual([]);
    expect(passes(ordersEnvelopeSchema, example('shopify-orders-list.json'))).toEqual([]);
    expect(passes(wooOrderSchema, example('woocommerce-order.json'))).toEqual([]);
    expect(passes(wooOrdersSchema, example('woocommerce-orders-list.json'))).toEqual([]);
    expect(passes(bcOrderSchema, example('bigcommerce-order.json'))).toEqual([]);
    expect(passes(bcOrderListSchema, example('bigcommerce-orders-list.json'))).toEqual([]);
  });

  it('the comparison names a field the vendor does not send, another type and another time form', () => {
    const order = example('bigcommerce-order.json') as Record<string, unknown>;
    const misread = { ...order, date_created: '2018-01-10T21:05:30Z', total_inc_tax: 336.32, invented: 'x' };
    expect(differences(misread, order)).toEqual([
      '$.date_created: ISO 8601 time with offset in the fake ("2018-01-10T21:05:30Z"), RFC 2822 time in the example ("Tue, 05 Mar 2019 21:40:11 +0000")',
      expect.stringMatching(/^\$\.total_inc_tax: number in the fake, string in the example/),
      '$.invented: not sent by the vendor',
    ]);
  });

  it('Shopify (fakes/shopify.ts): orders.json and orders/{id}.json, with an order placed and fulfilled by the test', async () => {
    const store = await startFakeStore({ orders: 3, bucket: false });
    closers.push(() => store.close());
    const placed = store.addOrder(undefined, { total: '12.49', shippingTitle: 'Economy Saver (5-9 days)' });
    store.fulfill(placed.id, '1Z999AA10123456784');
    const api = `${store.url}/admin/api/${SHOPIFY_API_VERSION}`;
    const auth = { 'X-Shopify-Access-Token': STORE_TOKEN };
    const one = await getJson(`${api}/orders/${placed.id}.json`, auth);
    const list = await getJson(`${api}/orders.json?status=any&limit=2`, auth);
    expect(passes(orderEnvelopeSchema, one)).toEqual([]);
    expect(passes(ordersEnvelopeSchema, list)).toEqual([]);
    expect((one as { order: { fulfillments: unknown[] } }).order.fulfillments).toHaveLength(1);
    expect(differences(one, example('shopify-order.json'))).toEqual([]);
    expect(differences(list, example('shopify-orders-list.json'))).toEqual([]);
  });

  it('WooCommerce (fakes/woocommerce.ts): orders and orders/{id}', async () => {
    const woo = await startFakeWooCommerce({ orderCount: 3 });
    closers.push(() => woo.close());
    const auth = `consumer_key=${woo.consumerKey}&consumer_secret=${woo.consumerSecret}`;
    const list = (await getJson(`${woo.url}/wp-json/wc/v3/orders?per_page=2&${auth}`)) as { id: number }[];
    const one = await getJson(`${woo.url}/wp-json/wc/v3/orders/${list[0]?.id}?${auth}`);
    expect(passes(wooOrderSchema, one)).toEqual([]);
    expect(passes(wooOrdersSchema, list)).toEqual([]);
    expect(unexplained(differences(one, example('woocommerce-order.json')))).toEqual([]);
    expect(unexplained(differences(list, listExample('woocommerce-orders-list.json', 'woocommerce-order.json')))).toEqual([]);
  });

  it('BigCommerce (fakes/bigcommerce.ts): v2 orders, orders/{id} and its shipping addresses', async () => {
    const big = await startFakeBigCommerce({ orderCount: 3 });
    closers.push(() => big.close());
    const auth = { 'X-Auth-Token': big.token };
    const list = (await getJson(`${big.url}/stores/${big.storeHash}/v2/orders?limit=2`, auth)) as { id: number }[];
    const one = await getJson(`${big.url}/stores/${big.storeHash}/v2/orders/${list[0]?.id}`, auth);
    expect(passes(bcOrderSchema, one)).toEqual([]);
    expect(passes(bcOrderListSchema, list)).toEqual([]);
    expect(differences(one, example('bigcommerce-order.json'))).toEqual([]);
    expect(differences(list, listExample('bigcommerce-orders-list.json', 'bigcommerce-order.json'))).toEqual([]);
    const addresses = await getJson(`${big.url}/stores/${big.storeHash}/v2/orders/${list[0]?.id}/shipping_addresses`, auth);
    expect(passes(bcShippingAddressListSchema, addresses)).toEqual([]);
    expect(differences(addresses, example('bigcommerce-order-shipping-addresses.json'))).toEqual([]);
  });

  it('the sandbox (src/sandbox, the same Shopify protocol over its world): orders.json and orders/{id}.json', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout();
    const one = (await sb.shopify(`orders/${placed.id}.json`)).body;
    const list = (await sb.shopify('orders.json', { status: 'any', limit: 2 })).body;
    expect(passes(orderEnvelopeSchema, one)).toEqual([]);
    expect(passes(ordersEnvelopeSchema, list)).toEqual([]);
    expect(unexplained(differences(one, example('shopify-order.json')))).toEqual([]);
    expect(unexplained(differences(list, example('shopify-orders-list.json')))).toEqual([]);
  });
});

// Flxpoint publishes no example payloads: its fake and the sandbox's portal are checked against the production
// schemas (written from research/portal-apis.md), through the one Flxpoint protocol both serve.
describe('the Flxpoint answers read through the production schemas', () => {
  it('Flxpoint (fakes/flxpoint.ts): GET /orders, /orders/{id} and /shipments', async () => {
    const flx = await startFakeFlxpoint({ now: Date.now, rateLimitPerSecond: 1_000 });
    closers.push(() => flx.close());
    const order = flx.addOrder({ orderNumber: '1001', orderTotal: 17.05 });
    flx.authorize(order.id);
    flx.ship(order.id, '1Z999AA10123456784');
    const auth = { 'X-API-TOKEN': FLX_TOKENS.reseller };
    const list = await getJson(`${flx.url}/orders?orderUpdatedAt=1970-01-01T00:00:00.000Z`, auth);
    const one = await getJson(`${flx.url}/orders/${order.id}`, auth);
    const shipments = await getJson(`${flx.url}/shipments?findByOrderId=${order.id}`, auth);
    expect(passes(flxpointOrderListSchema, list)).toEqual([]);
    expect(passes(flxpointOrderSchema, one)).toEqual([]);
    expect(passes(flxpointShipmentListSchema, shipments)).toEqual([]);
    expect(shipments).toHaveLength(1);
  });

  it('the sandbox portal (src/sandbox): GET /orders, /orders/{id} and /shipments of an order it shipped', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout();
    await sb.control('POST', 'order-manager/sync');
    const portalOrder = await sb.portalOrderFor(placed.number);
    await sb.authorize(portalOrder.id);
    await sb.advance(3 * HOUR);
    const list = (await sb.flx('/orders', { orderUpdatedAt: '1970-01-01T00:00:00.000Z' })).body;
    const one = (await sb.flx(`/orders/${portalOrder.id}`)).body;
    const shipments = await sb.shipmentsOf(portalOrder.id);
    expect(passes(flxpointOrderListSchema, list)).toEqual([]);
    expect(passes(flxpointOrderSchema, one)).toEqual([]);
    expect(passes(flxpointShipmentListSchema, shipments)).toEqual([]);
    expect(shipments).toHaveLength(1);
  });
});
