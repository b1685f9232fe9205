// Fake Shopify and Flxpoint servers on loopback for the connect, orders and doctor tests.
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { startFakeServer, type FakeServer } from '../helpers/fake-server.js';

export const API = `/admin/api/${SHOPIFY_API_VERSION}`;
export const SHOP_TOKEN = 'shpat_PLANTED_secret_7c1e0d9a55';
export const FLX_TOKEN = 'fxp_PLANTED_secret_a81b44c2e9';

export interface FakeShopify extends FakeServer {
  /** what the fake currently does with the shop call */
  /** reject: every call; ordersForbidden: only the order list (a token without read_orders) */
  mode: { reject: 401 | 403 | null; token: string; ordersForbidden: boolean };
}

export function summary(id: number, number: number, createdAt: string, total: string, title = 'Standard Shipping') {
  return { id, name: `#${number}`, order_number: number, created_at: createdAt, total_price: total, currency: 'USD', shipping_lines: [{ title }] };
}

/** A Shopify that accepts `token`, answers /shop.json, and lists `orders` in pages of `pageSize` (Link rel="next"). */
export async function startFakeShopify(options: { token?: string; orders?: ReturnType<typeof summary>[]; pageSize?: number } = {}): Promise<FakeShopify> {
  const mode = { reject: null as 401 | 403 | null, token: options.token ?? SHOP_TOKEN, ordersForbidden: false };
  const orders = options.orders ?? [];
  const pageSize = options.pageSize ?? 2;
  const server = (await startFakeServer()) as FakeShopify;
  server.mode = mode;
  const authorized = (headers: Record<string, unknown>) => headers['x-shopify-access-token'] === mode.token && mode.reject === null;
  const rejection = () =>
    mode.reject === 403
      ? { status: 403, body: { errors: 'This action requires merchant approval for read_orders scope.' } }
      : { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } };
  server.route(`GET ${API}/shop.json`, (request) =>
    authorized(request.headers) ? { body: { shop: { name: 'Planted Goods', myshopify_domain: 'planted-goods.myshopify.com' } } } : rejection(),
  );
  server.route(`GET ${API}/orders.json`, (request) => {
    if (!authorized(request.headers)) return rejection();
    if (mode.ordersForbidden) return { status: 403, body: { errors: 'This action requires merchant approval for read_orders scope.' } };
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

export interface FakeFlxpoint extends FakeServer {
  mode: { reject: 401 | 403 | null; token: string };
}

export async function startFakeFlxpoint(options: { token?: string } = {}): Promise<FakeFlxpoint> {
  const mode = { reject: null as 401 | 403 | null, token: options.token ?? FLX_TOKEN };
  const server = (await startFakeServer()) as FakeFlxpoint;
  server.mode = mode;
  server.route('GET /orders', (request) => {
    if (mode.reject) return { status: mode.reject, body: '' };
    if (request.headers['x-api-token'] !== mode.token) return { status: 401, body: '' };
    return { body: [] };
  });
  return server;
}
