// A fake BigCommerce API on 127.0.0.1 (port 0) for adapter tests, reproducing what the research documents
// (../shared/research/channel-apis.md §3, §4):
// - X-Auth-Token auth; 401 for a wrong token and 403 for a missing scope, with v2's array error body;
// - the four X-Rate-Limit-* headers on every answer; a quota that really runs out (429 with the headers when a
//   client ignores Requests-Left 0), and queued 429s with or without the headers (platform load);
// - 204 with an empty body for no orders, for a page past the end and for the shipments of an unshipped order;
// - RFC 2822 dates, 4-decimal money, `date_shipped: ""`, sub-resources as {url, resource} links;
// - GET /v2/orders with min_id, max_id, min_date_created, max_date_created, status_id, sort, limit (≤ 250, else
//   413), page; any other parameter is answered 400, so an adapter that sends one fails loudly;
// - POST /v2/orders answering 200 (per the spec; 201 on request), and a switch to drop the connection after (or
//   before) creating the order;
// - the v3 catalog routes onboard uses (products with include=variants, brands by name, one variant);
// - a store of any number of generated orders (10,000 is cheap: compact records, rendered when answered).
// The fixtures under fixtures/bigcommerce/ are the templates of what it answers. The texts of the 401/403/429
// bodies are not documented (the research found none): these are the fake's own.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const FIXTURES = new URL('../fixtures/bigcommerce/', import.meta.url);
function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
}

type Json = Record<string, unknown>;

export interface FakeRequest {
  method: string;
  /** the full path, /stores/<hash>/v2/orders */
  path: string;
  /** the path after /stores/<hash>: "/v2/orders" */
  route: string;
  query: Record<string, string>;
  search: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** what the fake answered (0 when it dropped the connection) */
  status: number;
}

export interface FakeOrder {
  id: number;
  createdMs: number;
  statusId: number;
  /** 4-decimal text */
  total: string;
  currency: string;
  staffNotes: string;
  /** null: the fixture's address */
  shippingAddresses: Json[] | null;
  shipments: Json[];
}

export type Scope = 'orders' | 'orders_modify' | 'products' | 'information';

export interface FakeBigCommerceOptions {
  storeHash?: string;
  token?: string;
  /** the scopes the token has; default all */
  scopes?: Scope[];
  /** generated orders: ids from firstOrderId, created from firstCreatedAt, one every spacingMs */
  orderCount?: number;
  firstOrderId?: number;
  firstCreatedAt?: string;
  spacingMs?: number;
  /** time for the rate-limit window and for orders created by POST (share the test's recording clock) */
  now?: () => number;
  /** X-Rate-Limit-Requests-Quota (150 on Standard/Plus) and the window (30 s) */
  quota?: number;
  windowMs?: number;
  /** answer 429 (with the headers) when a client sends more than the quota within the window */
  enforceQuota?: boolean;
  /** the status POST /v2/orders answers with: 200 per the spec, 201 per the general docs */
  createStatus?: 200 | 201;
  /** fault: min_date_created and max_date_created are ignored (as a cache in front of the API might) */
  ignoreDateFilter?: boolean;
}

export interface FakeBigCommerce {
  url: string;
  storeHash: string;
  token: string;
  requests: FakeRequest[];
  /** requests whose route (after /stores/<hash>) and method match; route may contain `*` for one segment */
  requestsTo(method: string, route: string): FakeRequest[];
  /** 429s answered so far */
  rateLimited: FakeRequest[];
  orders: FakeOrder[];
  order(id: number): FakeOrder | undefined;
  /** adds an order (id next after the last) */
  addOrder(overrides?: Partial<FakeOrder>): FakeOrder;
  /** orders created through POST /v2/orders */
  created: FakeOrder[];
  /** the next `count` POST /v2/orders create the order and then drop the connection without an answer */
  dropAfterCreate(count?: number): void;
  /** the next `count` POST /v2/orders drop the connection without creating anything */
  dropBeforeCreate(count?: number): void;
  /** the next answers are 429: 'headers' with X-Rate-Limit-* (Time-Reset-Ms = resetMs), 'bare' with none */
  queue429(kinds: Array<'headers' | 'bare'>, resetMs?: number): void;
  /** an answer of the store's own for the next request to a route (e.g. a 500) */
  failNext(method: string, route: string, reply: { status: number; body?: unknown }): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Formats

/** "Thu, 15 Jan 2026 12:00:00 +0000", as BigCommerce sends dates. */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/** 4-decimal text from integer ten-thousandths. */
function money4(units: bigint): string {
  const text = units.toString().padStart(5, '0');
  return `${text.slice(0, -4)}.${text.slice(-4)}`;
}

/** decimal text or a JSON number → integer ten-thousandths, exactly (never a float product). */
function units4(value: string | number): bigint {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) throw new Error(`not an amount: ${text}`);
  return BigInt(match[1] ?? '0') * 10000n + BigInt((match[2] ?? '').padEnd(4, '0'));
}

