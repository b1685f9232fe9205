// A fake WooCommerce store on loopback HTTP (node:http, port 0) that answers what WooCommerce REST v3 documents
// and does (channel-apis.md §2, §4), so the adapter can be tested against the vendor's behaviour rather than
// mocks:
// - auth: HTTP Basic (ck:cs) or consumer_key/consumer_secret in the query string (which win over the header);
//   an optional mode strips the Authorization header, as some web servers do; an unknown key continues as an
//   anonymous request and fails with 401 woocommerce_rest_cannot_view; a wrong secret is 401 "Consumer secret is
//   invalid." with WWW-Authenticate; a key without read/write permission is 401 for that method; a user who may
//   not manage WooCommerce gets 403. (Deviation, as in the adapter: real WooCommerce takes Basic only over
//   HTTPS; this fake takes it over loopback http.)
// - GET orders: per_page 1..100 (else 400 rest_invalid_param), page ≥ 1, order/orderby validated, status
//   (comma list, default any = everything but trash), after/before (exclusive; site-local unless
//   dates_are_gmt), search, include, _fields; X-WP-Total, X-WP-TotalPages and Link (prev/next); a page past the
//   end is 200 [] with the headers still right.
// - orders as WooCommerce sends them: number a string (optionally not the id, as with sequential-number
//   plugins), money 2-decimal strings but line_items[].price a number, dates without timezone in _gmt pairs,
//   HTML entities in names (the template is fixtures/woocommerce/order.json).
// - GET orders/{id} (404 woocommerce_rest_shop_order_invalid_id), PUT of an unknown id (400), notes, the
//   Shipment Tracking extension's route (or 404 rest_no_route when "not installed"), products and variations,
//   data/currencies/current, POST orders (201 + Location) with switches to drop the connection before or after
//   saving, to answer 500 after saving, or to answer too late (after the client's timeout) after saving.
// - a store of N generated orders kept as compact records and rendered only when sent (10,000 cost nothing).
// - a mode answering some requests with 429 + Retry-After (as a host or WAF would; core sends none).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from './serve.js';

type Json = Record<string, unknown>;

const FIXTURES = new URL('../fixtures/woocommerce/', import.meta.url);
function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
}

/** a request as the fakes record it; `path` with the WordPress prefix, if any */
export interface FakeWooRequest extends Omit<RecordedRequest, 'params'> {
  /** how the request authenticated as the fake saw it */
  auth: 'basic' | 'query' | 'none';
}

export interface FakeWooOptions {
  consumerKey?: string;
  consumerSecret?: string;
  /** the key's permission (WooCommerce → Settings → Advanced → REST API); default read_write */
  permissions?: 'read' | 'write' | 'read_write';
  /** false: the key's user may not manage WooCommerce (403 woocommerce_rest_cannot_*) */
  userCanManage?: boolean;
  /** the web server drops the Authorization header before WordPress sees it */
  stripAuthorizationHeader?: boolean;
  /** generated orders, oldest first */
  orderCount?: number;
  firstOrderId?: number;
  /** ISO, the first generated order's creation time (default 2025-01-01T00:00:00Z) */
  firstOrderAt?: string;
  /** default 15 minutes */
  orderIntervalMs?: number;
  /** the order number for an id (a sequential-number plugin); default String(id) */
  numberFor?: (id: number) => string;
  /** site timezone for the non-_gmt dates, in minutes east of UTC (default -300 = UTC-5) */
  siteOffsetMinutes?: number;
  /** the Shipment Tracking extension is installed (default true) */
  trackingExtension?: boolean;
  /** creation time of POSTed orders (default Date.now) */
  now?: () => number;
  /** answer some requests 429 with Retry-After, before anything else (as a host would) */
  tooManyRequests?: { first?: number; every?: number; retryAfter?: string };
  /** the next N creates are saved, then the connection is dropped without an answer */
  dropConnectionAfterCreate?: number;
  /** the next N creates are dropped before anything is saved */
  dropConnectionBeforeCreate?: number;
  /** the next N creates are saved, then answered 500 (a plugin failing after the save) */
  failAfterCreate?: number;
  /** the next N creates are saved, then answered only after `createAnswerDelayMs` (real time: a client timeout) */
  slowAfterCreate?: number;
  createAnswerDelayMs?: number;
  /** fault: the host (a cache in front of the store) ignores `after` and `before` */
  ignoreDateFilter?: boolean;
  /** fault: no X-WP-Total / X-WP-TotalPages headers and no Link (as some caches and proxies strip them) */
  noPageCount?: boolean;
  /** fault: every listing answers its first page, whatever `page` asks for */
  ignorePage?: boolean;
  /** WordPress in a subdirectory, e.g. "/store" */
  prefix?: string;
  currency?: string;
}

