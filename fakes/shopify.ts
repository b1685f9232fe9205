// A fake Shopify store for the adapter's harder tests, on node:http directly (it must be able to drop a
// connection mid-request): any number of orders generated cheaply (10,000 cost a few arrays), orders.json
// newest first with the documented filters (status, created_at_min/max, since_id, ids, fields, limit) and real
// Link/page_info cursors (a page_info request may carry only limit and fields), orders/{id}.json, POST
// orders.json (with faults injected after or before the order is made), products.json (status, vendor,
// fields, limit, page_info), shop.json, and the leaky bucket: X-Shopify-Shop-Api-Call-Limit on every answer,
// draining on the test's clock, 429 with Retry-After "2.0" when full. Shopify's OAuth side too
// (shopify-oauth.ts): the client credentials grant, access tokens expiring on the store's clock, and
// access_scopes.json; STORE_TOKEN is an admin-created app's token that never expires. Tests of the core place
// orders with their own total and shipping method and fulfill them, as a customer and the Order Manager would.
// The one Shopify fake of the tests and the benchmarks (test/fakes/payloads.test.ts checks it against
// Shopify's example payloads).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SHOPIFY_API_VERSION } from '../src/adapters/shopify/version.js';
import { createShopifyOauth, type ShopifyOauth } from './shopify-oauth.js';

export const STORE_TOKEN = 'shpat_fake_store_token_0123456789';
const API = `/admin/api/${SHOPIFY_API_VERSION}`;
const BASE_ID = 6_000_000_000_000;
const FIRST_NUMBER = 1001;

export interface FakeProductVariant {
  id: number;
  title?: string;
  price: string;
  sku?: string;
  inventory_quantity?: number;
  inventory_management?: string | null;
  inventory_policy?: 'deny' | 'continue';
}

export interface FakeProduct {
  id: number;
  title: string;
  vendor: string;
  status?: 'active' | 'draft' | 'archived';
  variants: FakeProductVariant[];
}

export interface StoreRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** the store's clock when it arrived */
  at: number;
  status: number;
}

export type CreateFault = 'drop-after-create' | 'drop-before-create' | 'hang-after-create' | 'html502-after-create';

/** what a test sets on an order it places; the rest is generated */
export interface OrderDetails {
  total?: string;
  shippingTitle?: string;
  phone?: string | null;
}

export interface FakeStoreOptions {
  /** how many orders the store already has (default 0) */
  orders?: number;
  /** the first of them is this old (default 60 days); the last was created `newestAgeMs` ago */
  spanMs?: number;
  newestAgeMs?: number;
  /** the admin-created app's token, which never expires (default STORE_TOKEN) */
  token?: string;
  /** what shop.json answers */
  shop?: { name: string; domain: string };
  /** the store's "now" (drives the bucket and order creation); default the wall clock */
  now?: () => number;
  /** the leaky bucket (`startLevel`: calls another app made just before); false: a constant "1/40" */
  bucket?: { size: number; leakPerSecond: number; startLevel?: number } | false;
  products?: FakeProduct[];
  currency?: string;
  /** the Dev Dashboard app's access tokens: their lifetime (default 86,399 s) and the granted scopes */
  oauth?: { lifetimeSec?: number; scopes?: string[] };
  /** orders.json answers at most this many orders a page whatever `limit` asks, so a few orders make several pages */
  pageSize?: number;
  /** the origin Link headers name (Shopify names the shop's own domain, also when reached through another address) */
  linkOrigin?: string;
  /** called as each request arrives, before it is answered (to change faults mid-listing) */
  onRequest?: (request: StoreRequest, store: FakeStore) => void;
}