function errorBody(status: number, message: string): Json[] {
  return [{ status, message }];
}

const V2_ORDER_PARAMS = new Set([
  'min_id',
  'max_id',
  'min_total',
  'max_total',
  'customer_id',
  'email',
  'status_id',
  'cart_id',
  'payment_method',
  'min_date_created',
  'max_date_created',
  'min_date_modified',
  'max_date_modified',
  'page',
  'limit',
  'sort',
  'channel_id',
  'include',
  'consignment_structure',
  'external_order_id',
]);
const V2_SORT_FIELDS = new Set(['id', 'customer_id', 'date_created', 'date_modified', 'status_id', 'channel_id', 'external_id']);
const V3_PRODUCT_PARAMS = new Set([
  'id',
  'name',
  'sku',
  'price',
  'brand_id',
  'is_visible',
  'availability',
  'type',
  'keyword',
  'include',
  'sort',
  'direction',
  'limit',
  'page',
]);
const V3_PRODUCT_SORTS = new Set(['id', 'name', 'sku', 'price', 'date_modified', 'date_last_imported', 'inventory_level', 'is_visible', 'total_sold']);

// ---------------------------------------------------------------------------------------------------------
// The server

interface Answer {
  status: number;
  body?: unknown;
  /** drop the connection instead of answering */
  drop?: boolean;
  /** extra headers (or, for a bare 429, none of the rate-limit ones) */
  bare?: boolean;
}