export interface FakeWooCommerce {
  /** the store's base address, to give as --url (http://127.0.0.1:PORT[/prefix]) */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  requests: FakeWooRequest[];
  /** requests whose path ends with this (e.g. "/wc/v3/orders") */
  requestsTo(pathEnd: string, method?: string): FakeWooRequest[];
  /** adds an order created at `createdAt` (default now); fields override the template */
  addOrder(fields?: Json & { createdAt?: string }): Json;
  /** the order as the API would send it */
  order(id: number | string): Json | undefined;
  /** every order (rendered), oldest first; for assertions on small stores */
  allOrders(): Json[];
  orderCount(): number;
  setNotes(orderId: number | string, notes: Json[]): void;
  setTrackings(orderId: number | string, items: Json[]): void;
  setTrackingExtension(installed: boolean): void;
  set(
    options: Partial<
      Pick<
        FakeWooOptions,
        | 'dropConnectionAfterCreate'
        | 'dropConnectionBeforeCreate'
        | 'failAfterCreate'
        | 'slowAfterCreate'
        | 'tooManyRequests'
        | 'stripAuthorizationHeader'
        | 'permissions'
        | 'ignoreDateFilter'
        | 'noPageCount'
        | 'ignorePage'
      >
    >,
  ): void;
  close(): Promise<void>;
}

interface StoredOrder {
  id: number;
  createdMs: number;
  number: string;
  status: string;
  /** present for added and created orders; generated ones are rendered from the template */
  json?: Json;
}

const STATUSES = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'trash', 'checkout-draft'];
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "2026-01-15T12:04:31": WooCommerce's form, no offset */
function wcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function cents(units: number): string {
  return `${Math.floor(units / 100)}.${pad(units % 100)}`;
}

function wpError(status: number, code: string, message: string, extra: Json = {}): { status: number; body: Json } {
  return { status, body: { code, message, data: { status, ...extra } } };
}

function invalidParam(name: string, why: string) {
  return wpError(400, 'rest_invalid_param', `Invalid parameter(s): ${name}`, {
    params: { [name]: why },
    details: { [name]: { code: 'rest_invalid_param', message: why, data: null } },
  });
}