export interface FakeStore {
  url: string;
  oauth: ShopifyOauth;
  requests: StoreRequest[];
  /** orders created by POST orders.json, in order */
  created: Record<string, unknown>[];
  /** the number of orders the store holds */
  count(): number;
  /** a customer order created at `createdAtMs` (default now), which must not be older than the newest */
  addOrder(createdAtMs?: number, details?: OrderDetails): { id: number; number: number; createdAt: string };
  /** the order shipped: a successful fulfillment with this UPS tracking number */
  fulfill(orderId: number, trackingNumber: string): void;
  /** requests to a path the store has no route for */
  unhandled: StoreRequest[];
  /** an existing order by number */
  orderByNumber(number: number): { id: number; number: number; createdAtMs: number } | undefined;
  faults: {
    /** what the next POST orders.json does; consumed by it */
    create: CreateFault[];
    /** the next n requests answer 429 whatever the bucket holds */
    throttleNext: number;
    /** the next n requests answer 502 with an HTML page */
    html502Next: number;
    /** listings ignore created_at_min and created_at_max (as a cache in front of the API might) */
    ignoreDateFilter?: boolean;
    /** products.json answers 403 (the token lacks read_products) */
    forbidProducts: boolean;
    /** orders.json answers 403 (the token lacks read_orders) */
    forbidOrders?: boolean;
    /** every Admin API call answers this: 401 (the token was revoked) or 403 (the app lost its access) */
    reject?: 401 | 403 | null;
  };
  requestsTo(method: string, pathEnd: string): StoreRequest[];
  close(): Promise<void>;
}

const READ_ORDERS_NEEDED = 'This action requires merchant approval for read_orders scope.';

const HTML_502 =
  '<!DOCTYPE html><html><head><title>Something went wrong</title><style>body{font-family:sans-serif}</style></head>' +
  '<body><h1>Something went wrong</h1><p>There was a problem loading this website. Please try again.</p></body></html>';

