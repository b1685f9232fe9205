// A small Shopify Admin REST server for end-to-end tests of the core: shop.json, orders.json (status,
// created_at_min, since_id, limit, fields; newest first; one page), orders/{id}.json, with the access-token
// header and the call-limit header. Orders are added and fulfilled by the test, as a customer and the Order
// Manager's tracking sync would. Shopify's OAuth side too (shopify-oauth.ts): the client credentials grant,
// access tokens that expire on the fake's clock (`now`), and access_scopes.json; SHOPIFY_TOKEN is an
// admin-created app's token that never expires.
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { startFakeServer, type FakeServer, type RecordedRequest } from '../helpers/fake-server.js';
import { createShopifyOauth, type ShopifyOauth } from '../../fakes/shopify-oauth.js';

export const SHOPIFY_TOKEN = 'shpat_fake_0123456789abcdef';
export const SHOPIFY_STORE = 'dealer-test.myshopify.com';

export interface FakeShopifyOrder {
  id: number;
  order_number: number;
  name: string;
  created_at: string;
  total_price: string;
  currency: string;
  cancelled_at: string | null;
  shipping_lines: { title: string; price: string }[];
  shipping_address: { name: string; address1: string; city: string; zip: string; phone: string | null; country_code: string } | null;
  fulfillments: { id: number; status: string; tracking_company: string; tracking_number: string; tracking_numbers: string[]; tracking_url: string; tracking_urls: string[] }[];
}

export interface FakeShopify {
  server: FakeServer;
  oauth: ShopifyOauth;
  url: string;
  orders: FakeShopifyOrder[];
  placeOrder(options: { createdAt: number; total?: string; shippingTitle?: string; phone?: string | null }): FakeShopifyOrder;
  fulfill(orderId: number, trackingNumber: string): void;
  close(): Promise<void>;
}

export async function startFakeShopify(options: { now?: () => number; lifetimeSec?: number; scopes?: string[] } = {}): Promise<FakeShopify> {
  const orders: FakeShopifyOrder[] = [];
  let nextNumber = 1001;
  const base = `/admin/api/${SHOPIFY_API_VERSION}`;
  const oauth = createShopifyOauth({ now: options.now ?? Date.now, legacyToken: SHOPIFY_TOKEN, lifetimeSec: options.lifetimeSec, scopes: options.scopes });
  const tokenOf = (request: RecordedRequest) => request.headers['x-shopify-access-token'] as string | undefined;
  const authorized = (request: RecordedRequest) => oauth.check(tokenOf(request)) === 'ok';
  const limitHeader = { 'X-Shopify-Shop-Api-Call-Limit': '1/40' };
  const pick = (order: FakeShopifyOrder, fields?: string) => {
    if (!fields) return order;
    const wanted = fields.split(',');
    return Object.fromEntries(Object.entries(order).filter(([key]) => wanted.includes(key)));
  };
  const server = await startFakeServer({
    'POST /admin/oauth/access_token': (request) => oauth.grant(request.headers['content-type'], request.body),
    'GET /admin/oauth/access_scopes.json': (request) => oauth.accessScopes(tokenOf(request)),
    [`GET ${base}/shop.json`]: (request) => (authorized(request) ? { headers: limitHeader, body: { shop: { id: 1, name: 'Dealer Test Store', myshopify_domain: SHOPIFY_STORE } } } : oauth.deny(tokenOf(request))),
    [`GET ${base}/orders.json`]: (request) => {
      if (!authorized(request)) return oauth.deny(tokenOf(request));
      const min = request.query.created_at_min ? Date.parse(request.query.created_at_min) : -Infinity;
      const sinceId = Number(request.query.since_id ?? 0);
      const limit = Number(request.query.limit ?? 50);
      const list = orders
        .filter((o) => Date.parse(o.created_at) >= min && o.id > sinceId)
        .filter((o) => request.query.status === 'any' || o.cancelled_at === null)
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id)
        .slice(0, limit)
        .map((o) => pick(o, request.query.fields));
      return { headers: limitHeader, body: { orders: list } };
    },
    [`GET ${base}/orders/:id.json`]: (request) => {
      if (!authorized(request)) return oauth.deny(tokenOf(request));
      const order = orders.find((o) => String(o.id) === request.params.id);
      return order ? { headers: limitHeader, body: { order: pick(order, request.query.fields) } } : { status: 404, body: { errors: 'Not Found' } };
    },
  });
  return {
    server,
    oauth,
    url: server.url,
    orders,
    placeOrder({ createdAt, total = '12.49', shippingTitle = 'Standard Shipping', phone = '+1 555 0100' }) {
      const number = nextNumber++;
      const order: FakeShopifyOrder = {
        id: 6_000_000_000_000 + number,
        order_number: number,
        name: `#${number}`,
        created_at: new Date(createdAt).toISOString(),
        total_price: total,
        currency: 'USD',
        cancelled_at: null,
        shipping_lines: [{ title: shippingTitle, price: '4.99' }],
        shipping_address: { name: 'Dana Dealer', address1: '1 Main St', city: 'Austin', zip: '78701', phone, country_code: 'US' },
        fulfillments: [],
      };
      orders.push(order);
      return order;
    },
    fulfill(orderId, trackingNumber) {
      const order = orders.find((o) => o.id === orderId);
      order?.fulfillments.push({
        id: order.fulfillments.length + 1,
        status: 'success',
        tracking_company: 'UPS',
        tracking_number: trackingNumber,
        tracking_numbers: [trackingNumber],
        tracking_url: `https://www.ups.com/track?tracknum=${trackingNumber}`,
        tracking_urls: [`https://www.ups.com/track?tracknum=${trackingNumber}`],
      });
    },
    close: () => server.close(),
  };
}