export async function startFakeWooCommerce(options: FakeWooOptions = {}): Promise<FakeWooCommerce> {
  const consumerKey = options.consumerKey ?? 'ck_4f1a9e0c2b7d43e6a8f5c1d0b9e2a7f3c6d4e1b0';
  const consumerSecret = options.consumerSecret ?? 'cs_9b2e7d4c1a0f3e6b8d5c2a9f7e4b1d0c3a6f8e2d';
  const settings = {
    permissions: options.permissions ?? 'read_write',
    stripAuthorizationHeader: options.stripAuthorizationHeader ?? false,
    tooManyRequests: options.tooManyRequests,
    dropConnectionAfterCreate: options.dropConnectionAfterCreate ?? 0,
    dropConnectionBeforeCreate: options.dropConnectionBeforeCreate ?? 0,
    failAfterCreate: options.failAfterCreate ?? 0,
    slowAfterCreate: options.slowAfterCreate ?? 0,
    ignoreDateFilter: options.ignoreDateFilter ?? false,
    noPageCount: options.noPageCount ?? false,
    ignorePage: options.ignorePage ?? false,
  };
  const userCanManage = options.userCanManage ?? true;
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const siteOffsetMs = (options.siteOffsetMinutes ?? -300) * 60_000;
  const numberFor = options.numberFor ?? ((id: number) => String(id));
  const now = options.now ?? (() => Date.now());
  const currency = options.currency ?? 'USD';
  let trackingExtension = options.trackingExtension ?? true;

  const template = fixture<Json>('order.json');
  const products = fixture<Json[]>('products.json');
  const variations: Record<string, Json[]> = { '504': fixture<Json[]>('product-variations.json') };

  const requests: FakeWooRequest[] = [];
  const orders: StoredOrder[] = [];
  const notes = new Map<number, Json[]>();
  const trackings = new Map<number, Json[]>();
  let requestCount = 0;
  let nextMetaId = 90_000;
  let origin = '';

  // --- the store ------------------------------------------------------------------------------------------
  const firstId = options.firstOrderId ?? 1000;
  const firstAt = Date.parse(options.firstOrderAt ?? '2025-01-01T00:00:00Z');
  const interval = options.orderIntervalMs ?? 15 * 60_000;
  for (let i = 0; i < (options.orderCount ?? 0); i += 1) {
    const id = firstId + i;
    const status = id % 10 === 7 ? 'cancelled' : id % 10 === 3 ? 'completed' : id % 10 === 5 ? 'refunded' : 'processing';
    orders.push({ id, createdMs: firstAt + i * interval, number: numberFor(id), status });
  }
  const byId = new Map<number, StoredOrder>(orders.map((order) => [order.id, order]));
  const nextId = () => Math.max(firstId - 1, ...orders.map((order) => order.id)) + 1;

  const links = (id: number) => ({
    self: [{ href: `${origin}${prefix}/wp-json/wc/v3/orders/${id}` }],
    collection: [{ href: `${origin}${prefix}/wp-json/wc/v3/orders` }],
  });

  function dates(createdMs: number): Json {
    return {
      date_created: wcDate(createdMs + siteOffsetMs),
      date_created_gmt: wcDate(createdMs),
      date_modified: wcDate(createdMs + 2000 + siteOffsetMs),
      date_modified_gmt: wcDate(createdMs + 2000),
    };
  }

  /** A generated order: the template with its own id, number, dates, customer and amounts. */
  function generated(order: StoredOrder): Json {
    const totalUnits = 1000 + ((order.id * 37) % 9000);
    const itemUnits = totalUnits - 795;
    const billing = template['billing'] as Json;
    const shipping = template['shipping'] as Json;
    const [line] = template['line_items'] as Json[];
    const [shippingLine] = template['shipping_lines'] as Json[];
    return {
      ...template,
      id: order.id,
      number: order.number,
      order_key: `wc_order_${order.id.toString(16)}`,
      status: order.status,
      ...dates(order.createdMs),
      date_paid: wcDate(order.createdMs + 2000 + siteOffsetMs),
      date_paid_gmt: wcDate(order.createdMs + 2000),
      shipping_total: '7.95',
      cart_tax: '0.00',
      total_tax: '0.00',
      total: cents(totalUnits),
      billing: { ...billing, first_name: 'Customer', last_name: `No. ${order.id}`, email: `customer${order.id}@example.com` },
      shipping: { ...shipping, first_name: 'Customer', last_name: `No. ${order.id}`, phone: order.id % 4 === 0 ? '+1 206 555 0100' : '' },
      meta_data: [],
      line_items: [
        {
          ...line,
          id: order.id * 10,
          quantity: 1,
          subtotal: cents(itemUnits),
          total: cents(itemUnits),
          subtotal_tax: '0.00',
          total_tax: '0.00',
          taxes: [],
          price: itemUnits / 100,
        },
      ],
      tax_lines: [],
      shipping_lines: [{ ...shippingLine, id: order.id * 10 + 1 }],
      _links: links(order.id),
    };
  }

  const render = (order: StoredOrder): Json => order.json ?? generated(order);

  function searchText(order: StoredOrder): string {
    if (!order.json) return `${order.id} ${order.number} customer${order.id}@example.com customer no. ${order.id}`.toLowerCase();
    const json = order.json;
    const billing = (json['billing'] ?? {}) as Json;
    const shipping = (json['shipping'] ?? {}) as Json;
    const items = ((json['line_items'] ?? []) as Json[]).map((item) => String(item['name'] ?? ''));
    return [
      order.id,
      order.number,
      billing['email'],
      billing['first_name'],
      billing['last_name'],
      shipping['first_name'],
      shipping['last_name'],
      billing['address_1'],
      shipping['address_1'],
      ...items,
    ]
      .map((value) => String(value ?? ''))
      .join(' ')
      .toLowerCase();
  }

  function addOrder(fields: Json & { createdAt?: string } = {}): Json {
    const { createdAt, ...rest } = fields;
    const id = typeof rest['id'] === 'number' ? (rest['id'] as number) : nextId();
    const createdMs = Math.floor((createdAt ? Date.parse(createdAt) : now()) / 1000) * 1000;
    const stored: StoredOrder = { id, createdMs, number: numberFor(id), status: 'processing' };
    const json: Json = { ...generated(stored), ...rest, id, ...(createdAt ? dates(createdMs) : {}) };
    stored.number = String(json['number']);
    stored.status = String(json['status']);
    stored.json = json;
    orders.push(stored);
    byId.set(id, stored);
    return json;
  }

  // --- auth -----------------------------------------------------------------------------------------------
  type Who = { kind: 'user' } | { kind: 'anonymous' } | { kind: 'error'; status: number; body: Json; headers?: Record<string, string> };

  function authenticate(request: FakeWooRequest): Who {
    // query-string keys win over the header (class-wc-rest-authentication.php)
    let key = '';
    let secret = '';
    if (request.query['consumer_key'] && request.query['consumer_secret']) {
      key = request.query['consumer_key'];
      secret = request.query['consumer_secret'];
      request.auth = 'query';
    } else {
      const header = request.headers['authorization'];
      const match = typeof header === 'string' ? /^Basic\s+(\S+)$/i.exec(header) : null;
      if (match) {
        const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        key = colon >= 0 ? decoded.slice(0, colon) : decoded;
        secret = colon >= 0 ? decoded.slice(colon + 1) : '';
        request.auth = 'basic';
      }
    }
    // no key, or one WooCommerce does not know: the request continues as anonymous
    if (!key || !secret || key !== consumerKey) return { kind: 'anonymous' };
    if (secret !== consumerSecret) {
      return {
        kind: 'error',
        ...wpError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.'),
        headers: { 'www-authenticate': 'Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer secret in the password field."' },
      };
    }
    const reading = request.method === 'GET' || request.method === 'HEAD';
    if (reading && settings.permissions === 'write') {
      return { kind: 'error', ...wpError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.') };
    }
    if (!reading && settings.permissions === 'read') {
      return { kind: 'error', ...wpError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.') };
    }
    return { kind: 'user' };
  }

  /** The controller's own permission check: anonymous 401, a user without the capability 403. */
  function permitted(who: Who, code: string, message: string): { status: number; body: Json } | undefined {
    if (who.kind === 'user' && userCanManage) return undefined;
    return wpError(who.kind === 'user' ? 403 : 401, code, message);
  }

  // --- listings -------------------------------------------------------------------------------------------
  interface Page {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  }

  function pageParams(query: Record<string, string>): { perPage: number; page: number } | Page {
    const perPageText = query['per_page'] ?? '10';
    const perPage = Number(perPageText);
    if (!/^\d+$/.test(perPageText) || perPage < 1 || perPage > 100) {
      return invalidParam('per_page', 'per_page must be between 1 (inclusive) and 100 (inclusive)');
    }
    const pageText = query['page'] ?? '1';
    const page = Number(pageText);
    if (!/^\d+$/.test(pageText) || page < 1) return invalidParam('page', 'page must be greater than or equal to 1');
    return { perPage, page };
  }

  function paged<T>(request: FakeWooRequest, all: T[], perPage: number, askedPage: number, render: (item: T) => unknown): Page {
    const page = settings.ignorePage ? 1 : askedPage;
    const total = all.length;
    const totalPages = Math.ceil(total / perPage);
    const slice = all.slice((page - 1) * perPage, page * perPage).map(render);
    const linkTo = (target: number) => {
      const search = new URLSearchParams(request.search);
      search.set('page', String(target));
      return `<${origin}${request.path}?${search.toString()}>`;
    };
    const link: string[] = [];
    if (page > 1) link.push(`${linkTo(Math.min(page - 1, Math.max(totalPages, 1)))}; rel="prev"`);
    if (totalPages > page) link.push(`${linkTo(page + 1)}; rel="next"`);
    const headers: Record<string, string> = { 'x-wp-total': String(total), 'x-wp-totalpages': String(totalPages) };
    if (link.length > 0) headers['link'] = link.join(', ');
    return { status: 200, body: slice, headers: settings.noPageCount ? {} : headers };
  }

  function onlyFields(json: Json, fields: string | undefined): Json {
    if (!fields) return json;
    const wanted = new Set(fields.split(',').map((field) => field.trim().split('.')[0]));
    return Object.fromEntries(Object.entries(json).filter(([key]) => wanted.has(key)));
  }

  /** after/before as WordPress reads them: naive values in the column's zone; an explicit offset converted to it. */
  function dateBound(value: string, gmt: boolean): number | undefined {
    const match = DATE_TIME.exec(value);
    if (!match) return undefined;
    const [, day, time, , zone] = match;
    if (!zone) return Date.parse(`${day}T${time}Z`);
    const instant = Date.parse(`${day}T${time}${zone.toUpperCase()}`);
    return gmt ? instant : instant + siteOffsetMs;
  }

  function listOrders(request: FakeWooRequest): Page {
    const query = request.query;
    const paging = pageParams(query);
    if ('status' in paging) return paging;
    const order = query['order'] ?? 'desc';
    if (order !== 'asc' && order !== 'desc') return invalidParam('order', 'order is not one of asc and desc.');
    const orderby = query['orderby'] ?? 'date';
    if (!['date', 'id', 'include', 'title', 'slug', 'modified'].includes(orderby)) {
      return invalidParam('orderby', 'orderby is not one of date, id, include, title, slug, and modified.');
    }
    const gmt = ['true', '1'].includes((query['dates_are_gmt'] ?? '').toLowerCase());
    const column = (stored: StoredOrder) => (gmt ? stored.createdMs : stored.createdMs + siteOffsetMs);
    let selected = orders.slice();
    for (const name of ['after', 'before'] as const) {
      const value = query[name];
      if (value === undefined || settings.ignoreDateFilter) continue;
      const bound = dateBound(value, gmt);
      if (bound === undefined) return invalidParam(name, `Invalid date.`);
      selected = selected.filter((stored) => (name === 'after' ? column(stored) > bound : column(stored) < bound));
    }
    const statuses = (query['status'] ?? 'any')
      .split(',')
      .map((status) => status.trim())
      .filter(Boolean);
    for (const status of statuses) {
      if (status !== 'any' && !STATUSES.includes(status)) return invalidParam('status', `status[0] is not one of any, ${STATUSES.join(', ')}.`);
    }
    if (!statuses.includes('any')) selected = selected.filter((stored) => statuses.includes(stored.status));
    else selected = selected.filter((stored) => stored.status !== 'trash');
    if (query['include']) {
      const ids = new Set(query['include'].split(',').map((id) => Number(id.trim())));
      selected = selected.filter((stored) => ids.has(stored.id));
    }
    const term = query['search']?.trim().toLowerCase();
    if (term) selected = selected.filter((stored) => searchText(stored).includes(term));
    const direction = order === 'asc' ? 1 : -1;
    selected.sort((a, b) => (orderby === 'id' ? direction * (a.id - b.id) : direction * (a.createdMs - b.createdMs) || direction * (a.id - b.id)));
    return paged(request, selected, paging.perPage, paging.page, (stored) => onlyFields(render(stored), query['_fields']));
  }

  function listProducts(request: FakeWooRequest): Page {
    const query = request.query;
    const paging = pageParams(query);
    if ('status' in paging) return paging;
    let selected = products.slice();
    if (query['status'] && query['status'] !== 'any') selected = selected.filter((product) => product['status'] === query['status']);
    if (query['stock_status']) selected = selected.filter((product) => product['stock_status'] === query['stock_status']);
    const term = query['search']?.trim().toLowerCase();
    if (term) {
      selected = selected.filter((product) =>
        [product['name'], product['sku'], ...((product['brands'] as Json[]) ?? []).map((brand) => brand['name'])]
          .map((value) => String(value ?? '').toLowerCase())
          .some((text) => text.includes(term)),
      );
    }
    const price = (product: Json) => Number(product['price'] || 0);
    const direction = query['order'] === 'asc' ? 1 : -1;
    if (query['orderby'] === 'price') selected.sort((a, b) => direction * (price(a) - price(b)) || direction * (Number(a['id']) - Number(b['id'])));
    return paged(request, selected, paging.perPage, paging.page, (product) => product);
  }

  // --- create ---------------------------------------------------------------------------------------------
  function createOrder(body: Json): { status: number; body: Json; headers?: Record<string, string> } {
    if (body['id'] !== undefined) return wpError(400, 'woocommerce_rest_shop_order_exists', 'Cannot create existing shop_order.');
    const id = nextId();
    const createdMs = Math.floor(now() / 1000) * 1000;
    const lineItems: Json[] = [];
    let itemUnits = 0;
    for (const [index, line] of ((body['line_items'] as Json[] | undefined) ?? []).entries()) {
      const productId = Number(line['product_id']);
      const variationId = Number(line['variation_id'] ?? 0);
      const product = products.find((candidate) => Number(candidate['id']) === productId);
      const variation = variationId ? variations[String(productId)]?.find((candidate) => Number(candidate['id']) === variationId) : undefined;
      if (!product || (variationId && !variation)) return wpError(400, 'woocommerce_rest_invalid_product_id', 'Product ID provided is invalid.');
      const quantity = Number(line['quantity'] ?? 1);
      const unit = Math.round(Number((variation ?? product)['price'] || 0) * 100);
      itemUnits += unit * quantity;
      lineItems.push({
        id: id * 10 + index,
        name: variation ? `${String(product['name'])} - ${String(((variation['attributes'] as Json[])[0] ?? {})['option'] ?? '')}` : product['name'],
        product_id: productId,
        variation_id: variationId,
        quantity,
        tax_class: '',
        subtotal: cents(unit * quantity),
        subtotal_tax: '0.00',
        total: cents(unit * quantity),
        total_tax: '0.00',
        taxes: [],
        meta_data: [],
        sku: (variation ?? product)['sku'] ?? '',
        price: unit / 100,
      });
    }
    let shippingUnits = 0;
    const shippingLines = ((body['shipping_lines'] as Json[] | undefined) ?? []).map((line, index) => {
      const units = Math.round(Number(line['total'] ?? 0) * 100);
      shippingUnits += units;
      return {
        id: id * 10 + 5 + index,
        method_title: line['method_title'] ?? '',
        method_id: line['method_id'] ?? '',
        instance_id: '',
        total: cents(units),
        total_tax: '0.00',
        taxes: [],
        meta_data: [],
      };
    });
    const paid = body['set_paid'] === true;
    const stored: StoredOrder = { id, createdMs, number: numberFor(id), status: paid ? 'processing' : String(body['status'] ?? 'pending') };
    const json: Json = {
      ...generated(stored),
      created_via: 'rest-api',
      status: stored.status,
      currency,
      customer_id: 0,
      customer_ip_address: '',
      customer_user_agent: '',
      billing: { ...(template['billing'] as Json), ...((body['billing'] as Json) ?? {}) },
      shipping: { ...(template['shipping'] as Json), ...((body['shipping'] as Json) ?? {}) },
      payment_method: body['payment_method'] ?? '',
      payment_method_title: body['payment_method_title'] ?? '',
      transaction_id: '',
      date_paid: paid ? wcDate(createdMs + siteOffsetMs) : null,
      date_paid_gmt: paid ? wcDate(createdMs) : null,
      meta_data: ((body['meta_data'] as Json[] | undefined) ?? []).map((meta) => ({ id: nextMetaId++, key: meta['key'], value: meta['value'] })),
      line_items: lineItems,
      shipping_lines: shippingLines,
      shipping_total: cents(shippingUnits),
      total: cents(itemUnits + shippingUnits),
      cart_tax: '0.00',
      total_tax: '0.00',
    };
    stored.json = json;
    orders.push(stored);
    byId.set(id, stored);
    return { status: 201, body: json, headers: { location: `${origin}${prefix}/wp-json/wc/v3/orders/${id}` } };
  }

  // --- routing --------------------------------------------------------------------------------------------
  type Answer = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number } | 'drop';

  function route(request: FakeWooRequest): Answer {
    const path = request.path.startsWith(`${prefix}/`) ? request.path.slice(prefix.length) : request.path;
    if (!path.startsWith('/wp-json/')) {
      return {
        status: 404,
        body: '<!DOCTYPE html><html><head><title>Page not found – Fake Store</title></head><body>Not found</body></html>',
        headers: { 'content-type': 'text/html; charset=UTF-8' },
      };
    }
    const rest = path.slice('/wp-json'.length).replace(/\/+$/, '');
    const noRoute = wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
    const trackingRoute = /^\/wc-shipment-tracking\/v3\/orders\/(\d+)\/shipment-trackings$/.exec(rest);
    if (trackingRoute && !trackingExtension) return noRoute;
    if (!rest.startsWith('/wc/v3/') && !trackingRoute) return noRoute;

    const who = authenticate(request);
    if (who.kind === 'error') return who;
    const method = request.method;
    const unknownOrder = wpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');

    if (trackingRoute && method === 'GET') {
      const denied = permitted(who, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
      if (denied) return denied;
      const id = Number(trackingRoute[1]);
      if (!byId.has(id)) return wpError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
      return { status: 200, body: trackings.get(id) ?? [] };
    }
    if (rest === '/wc/v3/orders' && method === 'GET') {
      return permitted(who, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.') ?? listOrders(request);
    }
    if (rest === '/wc/v3/orders' && method === 'POST') {
      const denied = permitted(who, 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.');
      if (denied) return denied;
      if (settings.dropConnectionBeforeCreate > 0) {
        settings.dropConnectionBeforeCreate -= 1;
        return 'drop';
      }
      let body: Json;
      try {
        body = JSON.parse(request.body || '{}') as Json;
      } catch {
        return wpError(400, 'rest_invalid_json', 'Invalid JSON body passed.');
      }
      const created = createOrder(body);
      if (created.status !== 201) return created;
      if (settings.dropConnectionAfterCreate > 0) {
        settings.dropConnectionAfterCreate -= 1;
        return 'drop';
      }
      if (settings.slowAfterCreate > 0) {
        settings.slowAfterCreate -= 1;
        return { ...created, delayMs: options.createAnswerDelayMs ?? 2_000 };
      }
      if (settings.failAfterCreate > 0) {
        settings.failAfterCreate -= 1;
        return {
          status: 500,
          body: {
            code: 'internal_server_error',
            message: '<p>There has been a critical error on this website.</p>',
            data: { status: 500 },
            additional_errors: [],
          },
        };
      }
      return created;
    }
    const single = /^\/wc\/v3\/orders\/(\d+)$/.exec(rest);
    if (single && (method === 'GET' || method === 'PUT')) {
      const denied =
        method === 'GET'
          ? permitted(who, 'woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.')
          : permitted(who, 'woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.');
      if (denied) return denied;
      const stored = byId.get(Number(single[1]));
      // GET of an unknown id is 404; PUT of one is 400 with the same code
      if (!stored) return method === 'GET' ? unknownOrder : { ...unknownOrder, status: 400, body: { ...(unknownOrder.body as Json), data: { status: 400 } } };
      if (method === 'PUT') {
        const changes = JSON.parse(request.body || '{}') as Json;
        stored.json = { ...render(stored), ...changes };
        if (typeof changes['status'] === 'string') stored.status = changes['status'];
      }
      return { status: 200, body: render(stored) };
    }
    const notesRoute = /^\/wc\/v3\/orders\/(\d+)\/notes$/.exec(rest);
    if (notesRoute && method === 'GET') {
      const denied = permitted(who, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
      if (denied) return denied;
      const id = Number(notesRoute[1]);
      if (!byId.has(id)) return wpError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
      return { status: 200, body: notes.get(id) ?? [] };
    }
    if (rest === '/wc/v3/products' && method === 'GET') {
      return permitted(who, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.') ?? listProducts(request);
    }
    const variationRoute = /^\/wc\/v3\/products\/(\d+)\/variations$/.exec(rest);
    if (variationRoute && method === 'GET') {
      const denied = permitted(who, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
      if (denied) return denied;
      const paging = pageParams(request.query);
      if ('status' in paging) return paging;
      return paged(request, variations[variationRoute[1] as string] ?? [], paging.perPage, paging.page, (variation) => variation);
    }
    if (rest === '/wc/v3/data/currencies/current' && method === 'GET') {
      const denied = permitted(who, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
      if (denied) return denied;
      return { status: 200, body: { ...fixture<Json>('currency-current.json'), code: currency } };
    }
    return noRoute;
  }

  function tooMany(): Answer | undefined {
    const rule = settings.tooManyRequests;
    if (!rule) return undefined;
    const n = requestCount;
    if ((rule.first !== undefined && n <= rule.first) || (rule.every !== undefined && n % rule.every === 0)) {
      return {
        status: 429,
        headers: { 'retry-after': rule.retryAfter ?? '1', 'content-type': 'text/html' },
        body: '<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>',
      };
    }
    return undefined;
  }

  function send(res: ServerResponse, answer: Exclude<Answer, 'drop'>): void {
    const headers: Record<string, string> = { ...(answer.headers ?? {}) };
    let text = '';
    if (typeof answer.body === 'string') text = answer.body;
    else if (answer.body !== undefined) {
      text = JSON.stringify(answer.body);
      headers['content-type'] ??= 'application/json; charset=UTF-8';
    }
    res.writeHead(answer.status, headers);
    res.end(text);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const headers = { ...req.headers };
      if (settings.stripAuthorizationHeader) delete headers['authorization'];
      const request: FakeWooRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        search: url.searchParams,
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        auth: 'none',
      };
      requests.push(request);
      requestCount += 1;
      let answer: Answer;
      try {
        answer = tooMany() ?? route(request);
      } catch (error) {
        answer = { status: 500, body: `fake WooCommerce failed: ${String(error)}` };
      }
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      const ready = answer;
      if (ready.delayMs) {
        setTimeout(() => {
          if (!res.destroyed) send(res, ready);
        }, ready.delayMs);
        return;
      }
      send(res, ready);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}${prefix}`,
    consumerKey,
    consumerSecret,
    requests,
    requestsTo: (pathEnd, method) => requests.filter((request) => request.path.endsWith(pathEnd) && (method === undefined || request.method === method)),
    addOrder,
    order: (id) => {
      const stored = byId.get(Number(id));
      return stored ? render(stored) : undefined;
    },
    allOrders: () =>
      orders
        .slice()
        .sort((a, b) => a.createdMs - b.createdMs || a.id - b.id)
        .map(render),
    orderCount: () => orders.length,
    setNotes: (orderId, list) => notes.set(Number(orderId), list),
    setTrackings: (orderId, items) => trackings.set(Number(orderId), items),
    setTrackingExtension: (installed) => {
      trackingExtension = installed;
    },
    set: (changes) => {
      Object.assign(settings, changes);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