/** Shopify's form, in the shop's offset (-05:00). */
function shopifyTime(ms: number): string {
  const shifted = new Date(Math.floor(ms / 1000) * 1000 - 5 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}-05:00`;
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode<T>(text: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

interface OrderCursor {
  kind: 'orders';
  lo: number;
  hi: number;
  ids?: number[];
  /** the next page holds indices below this */
  before: number;
}

interface ProductCursor {
  kind: 'products';
  vendor?: string;
  statuses: string[];
  after: number;
}

export async function startFakeStore(options: FakeStoreOptions = {}): Promise<FakeStore> {
  const now = options.now ?? (() => Date.now());
  const oauth = createShopifyOauth({ now, legacyToken: options.token ?? STORE_TOKEN, lifetimeSec: options.oauth?.lifetimeSec, scopes: options.oauth?.scopes });
  const currency = options.currency ?? 'USD';
  const bucket = options.bucket === undefined ? { size: 40, leakPerSecond: 2 } : options.bucket;
  const products = options.products ?? [];
  const variantIds = new Set(products.flatMap((product) => product.variants.map((variant) => variant.id)));

  // Orders: index i has id BASE_ID + i and number 1001 + i; creation times ascending with the index.
  const initial = options.orders ?? 0;
  const span = options.spanMs ?? 60 * 86_400_000;
  const newestAge = options.newestAgeMs ?? 60_000;
  const start = now();
  const createdMs: number[] = [];
  for (let i = 0; i < initial; i += 1) {
    const first = start - span;
    const last = start - newestAge;
    createdMs.push(initial === 1 ? last : Math.round(first + ((last - first) * i) / (initial - 1)));
  }
  /** orders with more than the generated detail (created by POST) */
  const detail = new Map<number, Record<string, unknown>>();
  const created: Record<string, unknown>[] = [];

  /** what tests set on generated orders (addOrder's details, fulfillments) */
  const placed = new Map<number, OrderDetails & { fulfillments: Record<string, unknown>[] }>();

  function orderAt(index: number): Record<string, unknown> {
    const stored = detail.get(index);
    if (stored) return stored;
    const generated = generatedOrder(index);
    const set = placed.get(index);
    if (!set) return generated;
    const total = set.total ?? (generated.total_price as string);
    const [shipping] = generated.shipping_lines as Record<string, unknown>[];
    const title = set.shippingTitle ?? (shipping?.title as string);
    return {
      ...generated,
      total_price: total,
      total_price_set: { shop_money: { amount: total, currency_code: currency }, presentment_money: { amount: total, currency_code: currency } },
      shipping_address: { ...(generated.shipping_address as Record<string, unknown>), ...(set.phone !== undefined ? { phone: set.phone } : {}) },
      shipping_lines: [{ ...shipping, title, code: title }],
      line_items: (generated.line_items as Record<string, unknown>[]).map((line) => ({ ...line, price: (Number(total) - 4.99).toFixed(2) })),
      fulfillment_status: set.fulfillments.length > 0 ? 'fulfilled' : null,
      fulfillments: set.fulfillments,
    };
  }

  function generatedOrder(index: number): Record<string, unknown> {
    const number = FIRST_NUMBER + index;
    const id = BASE_ID + index;
    const total = `${10 + (index % 90)}.${String(index % 100).padStart(2, '0')}`;
    return {
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${number}`,
      number: index + 1,
      order_number: number,
      created_at: shopifyTime(createdMs[index] as number),
      updated_at: shopifyTime(createdMs[index] as number),
      email: `customer${index}@example.com`,
      currency,
      total_price: total,
      total_price_set: { shop_money: { amount: total, currency_code: currency }, presentment_money: { amount: total, currency_code: currency } },
      financial_status: 'paid',
      fulfillment_status: null,
      cancelled_at: null,
      tags: '',
      note_attributes: [],
      shipping_address: { first_name: 'Pat', last_name: `Buyer${index}`, address1: '1 Main St', city: 'Louisville', province: 'Kentucky', zip: '40202', country_code: 'US', phone: '+1 502-555-0100' },
      shipping_lines: [{ id: id + 7, title: 'Standard Shipping', code: 'Standard Shipping', price: '4.99' }],
      line_items: [{ id: id + 3, variant_id: 42_000_000_000_001, title: 'Widget', quantity: 1, price: total, sku: `W-${index % 50}` }],
      fulfillments: [],
    };
  }

  function pick(record: Record<string, unknown>, fields: string | null): Record<string, unknown> {
    if (!fields) return record;
    const wanted = fields.split(',').map((field) => field.trim());
    return Object.fromEntries(Object.entries(record).filter(([key]) => wanted.includes(key)));
  }

  /** first index whose creation time is ≥ ms */
  function lowerBound(ms: number): number {
    let lo = 0;
    let hi = createdMs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((createdMs[mid] as number) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function addOrderAt(at: number): number {
    const newest = createdMs[createdMs.length - 1];
    if (newest !== undefined && at < newest) throw new Error('orders must be added in creation order');
    createdMs.push(at);
    return createdMs.length - 1;
  }

  // the leaky bucket, on the store's clock
  let level = bucket ? (bucket.startLevel ?? 0) : 0;
  let levelAt = now();
  function bucketAnswer(): { full: boolean; header: string } {
    if (!bucket) return { full: false, header: '1/40' };
    const t = now();
    level = Math.max(0, level - ((t - levelAt) / 1000) * bucket.leakPerSecond);
    levelAt = t;
    if (level + 1 > bucket.size) return { full: true, header: `${bucket.size}/${bucket.size}` };
    level += 1;
    return { full: false, header: `${Math.ceil(level)}/${bucket.size}` };
  }

  const requests: StoreRequest[] = [];
  const faults: FakeStore['faults'] = { create: [], throttleNext: 0, html502Next: 0, forbidProducts: false };
  let origin = '';
  // eslint-disable-next-line prefer-const
  let store: FakeStore;

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
    return status;
  }

  function pageInfoViolation(query: URLSearchParams): string | undefined {
    if (!query.has('page_info')) return undefined;
    return [...query.keys()].find((key) => !['page_info', 'limit', 'fields'].includes(key));
  }

  function limitOf(query: URLSearchParams): number | undefined {
    const text = query.get('limit') ?? '50';
    const limit = /^\d+$/.test(text) ? Number(text) : NaN;
    return limit >= 1 && limit <= 250 ? limit : undefined;
  }

  function listOrders(query: URLSearchParams, headers: Record<string, string>, res: ServerResponse): number {
    const limit = limitOf(query);
    if (limit === undefined) return json(res, 400, { errors: { limit: 'is invalid' } }, headers);
    const fields = query.get('fields');
    let cursor: OrderCursor;
    const pageInfo = query.get('page_info');
    if (pageInfo !== null) {
      const decoded = decode<OrderCursor>(pageInfo);
      if (!decoded || decoded.kind !== 'orders') return json(res, 400, { errors: { page_info: 'Invalid value.' } }, headers);
      cursor = decoded;
    } else {
      for (const key of query.keys()) {
        if (!['status', 'created_at_min', 'created_at_max', 'since_id', 'ids', 'fields', 'limit'].includes(key)) {
          return json(res, 400, { errors: { [key]: 'is not a supported parameter' } }, headers);
        }
      }
      const min = query.get('created_at_min');
      const max = query.get('created_at_max');
      const sinceId = query.get('since_id');
      let lo = min === null || faults.ignoreDateFilter ? 0 : lowerBound(Date.parse(min));
      let hi = max === null || faults.ignoreDateFilter ? createdMs.length : lowerBound(Date.parse(max) + 1);
      if (sinceId !== null) lo = Math.max(lo, Number(sinceId) - BASE_ID + 1);
      hi = Math.max(lo, hi);
      const ids = query.get('ids')?.split(',').map(Number);
      cursor = { kind: 'orders', lo, hi, ids, before: hi };
    }
    const indices: number[] = [];
    const take = Math.min(limit, options.pageSize ?? limit);
    for (let i = cursor.before - 1; i >= cursor.lo && indices.length < take; i -= 1) {
      if (!cursor.ids || cursor.ids.includes(BASE_ID + i)) indices.push(i);
    }
    const orders = indices.map((index) => pick(orderAt(index), fields));
    const last = indices[indices.length - 1];
    const links: string[] = [];
    const keep = (next: OrderCursor) => {
      const params = new URLSearchParams({ limit: String(limit) });
      if (fields !== null) params.set('fields', fields);
      params.set('page_info', encode(next));
      return `${options.linkOrigin ?? origin}${API}/orders.json?${params.toString()}`;
    };
    if (cursor.before < cursor.hi) links.push(`<${keep({ ...cursor, before: Math.min(cursor.hi, cursor.before + take) })}>; rel="previous"`);
    if (last !== undefined && last > cursor.lo) links.push(`<${keep({ ...cursor, before: last })}>; rel="next"`);
    return json(res, 200, { orders }, links.length > 0 ? { ...headers, Link: links.join(', ') } : headers);
  }

  function listProducts(query: URLSearchParams, headers: Record<string, string>, res: ServerResponse): number {
    if (faults.forbidProducts) return json(res, 403, { errors: '[API] This action requires merchant approval for read_products scope.' }, headers);
    const limit = limitOf(query);
    if (limit === undefined) return json(res, 400, { errors: { limit: 'is invalid' } }, headers);
    const fields = query.get('fields');
    let cursor: ProductCursor;
    const pageInfo = query.get('page_info');
    if (pageInfo !== null) {
      const decoded = decode<ProductCursor>(pageInfo);
      if (!decoded || decoded.kind !== 'products') return json(res, 400, { errors: { page_info: 'Invalid value.' } }, headers);
      cursor = decoded;
    } else {
      for (const key of query.keys()) {
        if (!['status', 'vendor', 'fields', 'limit', 'ids'].includes(key)) return json(res, 400, { errors: { [key]: 'is not a supported parameter' } }, headers);
      }
      cursor = { kind: 'products', vendor: query.get('vendor') ?? undefined, statuses: (query.get('status') ?? 'active').split(','), after: 0 };
    }
    const all = [...products]
      .sort((a, b) => a.id - b.id)
      .filter((product) => cursor.statuses.includes(product.status ?? 'active') && (cursor.vendor === undefined || product.vendor === cursor.vendor));
    const page = all.filter((product) => product.id > cursor.after).slice(0, limit);
    const last = page[page.length - 1];
    const links: string[] = [];
    if (last && all.some((product) => product.id > last.id)) {
      const params = new URLSearchParams({ limit: String(limit) });
      if (fields !== null) params.set('fields', fields);
      params.set('page_info', encode({ ...cursor, after: last.id }));
      links.push(`<${options.linkOrigin ?? origin}${API}/products.json?${params.toString()}>; rel="next"`);
    }
    const rendered = page.map((product) =>
      pick(
        {
          ...product,
          status: product.status ?? 'active',
          variants: product.variants.map((variant) => ({
            product_id: product.id,
            title: 'Default Title',
            inventory_quantity: 5,
            inventory_management: 'shopify',
            inventory_policy: 'deny',
            ...variant,
          })),
          images: [],
        },
        fields,
      ),
    );
    return json(res, 200, { products: rendered }, links.length > 0 ? { ...headers, Link: links.join(', ') } : headers);
  }

  function createOrder(body: string, headers: Record<string, string>, res: ServerResponse, req: IncomingMessage): number {
    const fault = faults.create.shift();
    if (fault === 'drop-before-create') {
      req.socket.destroy();
      return 0;
    }
    let parsed: { order?: Record<string, unknown> };
    try {
      parsed = JSON.parse(body) as { order?: Record<string, unknown> };
    } catch {
      return json(res, 400, { errors: 'The request body is not JSON' }, headers);
    }
    const order = parsed.order;
    if (!order) return json(res, 400, { errors: { order: 'Required parameter missing or invalid' } }, headers);
    const lines = (order.line_items ?? []) as { variant_id?: number; quantity?: number }[];
    const unknown = lines.find((line) => !variantIds.has(Number(line.variant_id)));
    if (lines.length === 0 || unknown) {
      return json(res, 422, { errors: { line_items: [`product variant ${String(unknown?.variant_id)} was not found on this store`] } }, headers);
    }
    const index = addOrderAt(now());
    const id = BASE_ID + index;
    const number = FIRST_NUMBER + index;
    const variant = products.flatMap((product) => product.variants).find((v) => v.id === Number(lines[0]?.variant_id));
    const shippingPrice = String((order.shipping_lines as { price?: string }[] | undefined)?.[0]?.price ?? '0.00');
    const total = (Number(variant?.price ?? '0') * Number(lines[0]?.quantity ?? 1) + Number(shippingPrice)).toFixed(2);
    const record: Record<string, unknown> = {
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${number}`,
      number: index + 1,
      order_number: number,
      created_at: shopifyTime(createdMs[index] as number),
      updated_at: shopifyTime(createdMs[index] as number),
      email: order.email ?? '',
      currency,
      total_price: total,
      financial_status: order.financial_status ?? 'paid',
      fulfillment_status: null,
      cancelled_at: null,
      tags: String(order.tags ?? '')
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean)
        .join(', '),
      note_attributes: order.note_attributes ?? [],
      shipping_address: order.shipping_address ?? null,
      billing_address: order.billing_address ?? null,
      shipping_lines: ((order.shipping_lines ?? []) as Record<string, unknown>[]).map((line, i) => ({ id: id + 7 + i, ...line })),
      line_items: lines.map((line, i) => ({ id: id + 3 + i, variant_id: line.variant_id, quantity: line.quantity, price: variant?.price })),
      fulfillments: [],
    };
    detail.set(index, record);
    created.push(record);
    if (fault === 'drop-after-create') {
      req.socket.destroy();
      return 0;
    }
    if (fault === 'hang-after-create') return 0; // never answers; the client's deadline ends it
    if (fault === 'html502-after-create') {
      res.writeHead(502, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      res.end(HTML_502);
      return 502;
    }
    return json(res, 201, { order: record }, headers);
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): number {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const token = req.headers['x-shopify-access-token'] as string | undefined;
    const answer = (reply: { status: number; body: unknown }): number => {
      if (typeof reply.body === 'string') {
        res.writeHead(reply.status, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(reply.body);
        return reply.status;
      }
      return json(res, reply.status, reply.body);
    };
    if (method === 'POST' && url.pathname === '/admin/oauth/access_token') return answer(oauth.grant(req.headers['content-type'], body));
    if (method === 'GET' && url.pathname === '/admin/oauth/access_scopes.json') return answer(oauth.accessScopes(token));
    if (oauth.check(token) !== 'ok') return answer(oauth.deny(token));
    if (faults.reject === 401) return answer(oauth.deny(undefined));
    if (faults.reject === 403) return json(res, 403, { errors: READ_ORDERS_NEEDED });
    if (faults.throttleNext > 0) {
      faults.throttleNext -= 1;
      return json(
        res,
        429,
        { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
        { 'Retry-After': '2.0', 'X-Shopify-Shop-Api-Call-Limit': '40/40' },
      );
    }
    const { full, header } = bucketAnswer();
    const headers = { 'X-Shopify-Shop-Api-Call-Limit': header, 'X-Shopify-API-Version': SHOPIFY_API_VERSION };
    if (full) {
      return json(res, 429, { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, { ...headers, 'Retry-After': '2.0' });
    }
    if (faults.html502Next > 0) {
      faults.html502Next -= 1;
      res.writeHead(502, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      res.end(HTML_502);
      return 502;
    }
    const bad = pageInfoViolation(url.searchParams);
    if (bad) {
      return json(
        res,
        400,
        { errors: { [bad]: `${bad} cannot be passed when page_info is present. See https://shopify.dev/api/usage/pagination-rest for more information.` } },
        headers,
      );
    }
    const route = `${method} ${url.pathname}`;
    if (route === `GET ${API}/shop.json`) return json(res, 200, { shop: pick({ id: 1, name: options.shop?.name ?? 'Big Fake Store', myshopify_domain: options.shop?.domain ?? 'big-fake.myshopify.com', currency }, url.searchParams.get('fields')) }, headers);
    if (route === `GET ${API}/orders.json` && faults.forbidOrders) return json(res, 403, { errors: READ_ORDERS_NEEDED }, headers);
    if (route === `GET ${API}/orders.json`) return listOrders(url.searchParams, headers, res);
    if (route === `POST ${API}/orders.json`) return createOrder(body, headers, res, req);
    if (route === `GET ${API}/products.json`) return listProducts(url.searchParams, headers, res);
    const one = new RegExp(`^GET ${API}/orders/(\\d+)\\.json$`).exec(route);
    if (one) {
      const index = Number(one[1]) - BASE_ID;
      if (!(index >= 0 && index < createdMs.length)) return json(res, 404, { errors: 'Not Found' }, headers);
      return json(res, 200, { order: pick(orderAt(index), url.searchParams.get('fields')) }, headers);
    }
    store.unhandled.push(requests[requests.length - 1] as StoreRequest);
    return json(res, 404, { errors: 'Not Found' }, headers);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      const record: StoreRequest = { method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query: url.searchParams, headers: req.headers, body, at: now(), status: 0 };
      requests.push(record);
      options.onRequest?.(record, store);
      try {
        record.status = handle(req, res, body);
      } catch (error) {
        record.status = 500;
        if (!res.headersSent) json(res, 500, { errors: `fake store failed: ${String(error)}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  store = {
    url: origin,
    oauth,
    requests,
    created,
    faults,
    count: () => createdMs.length,
    unhandled: [],
    addOrder(createdAtMs = now(), details) {
      const index = addOrderAt(createdAtMs);
      if (details) placed.set(index, { ...details, fulfillments: [] });
      return { id: BASE_ID + index, number: FIRST_NUMBER + index, createdAt: new Date(createdAtMs).toISOString() };
    },
    orderByNumber(number) {
      const index = number - FIRST_NUMBER;
      if (!(index >= 0 && index < createdMs.length)) return undefined;
      return { id: BASE_ID + index, number, createdAtMs: createdMs[index] as number };
    },
    fulfill(orderId, trackingNumber) {
      const index = orderId - BASE_ID;
      if (!(index >= 0 && index < createdMs.length) || detail.has(index)) throw new Error(`no placed order ${orderId} to fulfill`);
      const set = placed.get(index) ?? { fulfillments: [] };
      placed.set(index, set);
      const url = `https://www.ups.com/track?tracknum=${trackingNumber}`;
      set.fulfillments.push({
        id: 255_858_046 + set.fulfillments.length,
        order_id: orderId,
        status: 'success',
        created_at: shopifyTime(now()),
        tracking_company: 'UPS',
        tracking_number: trackingNumber,
        tracking_numbers: [trackingNumber],
        tracking_url: url,
        tracking_urls: [url],
      });
    },
    requestsTo: (method, pathEnd) => requests.filter((request) => request.method === method && request.path.endsWith(pathEnd)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return store;
}
