// The Shopify fake of the tests and the benchmarks: the sandbox's Shopify protocol
// (src/sandbox/protocols/shopify.ts: Admin REST and OAuth, the documented parameters only, Link/page_info
// cursors) over a store held in memory. Any number of orders generated cheaply (10,000 cost a few arrays);
// tests place orders with their own time, total and shipping method and fulfill them, as a customer and the
// Order Manager would. In front of the protocol stands what is this vendor's edge: the leaky bucket
// (X-Shopify-Shop-Api-Call-Limit on every answer, draining on the test's clock, 429 with Retry-After "2.0" when
// full) and the faults a test sets (faults after or before an order is made, throttling, HTML 502 pages, a
// revoked token, a missing scope). OAuth's store is shopify-oauth.ts: the client credentials grant, access
// tokens expiring on the store's clock; STORE_TOKEN is an admin-created app's token that never expires.
// test/fakes/payloads.test.ts checks it against Shopify's example payloads.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SHOPIFY_API_VERSION } from '../src/adapters/shopify/version.js';
import { parseBody, sendReply, headerText, type ProtocolReply, type ProtocolRequest } from '../src/sandbox/protocols/http.js';
import { ShopifyRefusal, answerShopify, shopifyBadBody, type ShopifyOrderView, type ShopifyStore } from '../src/sandbox/protocols/shopify.js';
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
  shop?: { name: string | null; domain: string };
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
  /**
   * An order exactly as given (a vendor example, or one a test shapes to see how a client reads it), served
   * by the protocol beside the generated ones; its own id, its times from its created_at and updated_at.
   */
  putOrder(order: Record<string, unknown>): void;
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
  /** orders put verbatim by a test */
  const putOrders: Record<string, unknown>[] = [];

  /** what tests set on generated orders (addOrder's details, fulfillments) */
  const placed = new Map<number, OrderDetails & { fulfillments: Record<string, unknown>[] }>();

  /** generated orders, made once (a listing reads every order the store holds) */
  const generatedCache = new Map<number, Record<string, unknown>>();

  function orderAt(index: number): Record<string, unknown> {
    const stored = detail.get(index);
    if (stored) return stored;
    const set = placed.get(index);
    if (!set) {
      let generated = generatedCache.get(index);
      if (!generated) generatedCache.set(index, (generated = generatedOrder(index)));
      return generated;
    }
    const generated = generatedOrder(index);
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

  /** what Shopify gives every order: its ids, number and times */
  function orderHead(index: number): Record<string, unknown> {
    const id = BASE_ID + index;
    const number = FIRST_NUMBER + index;
    return {
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${number}`,
      number: index + 1,
      order_number: number,
      created_at: shopifyTime(createdMs[index] as number),
      updated_at: shopifyTime(createdMs[index] as number),
    };
  }

  function generatedOrder(index: number): Record<string, unknown> {
    const id = BASE_ID + index;
    const total = `${10 + (index % 90)}.${String(index % 100).padStart(2, '0')}`;
    return {
      ...orderHead(index),
      email: `customer${index}@example.com`,
      currency,
      total_price: total,
      total_price_set: { shop_money: { amount: total, currency_code: currency }, presentment_money: { amount: total, currency_code: currency } },
      financial_status: 'paid',
      fulfillment_status: null,
      cancelled_at: null,
      closed_at: null,
      tags: '',
      note_attributes: [],
      shipping_address: {
        first_name: 'Pat',
        last_name: `Buyer${index}`,
        address1: '1 Main St',
        city: 'Louisville',
        province: 'Kentucky',
        zip: '40202',
        country_code: 'US',
        phone: '+1 502-555-0100',
      },
      shipping_lines: [{ id: id + 7, title: 'Standard Shipping', code: 'Standard Shipping', price: '4.99' }],
      line_items: [{ id: id + 3, variant_id: 42_000_000_000_001, title: 'Widget', quantity: 1, price: total, sku: `W-${index % 50}` }],
      fulfillments: [],
    };
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

  /** products.json's form of a product */
  function productJson(product: FakeProduct): Record<string, unknown> {
    return {
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
    };
  }

  /** POST orders.json: what this store places, or the refusal Shopify answers */
  function createOrder(body: unknown): Record<string, unknown> {
    const order = (body as { order?: Record<string, unknown> } | undefined)?.order;
    if (!order || typeof order !== 'object') throw new ShopifyRefusal(400, { order: 'Required parameter missing or invalid' });
    const lines = (order.line_items ?? []) as { variant_id?: number; quantity?: number }[];
    const unknown = lines.find((line) => !variantIds.has(Number(line.variant_id)));
    if (lines.length === 0 || unknown) {
      throw new ShopifyRefusal(422, { line_items: [`product variant ${String(unknown?.variant_id)} was not found on this store`] });
    }
    const index = addOrderAt(now());
    const id = BASE_ID + index;
    const variant = products.flatMap((product) => product.variants).find((v) => v.id === Number(lines[0]?.variant_id));
    const shippingPrice = String((order.shipping_lines as { price?: string }[] | undefined)?.[0]?.price ?? '0.00');
    const total = (Number(variant?.price ?? '0') * Number(lines[0]?.quantity ?? 1) + Number(shippingPrice)).toFixed(2);
    const record: Record<string, unknown> = {
      ...orderHead(index),
      email: order.email ?? '',
      currency,
      total_price: total,
      financial_status: order.financial_status ?? 'paid',
      fulfillment_status: null,
      cancelled_at: null,
      closed_at: null,
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
    return record;
  }

  /** the store as the Shopify protocol (src/sandbox/protocols/shopify.ts) reads and changes it */
  const backing: ShopifyStore = {
    read: () => ({
      tokenValid: (token) => {
        if (oauth.check(token) === 'ok') return true;
        oauth.deny(token);
        return false;
      },
      scopes: () => oauth.scopes,
      shop: () => ({
        id: 1,
        name: options.shop ? options.shop.name : 'Big Fake Store',
        myshopify_domain: options.shop?.domain ?? 'big-fake.myshopify.com',
        currency,
      }),
      orders: () => [...createdMs.map((_, index) => orderAt(index)), ...putOrders].map((order) => order as unknown as ShopifyOrderView),
      times: (order) => {
        const at = createdMs[order.id - BASE_ID];
        if (at !== undefined && !putOrders.includes(order as unknown as Record<string, unknown>)) return { createdAtMs: at, updatedAtMs: at };
        return { createdAtMs: Date.parse(order.created_at), updatedAtMs: Date.parse(order.updated_at ?? order.created_at) };
      },
      products: () => [...products].sort((a, b) => a.id - b.id).map(productJson),
    }),
    createOrder,
    grant: (fields) => oauth.grantFields(fields),
  };

  const THROTTLED = { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' };

  /** The vendor's edge before the protocol: the token, this fake's faults and the leaky bucket; null to pass on. */
  function edge(request: ProtocolRequest): ProtocolReply | null {
    const token = headerText(request.headers['x-shopify-access-token']);
    if (oauth.check(token) !== 'ok') return { status: 401, json: oauth.deny(token).body };
    if (faults.reject === 401) return { status: 401, json: oauth.deny(undefined).body };
    if (faults.reject === 403) return { status: 403, json: { errors: READ_ORDERS_NEEDED } };
    if (faults.throttleNext > 0) {
      faults.throttleNext -= 1;
      return { status: 429, json: THROTTLED, headers: { 'Retry-After': '2.0', 'X-Shopify-Shop-Api-Call-Limit': '40/40' } };
    }
    const { full, header } = bucketAnswer();
    const headers = { 'X-Shopify-Shop-Api-Call-Limit': header, 'X-Shopify-API-Version': SHOPIFY_API_VERSION };
    if (full) return { status: 429, json: THROTTLED, headers: { ...headers, 'Retry-After': '2.0' } };
    if (faults.html502Next > 0) {
      faults.html502Next -= 1;
      return { status: 502, text: HTML_502, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } };
    }
    const route = `${request.method} ${request.path}`;
    if (route === `GET ${API}/orders.json` && faults.forbidOrders) return { status: 403, json: { errors: READ_ORDERS_NEEDED }, headers };
    if (route === `GET ${API}/products.json` && faults.forbidProducts) {
      return { status: 403, json: { errors: '[API] This action requires merchant approval for read_products scope.' }, headers };
    }
    // test knobs, as query rewrites the protocol then reads: a smaller page, a listing that ignores its dates
    const listing = route === `GET ${API}/orders.json`;
    if (listing && options.pageSize !== undefined) {
      const limit = Number(request.query.get('limit') ?? '50');
      if (limit > options.pageSize) request.query.set('limit', String(options.pageSize));
    }
    if (listing && faults.ignoreDateFilter && !request.query.has('page_info')) {
      request.query.delete('created_at_min');
      request.query.delete('created_at_max');
    }
    bucketHeader = header;
    return null;
  }
  let bucketHeader = '1/40';

  async function answer(req: IncomingMessage, res: ServerResponse, record: StoreRequest): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isAdmin = url.pathname.startsWith(`${API}/`) || url.pathname.startsWith('/admin/api/');
    const createFault = record.method === 'POST' && url.pathname === `${API}/orders.json` ? faults.create.shift() : undefined;
    if (url.pathname === '/admin/oauth/access_token') oauth.grantBodies.push(record.body);
    let body: unknown;
    try {
      body = parseBody(record.body, req.headers['content-type']);
    } catch (error) {
      return send(res, shopifyBadBody(error instanceof Error ? error.message : String(error)));
    }
    const request: ProtocolRequest = {
      method: record.method,
      path: url.pathname,
      query: new URLSearchParams(url.searchParams),
      headers: req.headers,
      body,
      origin: options.linkOrigin ?? origin,
    };
    if (isAdmin) {
      const refused = edge(request);
      if (refused) return send(res, refused);
    }
    if (createFault === 'drop-before-create') {
      req.socket.destroy();
      return 0;
    }
    const reply = (await answerShopify(request, backing)) ?? { status: 404, json: { errors: 'Not Found' }, unserved: true };
    if (reply.unserved) store.unhandled.push(record);
    if (isAdmin) reply.headers = { ...reply.headers, 'X-Shopify-Shop-Api-Call-Limit': bucketHeader };
    if (createFault === 'drop-after-create') {
      req.socket.destroy();
      return 0;
    }
    if (createFault === 'hang-after-create') return 0; // never answers; the client's deadline ends it
    if (createFault === 'html502-after-create')
      return send(res, { status: 502, text: HTML_502, headers: { ...reply.headers, 'Content-Type': 'text/html; charset=utf-8' } });
    return send(res, reply);
  }

  function send(res: ServerResponse, reply: ProtocolReply): number {
    sendReply(res, reply);
    return reply.status;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      const record: StoreRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        at: now(),
        status: 0,
      };
      requests.push(record);
      options.onRequest?.(record, store);
      answer(req, res, record)
        .then((status) => {
          record.status = status;
        })
        .catch((error: unknown) => {
          record.status = 500;
          if (!res.headersSent) sendReply(res, { status: 500, json: { errors: `fake store failed: ${String(error)}` } });
        });
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
    putOrder(order) {
      putOrders.push(order);
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
        updated_at: shopifyTime(now()),
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