export async function startFakeBigCommerce(options: FakeBigCommerceOptions = {}): Promise<FakeBigCommerce> {
  const storeHash = options.storeHash ?? 'abc123';
  const token = options.token ?? 'bc-test-token-0123456789abcdef';
  const scopes = new Set<Scope>(options.scopes ?? ['orders', 'orders_modify', 'products', 'information']);
  const now = options.now ?? (() => Date.now());
  const quota = options.quota ?? 150;
  const windowMs = options.windowMs ?? 30_000;
  const createStatus = options.createStatus ?? 200;

  const orderTemplate = fixture<Json>('order.json');
  const addressTemplate = fixture<Json>('shipping-address.json');
  const storeTemplate = fixture<Json>('store.json');
  const products = fixture<Json[]>('products.json');
  const brands = fixture<Json[]>('brands.json');

  // ------------------------------------------------------------------ orders (compact records)
  const orders: FakeOrder[] = [];
  const byId = new Map<number, FakeOrder>();
  const firstId = options.firstOrderId ?? 100;
  const firstCreated = Date.parse(options.firstCreatedAt ?? '2025-01-01T00:00:00Z');
  const spacing = options.spacingMs ?? 3_600_000;
  const put = (order: FakeOrder) => {
    orders.push(order);
    byId.set(order.id, order);
    return order;
  };
  for (let i = 0; i < (options.orderCount ?? 0); i += 1) {
    // totals use all four decimals, from 10.0100 to 110.0099
    put({
      id: firstId + i,
      createdMs: firstCreated + i * spacing,
      statusId: i % 13 === 5 ? 5 : 11,
      total: money4(100_100n + BigInt((i * 7_919) % 1_000_000)),
      currency: 'USD',
      staffNotes: '',
      shippingAddresses: null,
      shipments: [],
    });
  }
  const created: FakeOrder[] = [];

  const linkBase = `https://api.bigcommerce.com/stores/${storeHash}/v2`;
  function renderOrder(order: FakeOrder): Json {
    const statusName = order.statusId === 5 ? 'Cancelled' : order.statusId === 2 ? 'Shipped' : 'Awaiting Fulfillment';
    const shipped = order.shipments.length > 0;
    return {
      ...orderTemplate,
      id: order.id,
      date_created: rfc2822(order.createdMs),
      date_modified: rfc2822(order.createdMs + 5_000),
      date_shipped: shipped ? rfc2822(order.createdMs + 86_400_000) : '',
      status_id: order.statusId,
      status: statusName,
      custom_status: statusName,
      total_inc_tax: order.total,
      total_ex_tax: order.total,
      currency_code: order.currency,
      default_currency_code: order.currency,
      staff_notes: order.staffNotes,
      items_shipped: shipped ? 1 : 0,
      products: { url: `${linkBase}/orders/${order.id}/products`, resource: `/orders/${order.id}/products` },
      shipping_addresses: { url: `${linkBase}/orders/${order.id}/shippingaddresses`, resource: `/orders/${order.id}/shippingaddresses` },
      coupons: { url: `${linkBase}/orders/${order.id}/coupons`, resource: `/orders/${order.id}/coupons` },
    };
  }
  function renderAddresses(order: FakeOrder): Json[] {
    const addresses = order.shippingAddresses ?? [{}];
    return addresses.map((address, index) => {
      const id = Number(address['id'] ?? order.id * 10 + index);
      return {
        ...addressTemplate,
        ...address,
        id,
        order_id: order.id,
        shipping_quotes: {
          url: `${linkBase}/orders/${order.id}/shippingaddresses/${id}/shippingquotes`,
          resource: `/orders/${order.id}/shippingaddresses/${id}/shippingquotes`,
        },
      };
    });
  }

  // ------------------------------------------------------------------ switches
  let dropAfter = 0;
  let dropBefore = 0;
  const forced429: Array<{ kind: 'headers' | 'bare'; resetMs: number }> = [];
  const failures: Array<{ method: string; route: string; reply: { status: number; body?: unknown } }> = [];

  // ------------------------------------------------------------------ rate limit window
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  function rateHeaders(left: number): Record<string, string> {
    const reset = Math.max(0, windowStart + windowMs - now());
    return {
      'x-rate-limit-requests-left': String(Math.max(0, left)),
      'x-rate-limit-requests-quota': String(quota),
      'x-rate-limit-time-reset-ms': String(Number.isFinite(reset) ? reset : windowMs),
      'x-rate-limit-time-window-ms': String(windowMs),
    };
  }

  // ------------------------------------------------------------------ routes
  function needs(scope: Scope): Answer | undefined {
    if (scopes.has(scope)) return undefined;
    if (scope === 'orders' && scopes.has('orders_modify')) return undefined;
    return { status: 403, body: errorBody(403, "You don't have a required scope to access the endpoint") };
  }

  function listOrders(query: Record<string, string>): Answer {
    for (const name of Object.keys(query)) {
      if (!V2_ORDER_PARAMS.has(name)) return { status: 400, body: errorBody(400, `The filter '${name}' is not supported.`) };
    }
    const limit = query['limit'] === undefined ? 50 : Number(query['limit']);
    const page = query['page'] === undefined ? 1 : Number(query['page']);
    if (!Number.isInteger(limit) || limit < 1) return { status: 400, body: errorBody(400, "The field 'limit' is invalid.") };
    if (limit > 250) return { status: 413, body: errorBody(413, 'The limit parameter exceeded the maximum of 250.') };
    if (!Number.isInteger(page) || page < 1) return { status: 400, body: errorBody(400, "The field 'page' is invalid.") };
    const dateFilter = (name: string): number | undefined | 'bad' => {
      const text = query[name];
      if (text === undefined) return undefined;
      const ms = Date.parse(text);
      return Number.isNaN(ms) ? 'bad' : ms;
    };
    let minDate = dateFilter('min_date_created');
    let maxDate = dateFilter('max_date_created');
    if (minDate === 'bad' || maxDate === 'bad') {
      return { status: 400, body: errorBody(400, 'The date filter must be RFC 2822 or ISO 8601.') };
    }
    if (options.ignoreDateFilter) minDate = maxDate = undefined;
    const minId = query['min_id'] === undefined ? undefined : Number(query['min_id']);
    const maxId = query['max_id'] === undefined ? undefined : Number(query['max_id']);
    const statusId = query['status_id'] === undefined ? undefined : Number(query['status_id']);
    const [sortField = 'id', direction = 'asc'] = (query['sort'] ?? 'id:asc').split(':');
    if (!V2_SORT_FIELDS.has(sortField) || !['asc', 'desc'].includes(direction)) {
      return { status: 400, body: errorBody(400, `The sort '${query['sort']}' is invalid.`) };
    }
    // BigCommerce keeps whole seconds
    const second = (ms: number) => Math.floor(ms / 1000) * 1000;
    const matching = orders.filter(
      (order) =>
        (minDate === undefined || second(order.createdMs) >= minDate) &&
        (maxDate === undefined || second(order.createdMs) <= maxDate) &&
        (minId === undefined || order.id >= minId) &&
        (maxId === undefined || order.id <= maxId) &&
        (statusId === undefined || order.statusId === statusId),
    );
    const key = (order: FakeOrder) =>
      sortField === 'date_created' || sortField === 'date_modified' ? second(order.createdMs) : sortField === 'status_id' ? order.statusId : order.id;
    const sign = direction === 'desc' ? -1 : 1;
    matching.sort((a, b) => sign * (key(a) - key(b)) || a.id - b.id);
    const slice = matching.slice((page - 1) * limit, page * limit);
    // no orders, or a page past the end: 204 with an empty body
    if (slice.length === 0) return { status: 204 };
    return { status: 200, body: slice.map(renderOrder) };
  }

  function createOrder(bodyText: string): Answer {
    let body: Json;
    try {
      body = JSON.parse(bodyText) as Json;
    } catch {
      return { status: 400, body: errorBody(400, 'The request body is not valid JSON.') };
    }
    const lines = body['products'];
    if (!body['billing_address'] || typeof body['billing_address'] !== 'object') {
      return { status: 400, body: errorBody(400, "The required field 'billing_address' was not supplied.") };
    }
    if (!Array.isArray(lines) || lines.length === 0) {
      return { status: 400, body: errorBody(400, "The required field 'products' was not supplied.") };
    }
    let subtotal = 0n;
    for (const line of lines as Json[]) {
      const product = products.find((entry) => entry['id'] === line['product_id']);
      if (!product) return { status: 400, body: errorBody(400, `The product with id '${String(line['product_id'])}' does not exist.`) };
      const quantity = Number(line['quantity']);
      if (!Number.isInteger(quantity) || quantity < 1) return { status: 400, body: errorBody(400, "The field 'quantity' is invalid.") };
      const options = (line['product_options'] ?? []) as Json[];
      const variants = (product['variants'] ?? []) as Json[];
      const variant = variants.find((entry) => {
        const values = (entry['option_values'] ?? []) as Json[];
        return (
          values.length === options.length &&
          values.every((value) => options.some((option) => option['id'] === value['option_id'] && String(option['value']) === String(value['id'])))
        );
      });
      if (!variant) return { status: 400, body: errorBody(400, 'The options given do not match a variant of the product.') };
      subtotal += units4((variant['calculated_price'] ?? product['calculated_price']) as number) * BigInt(quantity);
    }
    const shipping = units4(String(body['shipping_cost_inc_tax'] ?? '0'));
    const shippingAddresses = ((body['shipping_addresses'] ?? []) as Json[]).map((address, index) => ({ ...address, id: 90_000 + orders.length * 10 + index }));
    const last = orders[orders.length - 1];
    const order = put({
      id: (last?.id ?? firstId - 1) + 1,
      createdMs: now(),
      statusId: Number(body['status_id'] ?? 1),
      total: money4(subtotal + shipping),
      currency: 'USD',
      staffNotes: String(body['staff_notes'] ?? ''),
      shippingAddresses,
      shipments: [],
    });
    created.push(order);
    return { status: createStatus, body: renderOrder(order) };
  }

  function productPage(query: Record<string, string>): Answer {
    for (const name of Object.keys(query)) {
      if (!V3_PRODUCT_PARAMS.has(name))
        return {
          status: 400,
          body: {
            status: 400,
            title: `The query parameter '${name}' is not supported.`,
            type: 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes',
          },
        };
    }
    const sort = query['sort'] ?? 'id';
    if (!V3_PRODUCT_SORTS.has(sort))
      return {
        status: 422,
        body: {
          status: 422,
          title: 'Invalid sort',
          type: 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes',
          errors: { sort: `'${sort}' is not a sort field` },
        },
      };
    const limit = Number(query['limit'] ?? 50);
    const page = Number(query['page'] ?? 1);
    const keyword = query['keyword']?.toLowerCase();
    let list = products.filter(
      (product) =>
        (query['is_visible'] === undefined ||
          String(product['is_visible']) === query['is_visible'] ||
          (query['is_visible'] === '1' && product['is_visible'] === true)) &&
        (query['availability'] === undefined || product['availability'] === query['availability']) &&
        (query['type'] === undefined || product['type'] === query['type']) &&
        (query['brand_id'] === undefined || String(product['brand_id']) === query['brand_id']) &&
        (keyword === undefined || String(product['name']).toLowerCase().includes(keyword)),
    );
    const sign = query['direction'] === 'desc' ? -1 : 1;
    list = [...list].sort((a, b) => {
      const x = a[sort] as number | string;
      const y = b[sort] as number | string;
      return sign * (x < y ? -1 : x > y ? 1 : 0) || Number(a['id']) - Number(b['id']);
    });
    const includeVariants = (query['include'] ?? '').split(',').includes('variants');
    const total = list.length;
    const data = list.slice((page - 1) * limit, page * limit).map((product) => {
      if (includeVariants) return product;
      const { variants: _variants, ...rest } = product;
      return rest;
    });
    return {
      status: 200,
      body: {
        data,
        meta: {
          pagination: {
            total,
            count: data.length,
            per_page: limit,
            current_page: page,
            total_pages: Math.max(1, Math.ceil(total / limit)),
            links: { current: `?page=${page}&limit=${limit}` },
          },
        },
      },
    };
  }

  function route(method: string, path: string, query: Record<string, string>, body: string): Answer {
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/v2/store') {
      return (
        needs('information') ?? {
          status: 200,
          body: { ...storeTemplate, id: storeHash, control_panel_base_url: `https://store-${storeHash}.mybigcommerce.com` },
        }
      );
    }
    if (method === 'GET' && path === '/v2/orders') return needs('orders') ?? listOrders(query);
    if (method === 'POST' && path === '/v2/orders') {
      const denied = needs('orders_modify');
      if (denied) return denied;
      if (dropBefore > 0) {
        dropBefore -= 1;
        return { status: 0, drop: true };
      }
      const answer = createOrder(body);
      if (answer.status < 300 && dropAfter > 0) {
        dropAfter -= 1;
        return { status: 0, drop: true };
      }
      return answer;
    }
    if (method === 'GET' && (match = /^\/v2\/orders\/(\d+)(?:\/(shipping_addresses|shipments))?$/.exec(path))) {
      const denied = needs('orders');
      if (denied) return denied;
      const order = byId.get(Number(match[1]));
      if (!order) return { status: 404, body: errorBody(404, 'The requested resource was not found.') };
      if (match[2] === 'shipping_addresses') return { status: 200, body: renderAddresses(order) };
      if (match[2] === 'shipments') return order.shipments.length === 0 ? { status: 204 } : { status: 200, body: order.shipments };
      return { status: 200, body: renderOrder(order) };
    }
    if (method === 'GET' && path === '/v3/catalog/products') return needs('products') ?? productPage(query);
    if (method === 'GET' && path === '/v3/catalog/brands') {
      const denied = needs('products');
      if (denied) return denied;
      const data = brands.filter((brand) => query['name'] === undefined || brand['name'] === query['name']);
      return {
        status: 200,
        body: { data, meta: { pagination: { total: data.length, count: data.length, per_page: 50, current_page: 1, total_pages: 1, links: {} } } },
      };
    }
    if (method === 'GET' && (match = /^\/v3\/catalog\/products\/(\d+)\/variants\/(\d+)$/.exec(path))) {
      const denied = needs('products');
      if (denied) return denied;
      const product = products.find((entry) => entry['id'] === Number(match?.[1]));
      const variant = ((product?.['variants'] ?? []) as Json[]).find((entry) => entry['id'] === Number(match?.[2]));
      if (!variant)
        return {
          status: 404,
          body: {
            status: 404,
            title: 'The requested resource was not found.',
            type: 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes',
          },
        };
      return { status: 200, body: { data: variant, meta: {} } };
    }
    return { status: 404, body: errorBody(404, 'The requested resource was not found.') };
  }

  const requests: FakeRequest[] = [];
  const rateLimited: FakeRequest[] = [];
  const prefix = `/stores/${storeHash}`;

  function handle(req: IncomingMessage, res: ServerResponse, bodyText: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const routePath = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : url.pathname;
    const recorded: FakeRequest = {
      method,
      path: url.pathname,
      route: routePath,
      query: Object.fromEntries(url.searchParams),
      search: url.searchParams,
      headers: req.headers,
      body: bodyText,
      status: 0,
    };
    requests.push(recorded);

    const send = (answer: Answer, headers: Record<string, string>) => {
      recorded.status = answer.status;
      if (answer.drop) {
        req.socket.destroy();
        return;
      }
      const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
      if (text !== '') headers['content-type'] = 'application/json';
      res.writeHead(answer.status, headers);
      res.end(text);
    };

    // the rate limit comes first: a refused request is not processed
    const forced = forced429.shift();
    if (forced) {
      rateLimited.push(recorded);
      if (forced.kind === 'bare') return send({ status: 429, body: errorBody(429, 'Too many requests') }, {});
      return send(
        { status: 429, body: errorBody(429, 'You have exceeded your request quota.') },
        {
          'x-rate-limit-requests-left': '0',
          'x-rate-limit-requests-quota': String(quota),
          'x-rate-limit-time-reset-ms': String(forced.resetMs),
          'x-rate-limit-time-window-ms': String(windowMs),
        },
      );
    }
    if (now() >= windowStart + windowMs) {
      windowStart = now();
      used = 0;
    }
    if (options.enforceQuota && used >= quota) {
      rateLimited.push(recorded);
      return send({ status: 429, body: errorBody(429, 'You have exceeded your request quota.') }, rateHeaders(0));
    }
    used += 1;
    const headers = rateHeaders(quota - used);

    if (!url.pathname.startsWith(`${prefix}/`)) return send({ status: 404, body: errorBody(404, 'The requested resource was not found.') }, headers);
    if (req.headers['x-auth-token'] !== token) {
      return send({ status: 401, body: errorBody(401, 'The access token is invalid or has been revoked.') }, headers);
    }
    const failureIndex = failures.findIndex((failure) => failure.method === method && failure.route === routePath);
    if (failureIndex >= 0) {
      const [failure] = failures.splice(failureIndex, 1);
      return send({ status: failure?.reply.status ?? 500, body: failure?.reply.body }, headers);
    }
    return send(route(method, routePath, recorded.query, bodyText), headers);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake BigCommerce failed: ${String(error)}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const routeMatcher = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')}$`);

  return {
    url: `http://127.0.0.1:${port}`,
    storeHash,
    token,
    requests,
    requestsTo: (method, pattern) => {
      const regex = routeMatcher(pattern);
      return requests.filter((request) => request.method === method.toUpperCase() && regex.test(request.route));
    },
    rateLimited,
    orders,
    order: (id) => byId.get(id),
    addOrder: (overrides = {}) => {
      const last = orders[orders.length - 1];
      return put({
        id: (last?.id ?? firstId - 1) + 1,
        createdMs: now(),
        statusId: 11,
        total: '12.3400',
        currency: 'USD',
        staffNotes: '',
        shippingAddresses: null,
        shipments: [],
        ...overrides,
      });
    },
    created,
    dropAfterCreate: (count = 1) => {
      dropAfter += count;
    },
    dropBeforeCreate: (count = 1) => {
      dropBefore += count;
    },
    queue429: (kinds, resetMs = 15_000) => {
      for (const kind of kinds) forced429.push({ kind, resetMs });
    },
    failNext: (method, routePath, reply) => {
      failures.push({ method: method.toUpperCase(), route: routePath, reply });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
