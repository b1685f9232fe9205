// createOrder (exactly once, looking before it tries again), findCreatedOrder and suggestItems, against a fake
// store on loopback with a recording clock.
import { afterEach, describe, expect, it } from 'vitest';
import { CREATE_LOOKBACK_MS, CREATE_SETTLE_MS } from '../../src/adapters/create-once.js';
import { createShopifyChannel, idempotencyTag, orderCreateBody } from '../../src/adapters/shopify/client.js';
import { AuthRejectedError, BadInputError, UpstreamError } from '../../src/core/errors.js';
import { parseMoney } from '../../src/core/money.js';
import type { CreateOrderInput } from '../../src/core/ports.js';
import { createRecordingClock } from '../helpers/fake-server.js';
import { STORE_TOKEN, startFakeStore, type FakeProduct, type FakeStore, type FakeStoreOptions } from '../../fakes/shopify.js';

let store: FakeStore | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
});

const PRODUCTS: FakeProduct[] = [
  { id: 101, title: 'Poster', vendor: 'US Direct', variants: [{ id: 9001, price: '12.00', sku: 'POSTER' }] },
  {
    id: 102,
    title: 'Pin',
    vendor: 'US Direct',
    variants: [
      { id: 9002, title: 'Gold', price: '3.50', sku: 'PIN-G' },
      { id: 9003, title: 'Silver', price: '3.50', sku: 'PIN-S', inventory_quantity: 0 }, // sold out: skipped
      { id: 9004, title: 'Bronze', price: '2.75', sku: 'PIN-B', inventory_quantity: 0, inventory_policy: 'continue' }, // sells anyway
    ],
  },
  { id: 103, title: 'Gift card', vendor: 'US Direct', variants: [{ id: 9005, price: '0.00' }] }, // free: skipped
  { id: 104, title: 'Sticker', vendor: 'Acme', variants: [{ id: 9006, price: '1.25', sku: '', inventory_management: null, inventory_quantity: -3 }] }, // untracked
  { id: 105, title: 'Mug', vendor: 'Acme', status: 'draft', variants: [{ id: 9007, price: '0.50' }] }, // not active: not listed
];

function input(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  return {
    variantId: '9002',
    quantity: 2,
    email: 'dealer@example.com',
    shipping: {
      name: 'Jamie Lee Rivera',
      address1: '123 Test Lane',
      city: 'Louisville',
      province: 'KY',
      zip: '40202',
      country: 'us',
      phone: '+1 502-555-0134',
    },
    shippingTitle: 'Standard Shipping',
    shippingPrice: parseMoney('4.99', 'USD'),
    idempotencyKey: 'run-7f3a9c21',
    ...overrides,
  };
}

async function setup(options: Partial<FakeStoreOptions> = {}, extra: { timeoutMs?: number } = {}) {
  const clock = createRecordingClock();
  store = await startFakeStore({ now: clock.now, products: PRODUCTS, ...options });
  const lines: string[] = [];
  const shopify = createShopifyChannel({
    store: 'big-fake.myshopify.com',
    token: STORE_TOKEN,
    apiUrl: store.url,
    clock,
    log: (line) => lines.push(line),
    timeoutMs: extra.timeoutMs,
  });
  return { clock, shopify, store, lines };
}

