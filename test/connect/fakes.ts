// A Shopify order list in pages of `pageSize` orders whatever `limit` asks (Link rel="next"), for
// test/connect/orders.test.ts, which needs several pages out of four orders. Every other Shopify test uses
// fakes/shopify.ts, which honours `limit` as Shopify does.
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { startFakeServer, type FakeServer } from '../helpers/fake-server.js';

export const API = `/admin/api/${SHOPIFY_API_VERSION}`;
export const SHOP_TOKEN = 'shpat_PLANTED_secret_7c1e0d9a55';

export type FakeShopify = FakeServer;

export function summary(id: number, number: number, createdAt: string, total: string, title = 'Standard Shipping') {
  return { id, name: `#${number}`, order_number: number, created_at: createdAt, total_price: total, currency: 'USD', shipping_lines: [{ title }] };
}

/** A Shopify that accepts SHOP_TOKEN, answers /shop.json, and lists `orders` in pages of `pageSize` (Link rel="next"). */
export async function startFakeShopify(options: { orders?: ReturnType<typeof summary>[]; pageSize?: number } = {}): Promise<FakeShopify> {
  const orders = options.orders ?? [];
  const pageSize = options.pageSize ?? 2;
  const server = await startFakeServer();
  const authorized = (headers: Record<string, unknown>) => headers['x-shopify-access-token'] === SHOP_TOKEN;
  const rejection = () => ({ status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } });
  server.route(`GET ${API}/shop.json`, (request) =>
    authorized(request.headers) ? { body: { shop: { name: 'Planted Goods', myshopify_domain: 'planted-goods.myshopify.com' } } } : rejection(),
  );
  server.route(`GET ${API}/orders.json`, (request) => {
    if (!authorized(request.headers)) return rejection();
    // the cursor carries the first request's filter, as Shopify's does
    const [pageText, minText] = (request.query.page_info ?? '').split('_');
    const page = request.query.page_info ? Number(pageText) : 0;
    const min = request.query.page_info ? Number(minText) : request.query.created_at_min ? Date.parse(request.query.created_at_min) : 0;
    const matching = orders.filter((order) => Date.parse(order.created_at) >= min).sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    const size = Number(request.query.limit ?? pageSize) > 0 ? Math.min(pageSize, Number(request.query.limit ?? pageSize)) : pageSize;
    const slice = matching.slice(page * size, page * size + size);
    const headers: Record<string, string> = {};
    if ((page + 1) * size < matching.length) {
      headers.link = `<${server.url}${API}/orders.json?limit=${size}&fields=${encodeURIComponent(request.query.fields ?? '')}&page_info=${page + 1}_${min}>; rel="next"`;
    }
    return { headers, body: { orders: slice } };
  });
  return server;
}
