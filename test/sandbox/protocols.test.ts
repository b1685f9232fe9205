// The vendor protocols the sandbox speaks: Shopify Admin REST and Flxpoint, as the research documents them.
import { afterEach, describe, expect, it } from 'vitest';
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { MINUTE, closeAll, openSandbox } from './harness.js';

afterEach(closeAll);

function parseLink(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? '').split(', ')) {
    const match = /<([^<]+)>; rel="([^"]+)"/.exec(part);
    if (match) links[match[2]] = match[1];
  }
  return links;
}

describe('Shopify Admin REST', () => {
  it('serves shop.json with the call-limit header', async () => {
    const sb = await openSandbox();
    const shop = await sb.shopify('shop.json');
    expect(shop.status).toBe(200);
    expect(shop.body.shop).toMatchObject({ name: 'Onboard Sandbox Store', myshopify_domain: 'onboard-sandbox.myshopify.com', currency: 'USD' });
    expect(shop.headers.get('x-shopify-shop-api-call-limit')).toMatch(/^\d+\/40$/);
    expect(sb.server.shopify.store).toBe('onboard-sandbox.myshopify.com');
    expect(sb.server.shopify.token).toMatch(/^shpat_sandbox_[0-9a-f]+$/);
    expect(sb.server.flxpoint.token).toMatch(/^fxp_sandbox_[0-9a-f]+$/);
  });

  it('rejects a missing or wrong token with 401, and another API version with 404', async () => {
    const sb = await openSandbox();
    const expected = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };
    const missing = await sb.shopify('orders.json', {}, null);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual(expected);
    expect(missing.headers.get('x-shopify-shop-api-call-limit')).toBeTruthy();
    const wrong = await sb.shopify('orders.json', {}, 'shpat_wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(expected);
    const version = await fetch(`${sb.server.url}/admin/api/2019-01/orders.json`, { headers: { 'X-Shopify-Access-Token': sb.server.shopify.token } });
    expect(version.status).toBe(404);
    expect(await version.json()).toEqual({ errors: 'Not Found' });
  });

  it('orders are Shopify-shaped: integer ids, money strings with *_set twins, an offset on created_at, no scenario', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout('over-limit');
    const { order } = (await sb.shopify(`orders/${placed.id}.json`)).body;
    expect(order.id).toBeGreaterThan(5_800_000_000_000);
    expect(order).toMatchObject({ order_number: 1001, name: '#1001', currency: 'USD', financial_status: 'paid', cancelled_at: null, fulfillments: [] });
    expect(order.total_price).toMatch(/^\d+\.\d{2}$/);
    expect(order.total_price_set.shop_money).toEqual({ amount: order.total_price, currency_code: 'USD' });
    expect(order.subtotal_price).toMatch(/^\d+\.\d{2}$/);
    expect(order.total_tax).toMatch(/^\d+\.\d{2}$/);
    expect(order.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(order.shipping_lines[0]).toMatchObject({ title: 'Standard Shipping', price: '4.99', code: 'Standard Shipping' });
    expect(Object.keys(order.shipping_address)).toEqual(
      expect.arrayContaining(['first_name', 'last_name', 'name', 'address1', 'city', 'zip', 'province', 'country', 'country_code', 'phone']),
    );
    expect(JSON.stringify(order)).not.toContain('over-limit');

    const fields = (await sb.shopify(`orders/${placed.id}.json`, { fields: 'id,name,order_number' })).body;
    expect(fields).toEqual({ order: { id: order.id, name: '#1001', order_number: 1001 } });
    const missing = await sb.shopify('orders/1.json');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: 'Not Found' });
  });

  it('paginates newest first over three pages with Link headers', async () => {
    const sb = await openSandbox();
    for (let i = 0; i < 7; i += 1) {
      await sb.checkout();
      if (i % 2 === 0) await sb.advance(1_000); // some share a creation time: ties fall back to the id
    }
    const first = await sb.shopify('orders.json', { status: 'any', limit: 3, fields: 'id,name,order_number' });
    expect(first.status).toBe(200);
    expect(first.body.orders.map((o: any) => o.name)).toEqual(['#1007', '#1006', '#1005']);
    expect(Object.keys(first.body.orders[0])).toEqual(['id', 'name', 'order_number']);
    const firstLinks = parseLink(first.headers.get('link'));
    expect(Object.keys(firstLinks)).toEqual(['next']);
    expect(firstLinks.next).toMatch(new RegExp(`^${sb.server.url}/admin/api/${SHOPIFY_API_VERSION}/orders\\.json\\?page_info=[A-Za-z0-9_-]+&limit=3`));

    const second = await sb.shopifyUrl(firstLinks.next);
    expect(second.body.orders.map((o: any) => o.name)).toEqual(['#1004', '#1003', '#1002']);
    expect(Object.keys(second.body.orders[0])).toEqual(['id', 'name', 'order_number']);
    const secondLinks = parseLink(second.headers.get('link'));
    expect(Object.keys(secondLinks).sort()).toEqual(['next', 'previous']);

    const third = await sb.shopifyUrl(secondLinks.next);
    expect(third.body.orders.map((o: any) => o.name)).toEqual(['#1001']);
    expect(Object.keys(parseLink(third.headers.get('link')))).toEqual(['previous']);

    const back = await sb.shopifyUrl(secondLinks.previous);
    expect(back.body.orders.map((o: any) => o.name)).toEqual(['#1007', '#1006', '#1005']);

    // Everything on one page: no Link header at all.
    const all = await sb.shopify('orders.json', { status: 'any', limit: 250 });
    expect(all.body.orders).toHaveLength(7);
    expect(all.headers.get('link')).toBeNull();
  });

  it('refuses filters next to page_info, a bad cursor, an undocumented parameter and a bad limit', async () => {
    const sb = await openSandbox();
    for (let i = 0; i < 3; i += 1) await sb.checkout();
    const first = await sb.shopify('orders.json', { limit: 2 });
    const next = new URL(parseLink(first.headers.get('link')).next);

    next.searchParams.set('status', 'any');
    const withStatus = await sb.shopifyUrl(next.toString());
    expect(withStatus.status).toBe(400);
    expect(withStatus.body).toEqual({
      errors: { status: 'status cannot be passed when page_info is present. See https://shopify.dev/api/usage/pagination-rest for more information.' },
    });
    next.searchParams.delete('status');
    next.searchParams.set('created_at_min', '2020-01-01T00:00:00Z');
    expect((await sb.shopifyUrl(next.toString())).body.errors).toHaveProperty('created_at_min');

    const badCursor = await sb.shopify('orders.json', { page_info: 'not-a-cursor' });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body).toEqual({ errors: { page_info: 'Invalid value.' } });

    const undocumented = await sb.shopify('orders.json', { order_number: '1001' });
    expect(undocumented.status).toBe(400);
    expect(undocumented.body).toEqual({ errors: { order_number: 'is not a supported parameter' } });

    expect((await sb.shopify('orders.json', { limit: 251 })).status).toBe(400);
    expect((await sb.shopify('orders.json', { limit: 0 })).status).toBe(400);
    expect((await sb.shopify('orders.json', { status: 'pending' })).status).toBe(400);
    expect((await sb.shopify('products/1/variants.json')).status).toBe(400);
  });

  it('filters by status, since_id and creation time (the real instant, shown in whole seconds)', async () => {
    const sb = await openSandbox();
    const start = (await sb.clock()).nowMs;
    const a = await sb.checkout();
    await sb.advance(1_500);
    const b = await sb.checkout();
    const names = async (params: Record<string, string | number>) => (await sb.shopify('orders.json', params)).body.orders.map((o: any) => o.name);
    expect(await names({ created_at_min: new Date(start + 1).toISOString() })).toEqual(['#1002']);
    expect(await names({ created_at_min: new Date(start).toISOString() })).toEqual(['#1002', '#1001']);
    expect(await names({ created_at_max: new Date(start + 1_000).toISOString() })).toEqual(['#1001']);
    expect(await names({ since_id: a.id })).toEqual(['#1002']);
    expect(await names({ status: 'closed' })).toEqual([]);
    expect(await names({ status: 'cancelled' })).toEqual([]);
    expect(await names({ ids: `${a.id},${b.id}`, status: 'any' })).toEqual(['#1002', '#1001']);
    // an offset-bearing date whose '+' arrived unencoded (as a space) still reads
    const offset = new Date(start + 1).toISOString().replace('Z', '+00:00');
    expect(await names({ created_at_min: offset })).toEqual(['#1002']);
    expect((await sb.shopify('orders/count.json', { status: 'any' })).body).toEqual({ count: 2 });
  });
});

