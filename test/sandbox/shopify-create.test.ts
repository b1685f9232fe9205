// The sandbox store's Admin API for `test-order --create`: POST orders.json (an app creates the order, which then
// lives in the world like a customer's) and products.json (what item suggestions read), over HTTP directly and
// through the production Shopify adapter.
import { afterEach, describe, expect, it } from 'vitest';
import { createShopifyChannel } from '../../src/adapters/shopify/client.js';
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { BadInputError } from '../../src/core/errors.js';
import { parseMoney } from '../../src/core/money.js';
import { createRecordingClock } from '../helpers/fake-server.js';
import { HOUR, MINUTE, closeAll, openSandbox, type Sandbox } from './harness.js';

afterEach(closeAll);

const STICKER = 42_000_000_000_001;
const PIN = 42_000_000_000_003;

async function post(sb: Sandbox, resource: string, body: unknown, token = sb.server.shopify.token) {
  const response = await fetch(`${sb.server.url}/admin/api/${SHOPIFY_API_VERSION}/${resource}`, {
    method: 'POST',
    headers: { 'X-Shopify-Access-Token': token, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as any };
}

function orderBody(overrides: Record<string, unknown> = {}) {
  const address = {
    first_name: 'Jamie',
    last_name: 'Rivera',
    address1: '123 Test Lane',
    city: 'Louisville',
    province: 'KY',
    zip: '40202',
    country_code: 'US',
    phone: '+1 502-555-0134',
  };
  return {
    order: {
      line_items: [{ variant_id: STICKER, quantity: 2 }],
      email: 'dealer@example.com',
      shipping_address: address,
      billing_address: address,
      shipping_lines: [{ title: 'Standard Shipping', price: '4.99', code: 'Standard Shipping' }],
      financial_status: 'paid',
      tags: 'onboard-test-order,onboard:run-1',
      note_attributes: [{ name: 'onboard_idempotency_key', value: 'run-1' }],
      send_receipt: false,
      send_fulfillment_receipt: false,
      inventory_behaviour: 'bypass',
      ...overrides,
    },
  };
}

describe('sandbox: POST orders.json', () => {
  it('201 with an API-created order shaped like the vendor payload, which then imports, routes, ships and syncs', async () => {
    const sb = await openSandbox();
    const created = await post(sb, 'orders.json', orderBody());
    expect(created.status).toBe(201);
    expect(created.headers.get('x-shopify-shop-api-call-limit')).toMatch(/^\d+\/40$/);
    const order = created.body.order;
    expect(order).toMatchObject({
      order_number: 1001,
      name: '#1001',
      financial_status: 'paid',
      fulfillment_status: null,
      currency: 'USD',
      email: 'dealer@example.com',
      tags: 'onboard-test-order, onboard:run-1',
      note_attributes: [{ name: 'onboard_idempotency_key', value: 'run-1' }],
      total_price: '14.97',
      subtotal_price: '9.98',
      total_tax: '0.00',
      tax_lines: [],
      browser_ip: null,
      payment_gateway_names: [],
      fulfillments: [],
    });
    expect(order.app_id).toBeGreaterThan(0);
    expect(order.source_name).toBe(String(order.app_id));
    expect(order.shipping_address).toMatchObject({
      name: 'Jamie Rivera',
      province: 'Kentucky',
      province_code: 'KY',
      country: 'United States',
      country_code: 'US',
      zip: '40202',
    });
    expect(order.shipping_lines[0]).toMatchObject({ title: 'Standard Shipping', code: 'Standard Shipping', price: '4.99' });
    expect(order.line_items[0]).toMatchObject({ variant_id: STICKER, quantity: 2, price: '4.99', sku: 'OB-STICKER' });
    expect(JSON.stringify(order)).not.toContain('happy');

    // it is listed like any order, and the world carries it through
    const listed = await sb.shopify('orders.json', { status: 'any', fields: 'id,tags,note_attributes,created_at' });
    expect(listed.body.orders).toEqual([{ id: order.id, tags: order.tags, note_attributes: order.note_attributes, created_at: order.created_at }]);
    await sb.advance(15 * MINUTE);
    const portal = await sb.portalOrderFor('1001');
    expect(portal).toMatchObject({ orderStatus: 'Open', shippingText: 'Standard Shipping', orderTotal: 14.97 });
    await sb.authorize(portal.id);
    await sb.advance(2 * HOUR + 15 * MINUTE);
    const onStore = await sb.channelOrder(String(order.id));
    expect(onStore.fulfillment_status).toBe('fulfilled');
    expect(onStore.fulfillments[0].tracking_number).toMatch(/^1Z999AA1/);
  });

  it('a minimal body (the vendor fixture) gives null addresses and an empty email; the order manager holds it', async () => {
    const sb = await openSandbox();
    const created = await post(sb, 'orders.json', { order: { line_items: [{ variant_id: PIN, quantity: 1 }] } });
    expect(created.status).toBe(201);
    expect(created.body.order).toMatchObject({
      shipping_address: null,
      billing_address: null,
      customer: null,
      email: '',
      shipping_lines: [],
      financial_status: 'paid',
    });
    await sb.advance(15 * MINUTE);
    const status = (await sb.control('GET', `order-manager/orders/${created.body.order.id}`)).body;
    expect(status).toMatchObject({ imported: false });
    expect(status.heldReason).toMatch(/no shipping address/);
  });

  it('the scenario: the server default, or the onboard_scenario note attribute', async () => {
    const sb = await openSandbox(undefined, 'missing-phone');
    const byDefault = (await post(sb, 'orders.json', orderBody())).body.order;
    expect(byDefault.shipping_address.phone).toBeNull();
    const unmapped = (await post(sb, 'orders.json', orderBody({ note_attributes: [{ name: 'onboard_scenario', value: 'unmapped-shipping' }] }))).body.order;
    expect(unmapped.shipping_address.phone).toBe('+1 502-555-0134');
    expect(unmapped.shipping_lines[0].title).toBe('Economy Saver (5-9 days)');
    await sb.advance(15 * MINUTE);
    expect((await sb.control('GET', `order-manager/orders/${byDefault.id}`)).body.heldReason).toMatch(/phone/);
    expect((await sb.portalOrderFor(String(unmapped.order_number))).orderStatus).toBe('No Shipping Method');

    const unknown = await post(sb, 'orders.json', orderBody({ note_attributes: [{ name: 'onboard_scenario', value: 'nope' }] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.note_attributes[0]).toContain('not a sandbox scenario');
  });

  it('refuses as Shopify does: 400 without the root, 422 {errors:{field:[…]}} for what it will not take', async () => {
    const sb = await openSandbox();
    const noRoot = await post(sb, 'orders.json', { line_items: [] });
    expect(noRoot.status).toBe(400);
    expect(noRoot.body).toEqual({ errors: { order: 'Required parameter missing or invalid' } });

    const unknownVariant = await post(sb, 'orders.json', orderBody({ line_items: [{ variant_id: 424242, quantity: 1 }] }));
    expect(unknownVariant.status).toBe(422);
    expect(unknownVariant.body).toEqual({ errors: { line_items: ['product variant 424242 was not found on this store'] } });

    const several = await post(
      sb,
      'orders.json',
      orderBody({
        line_items: [{ variant_id: STICKER, quantity: 0 }],
        email: 'not-an-email',
        shipping_lines: [{ title: '', price: '1' }],
        financial_status: 'free',
      }),
    );
    expect(several.status).toBe(422);
    expect(Object.keys(several.body.errors).sort()).toEqual(['email', 'financial_status', 'line_items', 'shipping_lines']);

    expect((await post(sb, 'orders.json', '{not json')).status).toBe(400);
    expect((await post(sb, 'orders.json', orderBody(), 'shpat_wrong')).status).toBe(401);
    expect((await post(sb, 'orders.json?send_receipt=true', orderBody())).status).toBe(400);
    expect((await post(sb, 'products.json', {})).status).toBe(400);
    // nothing was created by any of these
    expect((await sb.shopify('orders/count.json', { status: 'any' })).body).toEqual({ count: 0 });
  });
});

describe('sandbox: GET products.json', () => {
  it('active products by id with their variants; status, vendor, ids, fields', async () => {
    const sb = await openSandbox();
    const all = await sb.shopify('products.json');
    expect(all.status).toBe(200);
    expect(all.headers.get('link')).toBeNull();
    const products = all.body.products;
    // the draft mug is not listed by default
    expect(products.map((p: any) => p.title)).toEqual([
      'Onboard Test Sticker',
      'Onboard Test Keychain',
      'Onboard Enamel Pin',
      'Onboard Fridge Magnet',
      'Onboard Gift Note',
      'Acme Canvas Tote',
    ]);
    expect(products[0]).toMatchObject({
      status: 'active',
      vendor: 'US Direct',
      variants: [{ id: STICKER, price: '4.99', title: 'Default Title', inventory_management: 'shopify', inventory_policy: 'deny', inventory_quantity: 100 }],
    });
    expect(products[5].variants.map((v: any) => v.title)).toEqual(['Natural', 'Black']);

    expect((await sb.shopify('products.json', { status: 'draft' })).body.products.map((p: any) => p.title)).toEqual(['Onboard Prototype Mug']);
    expect((await sb.shopify('products.json', { status: 'active,draft' })).body.products).toHaveLength(7);
    expect((await sb.shopify('products.json', { vendor: 'Acme Supply' })).body.products.map((p: any) => p.title)).toEqual(['Acme Canvas Tote']);
    expect((await sb.shopify('products.json', { ids: `${products[2].id},${products[0].id}` })).body.products.map((p: any) => p.id)).toEqual([
      products[0].id,
      products[2].id,
    ]);
    const narrow = await sb.shopify('products.json', { fields: 'id,title' });
    expect(Object.keys(narrow.body.products[0])).toEqual(['id', 'title']);
    expect((await sb.shopify('products.json', { status: 'gone' })).status).toBe(400);
    expect((await sb.shopify('products.json', { product_type: 'x' })).body).toEqual({ errors: { product_type: 'is not a supported parameter' } });
  });

  it('pages with Link page_info (only limit and fields may come with it)', async () => {
    const sb = await openSandbox();
    const first = await sb.shopify('products.json', { limit: 4, fields: 'id,title' });
    expect(first.body.products).toHaveLength(4);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
    expect(next).toMatch(/products\.json\?page_info=[A-Za-z0-9_-]+&limit=4&fields=id%2Ctitle$/);
    const second = await sb.shopifyUrl(next);
    expect(second.body.products.map((p: any) => p.title)).toEqual(['Onboard Gift Note', 'Acme Canvas Tote']);
    expect(second.headers.get('link')).toMatch(/rel="previous"$/);
    const withVendor = new URL(next);
    withVendor.searchParams.set('vendor', 'US Direct');
    const refused = await sb.shopifyUrl(withVendor.toString());
    expect(refused.status).toBe(400);
    expect(refused.body.errors.vendor).toMatch(/cannot be passed when page_info is present/);
    expect((await sb.shopify('products.json', { page_info: 'bogus' })).body).toEqual({ errors: { page_info: 'Invalid value.' } });
  });
});

describe('sandbox: test-order --create through the production adapter', () => {
  it('suggests, creates exactly once, finds it again by its key, and the world carries it to tracking', async () => {
    const sb = await openSandbox(undefined, 'happy');
    const clock = createRecordingClock((await sb.clock()).nowMs);
    const shopify = createShopifyChannel({
      store: sb.server.shopify.store,
      token: sb.server.shopify.token,
      apiUrl: sb.server.url,
      clock,
      createOrderNoteAttributes: [{ name: 'onboard_scenario', value: 'over-limit' }],
    });
    expect(shopify.capabilities).toEqual({ createOrder: true, suggestItems: true });

    const items = await shopify.suggestItems!({ limit: 3 });
    expect(items.map((item) => [item.title, item.price.units])).toEqual([
      ['Onboard Test Sticker', 499n],
      ['Onboard Enamel Pin - Gold', 749n],
      ['Onboard Test Keychain', 999n],
    ]);
    expect((await shopify.suggestItems!({ vendor: 'Acme Supply', limit: 5 })).map((item) => item.title)).toEqual([
      'Acme Canvas Tote - Black',
      'Acme Canvas Tote - Natural',
    ]);

    const input = {
      variantId: items[0]?.variantId ?? '',
      quantity: 1,
      email: 'dealer@example.com',
      shipping: { name: 'Jamie Rivera', address1: '123 Test Lane', city: 'Louisville', province: 'KY', zip: '40202', country: 'US', phone: '+1 502-555-0134' },
      shippingTitle: 'Standard Shipping',
      shippingPrice: parseMoney('4.99', 'USD'),
      idempotencyKey: 'run-0001',
    };
    const order = await shopify.createOrder!(input);
    expect(order).toMatchObject({
      number: '1001',
      name: '#1001',
      shippingTitle: 'Standard Shipping',
      total: { units: 998n },
      address: { present: true, hasZip: true, hasPhone: true },
    });
    expect((await shopify.findCreatedOrder!('run-0001', new Date(clock.now() - 60_000).toISOString()))?.id).toBe(order.id);
    expect(await shopify.findFirstOrderSince(new Date(clock.now() - 60_000).toISOString())).toMatchObject({ id: order.id });

    await expect(shopify.createOrder!({ ...input, variantId: '1' })).rejects.toBeInstanceOf(BadInputError);
    expect((await sb.shopify('orders/count.json', { status: 'any' })).body).toEqual({ count: 1 });

    // the note attribute fixed the scenario: over-limit (auto-authorize max = total − 1.00 for this order)
    await sb.advance(15 * MINUTE);
    const portal = await sb.portalOrderFor('1001');
    expect((await sb.control('GET', `portal/orders/${portal.id}/settings`)).body).toEqual({ autoAuthorize: true, maxOrderTotal: '8.98' });
    expect(portal.fulfillmentRequests).toEqual([]);
    await sb.authorize(portal.id);
    await sb.advance(2 * HOUR + 15 * MINUTE);
    const tracked = await shopify.getOrder(order.id);
    expect(tracked.tracking).toHaveLength(1);
  });
});