describe('shopify: createOrder', () => {
  it('POSTs the documented body once and maps the 201', async () => {
    const { shopify, store, clock } = await setup({ orders: 3 });
    const order = await shopify.createOrder!(input());
    expect(store.requestsTo('POST', '/orders.json')).toHaveLength(1);
    expect(store.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    const sent = JSON.parse(store.requests[0]?.body ?? '{}');
    expect(sent).toEqual({
      order: {
        line_items: [{ variant_id: 9002, quantity: 2 }],
        email: 'dealer@example.com',
        shipping_address: {
          first_name: 'Jamie Lee',
          last_name: 'Rivera',
          address1: '123 Test Lane',
          city: 'Louisville',
          province: 'KY',
          zip: '40202',
          country_code: 'US',
          phone: '+1 502-555-0134',
        },
        billing_address: sent.order.shipping_address,
        shipping_lines: [{ title: 'Standard Shipping', price: '4.99', code: 'Standard Shipping' }],
        financial_status: 'paid',
        tags: 'onboard-test-order,onboard:run-7f3a9c21',
        note_attributes: [{ name: 'onboard_idempotency_key', value: 'run-7f3a9c21' }],
        send_receipt: false,
        send_fulfillment_receipt: false,
        inventory_behaviour: 'bypass',
      },
    });
    expect(order).toMatchObject({
      channel: 'shopify',
      number: '1004',
      name: '#1004',
      total: { units: 1199n, scale: 2, currency: 'USD' },
      shippingTitle: 'Standard Shipping',
      address: { present: true, hasZip: true, hasPhone: true },
      cancelled: false,
      tracking: [],
    });
  });

  it('the connection drops after Shopify created the order: it looks, finds it, and never POSTs again', async () => {
    const { shopify, store, clock } = await setup({ orders: 5 });
    store.faults.create.push('drop-after-create');
    const startedAt = clock.now();
    const order = await shopify.createOrder!(input());
    expect(store.created).toHaveLength(1);
    expect(store.requestsTo('POST', '/orders.json')).toHaveLength(1);
    expect(order.number).toBe(String(store.created[0]?.order_number));
    // POST, the look (created_at_min the look-back before the attempt, only the markers), then the order read
    expect(store.requests.map((request) => `${request.method} ${request.path.replace(/^.*\/2\d{3}-\d\d\//, '')}`)).toEqual([
      'POST orders.json',
      'GET orders.json',
      `GET orders/${String(store.created[0]?.id)}.json`,
    ]);
    const look = store.requests[1]?.query;
    expect(Object.fromEntries(look ?? [])).toEqual({
      status: 'any',
      created_at_min: new Date(startedAt - CREATE_LOOKBACK_MS).toISOString(),
      limit: '250',
      fields: 'id,tags,note_attributes,created_at',
    });
    // the settle wait before the look, then the 2-requests-a-second pacing before the read
    expect(clock.sleeps).toEqual([CREATE_SETTLE_MS, 500]);
  });

  it('the connection drops before anything was made: it looks, finds nothing, then POSTs once more', async () => {
    const { shopify, store } = await setup({ orders: 5 });
    store.faults.create.push('drop-before-create');
    const order = await shopify.createOrder!(input());
    expect(store.created).toHaveLength(1);
    const kinds = store.requests.map((request) => `${request.method} ${request.path.split('/').pop()}`);
    expect(kinds).toEqual(['POST orders.json', 'GET orders.json', 'POST orders.json']);
    expect(order.number).toBe('1006');
  });

  it('a timeout after the order was made: found by its note attribute, one order', async () => {
    const { shopify, store } = await setup({ orders: 1 }, { timeoutMs: 300 });
    store.faults.create.push('hang-after-create');
    const order = await shopify.createOrder!(input({ idempotencyKey: 'a-key-far-too-long-to-fit-into-one-shopify-tag' }));
    expect(store.created).toHaveLength(1);
    // the tag would exceed 40 characters: only the note attribute carries the key
    expect(store.created[0]?.tags).toBe('onboard-test-order');
    expect(store.requestsTo('POST', '/orders.json')).toHaveLength(1);
    expect(order.number).toBe('1002');
  });

  it('an HTML 502 after the order was made: found, not created twice', async () => {
    const { shopify, store } = await setup({ orders: 1 });
    store.faults.create.push('html502-after-create');
    const order = await shopify.createOrder!(input());
    expect(store.created).toHaveLength(1);
    expect(store.requestsTo('POST', '/orders.json')).toHaveLength(1);
    expect(order.name).toBe('#1002');
  });

  it('two failures: at most two POSTs, a look after each, and a clear error', async () => {
    const { shopify, store } = await setup({ orders: 1 });
    store.faults.create.push('drop-before-create', 'drop-before-create');
    const error = await shopify.createOrder!(input()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toMatch(/sent 2 times; no order carries the key run-7f3a9c21/);
    expect((error as UpstreamError).hint).toMatch(/^No order was created/);
    const kinds = store.requests.map((request) => `${request.method} ${request.path.split('/').pop()}`);
    expect(kinds).toEqual(['POST orders.json', 'GET orders.json', 'POST orders.json', 'GET orders.json']);
    expect(store.created).toHaveLength(0);
  });

  it('422 for an unknown variant → BadInputError naming the field and the flag', async () => {
    const { shopify, store } = await setup();
    const error = await shopify.createOrder!(input({ variantId: '424242' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).message).toBe('Shopify refused the test order: line_items: product variant 424242 was not found on this store');
    expect((error as BadInputError).hint).toContain('--variant');
    expect((error as BadInputError).hint).toContain('Variant 424242 may not exist on this store');
    expect(store.requests).toHaveLength(1);
  });

  it('refuses what cannot be a variant id before sending anything', async () => {
    const { shopify, store } = await setup();
    await expect(shopify.createOrder!(input({ variantId: 'gid://shopify/ProductVariant/1' }))).rejects.toBeInstanceOf(BadInputError);
    await expect(shopify.createOrder!(input({ quantity: 0 }))).rejects.toBeInstanceOf(BadInputError);
    expect(store.requests).toHaveLength(0);
  });

  it('a UUID key: the compact tag is on the order and found again after a drop', async () => {
    const { shopify, store } = await setup({ orders: 2 });
    store.faults.create.push('drop-after-create');
    const key = '0b7c3a52-9d4e-4f61-8a2b-7c9e1d3f5a60';
    const order = await shopify.createOrder!(input({ idempotencyKey: key }));
    expect(store.created[0]?.tags).toBe('onboard-test-order, onboard:0b7c3a529d4e4f618a2b7c9e1d3f5a60');
    expect(store.created[0]?.note_attributes).toEqual([{ name: 'onboard_idempotency_key', value: key }]);
    expect(order.name).toBe('#1003');
    expect(store.requestsTo('POST', '/orders.json')).toHaveLength(1);
  });

  it('findCreatedOrder matches the tag or the note attribute within the window, else null', async () => {
    const { shopify, clock } = await setup({ orders: 2 });
    const since = new Date(clock.now() - CREATE_LOOKBACK_MS).toISOString();
    await shopify.createOrder!(input({ idempotencyKey: 'k1' }));
    expect((await shopify.findCreatedOrder!('k1', since))?.name).toBe('#1003');
    expect(await shopify.findCreatedOrder!('k2', since)).toBeNull();
    expect(await shopify.findCreatedOrder!('k1', new Date(clock.now() + 1_000).toISOString())).toBeNull();
  });

  it('body helpers: one-word names go to last_name; extra note attributes (the sandbox scenario) follow the key', () => {
    const body = orderCreateBody(input({ shipping: { ...input().shipping, name: 'Cher' } }), [{ name: 'onboard_scenario', value: 'over-limit' }]);
    expect(body.order.shipping_address).toMatchObject({ first_name: '', last_name: 'Cher' });
    expect(body.order.note_attributes).toEqual([
      { name: 'onboard_idempotency_key', value: 'run-7f3a9c21' },
      { name: 'onboard_scenario', value: 'over-limit' },
    ]);
    expect(idempotencyTag('x'.repeat(32))).toBe(`onboard:${'x'.repeat(32)}`);
    expect(idempotencyTag('x'.repeat(33))).toBeNull();
    // the core's key is the run id, a UUID: without its dashes it fits the 40 characters exactly
    expect(idempotencyTag('0b7c3a52-9d4e-4f61-8a2b-7c9e1d3f5a60')).toBe('onboard:0b7c3a529d4e4f618a2b7c9e1d3f5a60');
  });
});

describe('shopify: suggestItems', () => {
  it('cheapest purchasable variants first, limited, with the shop currency', async () => {
    const { shopify, store } = await setup();
    const items = await shopify.suggestItems!({ limit: 3 });
    expect(items).toEqual([
      { variantId: '9006', title: 'Sticker', price: { units: 125n, scale: 2, currency: 'USD' }, vendor: 'Acme', sku: null },
      { variantId: '9004', title: 'Pin - Bronze', price: { units: 275n, scale: 2, currency: 'USD' }, vendor: 'US Direct', sku: 'PIN-B' },
      { variantId: '9002', title: 'Pin - Gold', price: { units: 350n, scale: 2, currency: 'USD' }, vendor: 'US Direct', sku: 'PIN-G' },
    ]);
    const list = store.requestsTo('GET', '/products.json');
    expect(list).toHaveLength(1);
    expect(Object.fromEntries(list[0]?.query ?? [])).toEqual({ status: 'active', fields: 'id,title,vendor,variants', limit: '250' });
    expect(store.requestsTo('GET', '/shop.json')).toHaveLength(1);
    // the currency is read once per adapter
    await shopify.suggestItems!({ limit: 1 });
    expect(store.requestsTo('GET', '/shop.json')).toHaveLength(1);
  });

  it('filters by vendor with the documented parameter', async () => {
    const { shopify, store } = await setup();
    const items = await shopify.suggestItems!({ vendor: 'US Direct', limit: 10 });
    expect(items.map((item) => item.variantId)).toEqual(['9004', '9002', '9001']);
    expect(store.requestsTo('GET', '/products.json')[0]?.query.get('vendor')).toBe('US Direct');
  });

  it('follows Link pages up to four, never more', async () => {
    const many: FakeProduct[] = Array.from({ length: 1_300 }, (_, i) => ({
      id: 10_000 + i,
      title: `Item ${i}`,
      vendor: 'Bulk',
      variants: [{ id: 50_000 + i, price: `${((1_300 - i) % 97) + 1}.00` }],
    }));
    const clock = createRecordingClock();
    store = await startFakeStore({ now: clock.now, products: many });
    const shopify = createShopifyChannel({ store: 'big-fake.myshopify.com', token: STORE_TOKEN, apiUrl: store.url, clock });
    const items = await shopify.suggestItems!({ limit: 5 });
    const pages = store.requestsTo('GET', '/products.json');
    expect(pages).toHaveLength(4);
    for (const page of pages.slice(1)) expect([...page.query.keys()].sort()).toEqual(['fields', 'limit', 'page_info']);
    expect(items).toHaveLength(5);
    expect(items.every((item) => item.price.units === 100n)).toBe(true);
  });

  it('403 → the token lacks read_products, said plainly', async () => {
    const { shopify, store } = await setup();
    store.faults.forbidProducts = true;
    const error = await shopify.suggestItems!({ limit: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect((error as AuthRejectedError).message).toContain('item suggestions need the read_products scope');
    expect((error as AuthRejectedError).hint).toContain('--variant');
  });
});