describe('Flxpoint API', () => {
  it('requires X-API-TOKEN (401, plain text), refuses /account (403) and undocumented paths or params (400)', async () => {
    const sb = await openSandbox();
    const missing = await sb.flx('/orders', {}, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await sb.flx('/orders', {}, 'fxp_wrong')).status).toBe(401);
    expect((await sb.flx('/account')).status).toBe(403);
    expect((await sb.flx('/orders', { pageSize: 10 })).status).toBe(400);
    expect((await sb.flx('/orders', { orderUpdatedAt: 'yesterday' })).status).toBe(400);
    expect((await sb.flx('/reseller/orders')).status).toBe(400);
    expect((await sb.flx('/orders/999')).status).toBe(404);
    expect((await sb.flx('/shipments', { filterPageSize: 0 })).status).toBe(400);
  });

  it('GET /orders with an orderUpdatedAt cursor answers records updated strictly after it, ascending', async () => {
    const sb = await openSandbox();
    await sb.checkout();
    await sb.advance(15 * MINUTE);
    await sb.checkout();
    await sb.advance(15 * MINUTE);
    const all = await sb.portalOrders();
    expect(all.map((o) => o.orderNumber)).toEqual(['1001', '1002']);
    expect(Array.isArray(all)).toBe(true);
    const last = all[1].updatedAt;
    expect(await sb.portalOrders({ orderUpdatedAt: last })).toEqual([]);
    const justBefore = new Date(Date.parse(last) - 1).toISOString();
    expect((await sb.portalOrders({ orderUpdatedAt: justBefore })).map((o) => o.orderNumber)).toEqual(['1002']);

    // Authorizing 1001 moves its updatedAt past the cursor.
    await sb.advance(MINUTE);
    await sb.authorize(all[0].id);
    const changed = await sb.portalOrders({ orderUpdatedAt: last });
    expect(changed.map((o) => o.orderNumber)).toEqual(['1001']);
    expect(changed[0].fulfillmentRequests).toHaveLength(1);
    expect((await sb.portalOrders({ fulfillmentRequestsUpdatedAt: last })).map((o) => o.orderNumber)).toEqual(['1001']);
    expect(await sb.portalOrders({ shipmentsUpdatedAt: last })).toEqual([]);
  });

  it('GET /orders answers at most 25 orders', async () => {
    const sb = await openSandbox();
    for (let i = 0; i < 27; i += 1) await sb.checkout();
    await sb.advance(15 * MINUTE);
    const answer = await sb.portalOrders();
    expect(answer).toHaveLength(25);
    expect(answer.map((o) => o.orderNumber)).toEqual(Array.from({ length: 25 }, (_, i) => String(1001 + i)));
  });

  it('GET /shipments filters by order and pages by number', async () => {
    const sb = await openSandbox();
    for (let i = 0; i < 3; i += 1) await sb.checkout();
    await sb.control('POST', 'order-manager/sync');
    const orders = await sb.portalOrders();
    for (const order of orders) {
      await sb.authorize(order.id);
      await sb.advance(MINUTE);
    }
    await sb.advance(3 * 60 * MINUTE);
    const all = (await sb.flx('/shipments')).body;
    expect(all.map((s: any) => s.orderId)).toEqual(orders.map((o) => o.id));
    expect((await sb.flx('/shipments', { filterPageSize: 2, filterPageNumber: 2 })).body.map((s: any) => s.id)).toEqual([all[2].id]);
    expect((await sb.flx('/shipments', { findByOrderId: orders[1].id })).body.map((s: any) => s.id)).toEqual([all[1].id]);
    expect((await sb.flx(`/shipments/${all[0].id}`)).body.trackingNumber).toBe(all[0].trackingNumber);
    expect((await sb.flx('/shipments', { filterCreatedAfter: all[1].insertedAt })).body.map((s: any) => s.id)).toEqual([all[2].id]);
  });
});

describe('control endpoints', () => {
  it('answers the clock, refuses bad JSON and unknown paths', async () => {
    const sb = await openSandbox();
    const clock = await sb.clock();
    expect(clock.nowMs % MINUTE).toBe(0);
    expect(clock.now).toBe(new Date(clock.nowMs).toISOString());
    expect(clock.nextEventAt).toBeNull();
    const moved = await sb.advance(90_000);
    expect(moved.nowMs).toBe(clock.nowMs + 90_000);

    const badJson = await fetch(`${sb.server.url}/__sandbox/clock/advance`, { method: 'POST', body: '{nope', headers: { 'Content-Type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect((await sb.control('POST', 'clock/advance', { ms: -5 })).status).toBe(400);
    expect((await sb.control('GET', 'nothing-here')).status).toBe(400);
    expect((await sb.control('PUT', 'portal/settings', { autoAuthorize: true, maxOrderTotal: 'fifty' })).status).toBe(400);
    expect((await sb.control('PUT', 'portal/settings', { autoAuthorize: true, maxOrderTotal: 50 })).status).toBe(400);
    expect((await sb.control('POST', 'portal/orders/42/authorize')).status).toBe(404);
    expect((await sb.control('GET', 'order-manager/orders/42')).status).toBe(404);
  });
});

describe('persistence and concurrency', () => {
  it('a second server on the same store continues the same world', async () => {
    const first = await openSandbox();
    const placed = await first.checkout();
    await first.advance(15 * MINUTE);
    const tokens = { shopify: first.server.shopify.token, flxpoint: first.server.flxpoint.token };
    const nowMs = (await first.clock()).nowMs;
    await first.server.close();

    const second = await openSandbox(first.store);
    expect(second.server.shopify.token).toBe(tokens.shopify);
    expect(second.server.flxpoint.token).toBe(tokens.flxpoint);
    expect((await second.clock()).nowMs).toBe(nowMs);
    expect((await second.channelOrder(placed.id)).name).toBe('#1001');
    expect((await second.portalOrderFor('1001')).orderStatus).toBe('Open');
    expect((await second.checkout()).number).toBe('1002');
  });

  it('a world deleted under a running server comes back fresh with the tokens it announced', async () => {
    const sb = await openSandbox();
    await sb.checkout();
    await sb.store.remove('sandbox', 'world');
    expect((await sb.shopify('orders.json', { status: 'any' })).body.orders).toEqual([]);
    expect((await sb.checkout()).number).toBe('1001');
  });

  it('two concurrent checkouts through two servers on one store are both kept', async () => {
    const a = await openSandbox();
    const b = await openSandbox(a.store);
    const placed = await Promise.all([a.checkout(), b.checkout(), a.checkout(), b.checkout()]);
    expect(placed.map((o) => o.number).sort()).toEqual(['1001', '1002', '1003', '1004']);
    const listed = (await a.shopify('orders.json', { status: 'any' })).body.orders.map((o: any) => o.name);
    expect(listed).toEqual(['#1004', '#1003', '#1002', '#1001']);
  });
});
