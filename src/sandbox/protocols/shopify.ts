// The Shopify Admin REST API and OAuth as onboard uses them, over a backing store: the sandbox backs it with its
// world (../server.ts), tests may back it in memory. Under /admin/api/<pinned version>/: shop.json, orders.json
// (newest first, the documented filters, Link/page_info cursors that carry their filters; a page_info request
// may carry only limit and fields), orders/count.json, orders/{id}.json, orders/{id}/fulfillments.json, POST
// orders.json (the store decides what is placed or refused), products.json (ids, status, vendor, fields, limit,
// page_info). Under /admin/oauth/: the client credentials grant and access_scopes.json. Every parameter Shopify
// does not document for an endpoint is refused with its 400 body, so a client sending one fails here first.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SHOPIFY_API_VERSION } from '../../adapters/shopify/version.js';
import { headerText, parseDateParam, type ProtocolReply, type ProtocolRequest } from './http.js';

type Reply = ProtocolReply;
type Request = ProtocolRequest;

export const SHOPIFY_ADMIN_PREFIX = '/admin/api/';
export const SHOPIFY_OAUTH_PREFIX = '/admin/oauth/';
const SHOPIFY_PREFIX = SHOPIFY_ADMIN_PREFIX;
const SHOPIFY_DEFAULT_LIMIT = 50;
const SHOPIFY_MAX_LIMIT = 250;

/** An order as orders/{id}.json answers it; the protocol reads only these fields. */
export interface ShopifyOrderView {
  id: number;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
  closed_at: string | null;
  financial_status: string;
  fulfillment_status: string | null;
  app_id?: number | null;
  fulfillments: { id: number; created_at: string; updated_at: string }[];
}

/** A snapshot of the store as the API shows it. */
export interface ShopifyView<O extends ShopifyOrderView = ShopifyOrderView> {
  tokenValid(token: string | undefined): boolean;
  /** the granted scopes (access_scopes.json) */
  scopes(): readonly string[];
  shop(): Record<string, unknown>;
  orders(): O[];
  /** the real instants of an order (the API shows them in whole seconds) */
  times(order: O): { createdAtMs: number; updatedAtMs: number };
  products(): Record<string, unknown>[];
}

export type ShopifyGrantAnswer =
  | { ok: true; accessToken: string; scope: string; expiresIn: number }
  | { ok: false; status: number; error: string; description: string }
  /** a refusal Shopify answers with an HTML page ("Oauth error shop_not_permitted: …") */
  | { ok: false; status: number; page: string };

/** What the protocol reads and changes. */
export interface ShopifyStore {
  read(): ShopifyView | Promise<ShopifyView>;
  /** POST orders.json: the order placed, or a ShopifyRefusal thrown */
  createOrder(body: unknown): unknown;
  grant(request: { grantType?: string; clientId?: string; clientSecret?: string }): ShopifyGrantAnswer | Promise<ShopifyGrantAnswer>;
}

/** A refusal Shopify answers with its own status and errors body (422 for an order it will not create). */
export class ShopifyRefusal extends Error {
  constructor(
    readonly status: 400 | 422,
    readonly errors: Record<string, string | string[]>,
  ) {
    super(
      Object.entries(errors)
        .map(([field, value]) => `${field}: ${Array.isArray(value) ? value.join(', ') : value}`)
        .join('; '),
    );
    this.name = 'ShopifyRefusal';
  }
}

/** Answers a request under /admin/api/ or /admin/oauth/; null for any other path. */
export async function answerShopify(request: Request, store: ShopifyStore): Promise<Reply | null> {
  if (request.path.startsWith(SHOPIFY_ADMIN_PREFIX)) return answerAdmin(request, store);
  if (request.path.startsWith(SHOPIFY_OAUTH_PREFIX)) return answerOauth(request, store);
  return null;
}

/** Shopify's 400 body for an unreadable request body. */
export function shopifyBadBody(message: string): Reply {
  return shopifyReply(400, { errors: message });
}

function findOrder<O extends ShopifyOrderView>(view: ShopifyView<O>, id: string): O | undefined {
  return view.orders().find((order) => String(order.id) === id);
}

// -------------------------------------------------------------------------------------------------------
// Shopify OAuth: the client credentials grant and the granted scopes

async function answerOauth(request: Request, store: ShopifyStore): Promise<Reply> {
  if (request.method === 'POST' && request.path === `${SHOPIFY_OAUTH_PREFIX}access_token`) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
    const answer = await store.grant({ grantType: text('grant_type'), clientId: text('client_id'), clientSecret: text('client_secret') });
    if (!answer.ok && 'page' in answer) return { status: answer.status, text: answer.page, headers: { 'Content-Type': 'text/html; charset=utf-8' } };
    if (!answer.ok) return { status: answer.status, json: { error: answer.error, error_description: answer.description } };
    return { status: 200, json: { access_token: answer.accessToken, scope: answer.scope, expires_in: answer.expiresIn } };
  }
  if (request.method === 'GET' && request.path === `${SHOPIFY_OAUTH_PREFIX}access_scopes.json`) {
    const view = await store.read();
    if (!view.tokenValid(headerText(request.headers['x-shopify-access-token']))) {
      return shopifyReply(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    return shopifyReply(200, { access_scopes: view.scopes().map((handle) => ({ handle })) });
  }
  return { ...shopifyReply(404, { errors: 'Not Found' }), unserved: true };
}

// -------------------------------------------------------------------------------------------------------
// Shopify Admin REST

async function answerAdmin(request: Request, store: ShopifyStore): Promise<Reply> {
  const match = /^\/admin\/api\/([^/]+)\/(.+)$/.exec(request.path);
  if (!match || match[1] !== SHOPIFY_API_VERSION) return { ...shopifyReply(404, { errors: 'Not Found' }), unserved: true };
  const view = await store.read();
  if (!view.tokenValid(headerText(request.headers['x-shopify-access-token']))) {
    return shopifyReply(
      401,
      { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      { 'WWW-Authenticate': 'Basic Realm="Shopify API Authentication"' },
    );
  }
  const resource = match[2];
  const notServed: Reply = { ...shopifyReply(400, { errors: `The sandbox store does not serve ${request.method} ${request.path}` }), unserved: true };
  try {
    if (request.method === 'POST' && resource === 'orders.json') {
      checkShopifyParams(request.query, []);
      const order = await store.createOrder(request.body);
      return shopifyReply(201, { order });
    }
    if (request.method !== 'GET') return notServed;
    if (resource === 'products.json') return listShopifyProducts(view, request);
    if (resource === 'shop.json') {
      checkShopifyParams(request.query, ['fields']);
      return shopifyReply(200, { shop: pickFields(view.shop(), fieldsParam(request.query)) });
    }
    if (resource === 'orders.json') return listShopifyOrders(view, request);
    if (resource === 'orders/count.json') {
      checkShopifyParams(request.query, [
        'status',
        'created_at_min',
        'created_at_max',
        'updated_at_min',
        'updated_at_max',
        'financial_status',
        'fulfillment_status',
      ]);
      return shopifyReply(200, { count: filterShopifyOrders(view, parseOrderFilter(request.query)).length });
    }
    const orderMatch = /^orders\/(\d+)\.json$/.exec(resource);
    if (orderMatch) {
      checkShopifyParams(request.query, ['fields']);
      const order = findOrder(view, orderMatch[1] as string);
      if (!order) return shopifyReply(404, { errors: 'Not Found' });
      return shopifyReply(200, { order: pickFields(order, fieldsParam(request.query)) });
    }
    const fulfillmentsMatch = /^orders\/(\d+)\/fulfillments\.json$/.exec(resource);
    if (fulfillmentsMatch) {
      checkShopifyParams(request.query, ['fields', 'limit', 'since_id', 'created_at_min', 'created_at_max', 'updated_at_min', 'updated_at_max']);
      const order = findOrder(view, fulfillmentsMatch[1] as string);
      if (!order) return shopifyReply(404, { errors: 'Not Found' });
      const limit = limitParam(request.query);
      const sinceId = integerParam(request.query, 'since_id');
      const fields = fieldsParam(request.query);
      const createdMin = dateParam(request.query, 'created_at_min');
      const createdMax = dateParam(request.query, 'created_at_max');
      const updatedMin = dateParam(request.query, 'updated_at_min');
      const updatedMax = dateParam(request.query, 'updated_at_max');
      const fulfillments = order.fulfillments
        .filter((f) => sinceId === undefined || f.id > sinceId)
        .filter((f) => within(Date.parse(f.created_at), createdMin, createdMax) && within(Date.parse(f.updated_at), updatedMin, updatedMax))
        .slice(0, limit)
        .map((f) => pickFields(f, fields));
      return shopifyReply(200, { fulfillments });
    }
  } catch (error) {
    if (error instanceof ShopifyParamError) return shopifyReply(400, { errors: { [error.param]: error.message } });
    if (error instanceof ShopifyRefusal) return shopifyReply(error.status, { errors: error.errors });
    throw error;
  }
  return notServed;
}

/**
 * products.json with the documented parameters onboard uses: ids, status (default active; a comma-separated
 * list), vendor, fields, limit, page_info. By id ascending, paged by Link page_info cursors like orders.json.
 */
function listShopifyProducts(view: ShopifyView, request: Request): Reply {
  checkShopifyParams(request.query, PRODUCT_LIST_PARAMS);
  const { filter, cursor } = readCursor(request.query, decodeProductCursor, parseProductFilter);
  const all = view.products().filter((product) => {
    const id = product.id as number;
    return (
      (filter.ids === undefined || filter.ids.includes(id)) &&
      filter.statuses.includes(String(product.status)) &&
      (filter.vendor === undefined || String(product.vendor).toLowerCase() === filter.vendor.toLowerCase())
    );
  });
  return cursorPage(request, 'products', all, filter, cursor, {
    keyOf: (product) => product.id as number,
    compare: (a, b) => a - b,
    encode: encodeProductCursor,
  });
}

function listShopifyOrders(view: ShopifyView, request: Request): Reply {
  checkShopifyParams(request.query, ORDER_LIST_PARAMS);
  const { filter, cursor } = readCursor(request.query, decodeCursor, parseOrderFilter);
  const all = filterShopifyOrders(view, filter).sort((a, b) => compareKeys(sortKey(view, a), sortKey(view, b)));
  return cursorPage(request, 'orders', all, filter, cursor, {
    keyOf: (order) => sortKey(view, order),
    compare: compareKeys,
    encode: encodeCursor,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

// The protocol answers a constant bucket reading: the sandbox simulates no rate limit (a fluctuating bucket
// would make adapters pace themselves, and under --sandbox their pacing sleeps move the virtual clock); a store
// that does (the tests' fake) puts its own reading over this one.
function shopifyReply(status: number, json: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    json,
    headers: {
      'X-Shopify-Shop-Api-Call-Limit': '1/40',
      'X-Shopify-API-Version': SHOPIFY_API_VERSION,
      'X-Request-Id': randomUUID(),
      ...headers,
    },
  };
}

class ShopifyParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

const ORDER_LIST_PARAMS = [
  'ids',
  'limit',
  'since_id',
  'created_at_min',
  'created_at_max',
  'updated_at_min',
  'updated_at_max',
  'processed_at_min',
  'processed_at_max',
  'attribution_app_id',
  'status',
  'financial_status',
  'fulfillment_status',
  'fields',
  'page_info',
];

const PRODUCT_LIST_PARAMS = ['ids', 'limit', 'fields', 'status', 'vendor', 'page_info'];
const PRODUCT_STATUSES = ['active', 'archived', 'draft'];

/** A cursor carries its filters; only limit and fields may come with it. */
function rejectFiltersWithPageInfo(query: URLSearchParams): void {
  for (const key of new Set(query.keys())) {
    if (!['page_info', 'limit', 'fields'].includes(key)) {
      throw new ShopifyParamError(
        key,
        `${key} cannot be passed when page_info is present. See https://shopify.dev/api/usage/pagination-rest for more information.`,
      );
    }
  }
}

const ProductFilterSchema = z.object({
  ids: z.array(z.number()).optional(),
  statuses: z.array(z.string()),
  vendor: z.string().optional(),
});
type ProductFilter = z.infer<typeof ProductFilterSchema>;

/** ids=1,2,3 */
function idsParam(query: URLSearchParams): number[] | undefined {
  const text = query.get('ids');
  if (text === null) return undefined;
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part))) throw new ShopifyParamError('ids', 'is invalid');
  return parts.map(Number);
}

function parseProductFilter(query: URLSearchParams): ProductFilter {
  const statuses = (query.get('status') ?? 'active')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (statuses.length === 0 || statuses.some((status) => !PRODUCT_STATUSES.includes(status))) throw new ShopifyParamError('status', 'is invalid');
  const ids = idsParam(query);
  const vendor = query.get('vendor') ?? undefined;
  return { ids, statuses, vendor };
}

const ProductCursorSchema = z.object({ filter: ProductFilterSchema, edge: z.number(), direction: z.enum(['next', 'prev']) });
type ProductCursor = z.infer<typeof ProductCursorSchema>;

function encodeProductCursor(cursor: ProductCursor): string {
  return Buffer.from(JSON.stringify({ products: cursor }), 'utf8').toString('base64url');
}

function decodeProductCursor(text: string): ProductCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const parsed = z.object({ products: ProductCursorSchema }).safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.products : null;
  } catch {
    return null;
  }
}

function checkShopifyParams(query: URLSearchParams, allowed: readonly string[]): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key)) throw new ShopifyParamError(key, 'is not a supported parameter');
  }
}

function limitParam(query: URLSearchParams): number {
  const text = query.get('limit');
  if (text === null) return SHOPIFY_DEFAULT_LIMIT;
  const limit = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= SHOPIFY_MAX_LIMIT)) throw new ShopifyParamError('limit', `must be an integer from 1 to ${SHOPIFY_MAX_LIMIT}`);
  return limit;
}

function integerParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  if (!/^\d+$/.test(text)) throw new ShopifyParamError(name, 'is invalid');
  return Number(text);
}

function dateParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const ms = parseDateParam(text);
  if (Number.isNaN(ms)) throw new ShopifyParamError(name, 'is invalid');
  return ms;
}

function fieldsParam(query: URLSearchParams): string[] | null {
  const text = query.get('fields');
  if (text === null) return null;
  const fields = text
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  return fields.length > 0 ? fields : null;
}

function pickFields<T extends object>(record: T, fields: string[] | null): Partial<T> | T {
  if (!fields) return record;
  const picked: Record<string, unknown> = {};
  for (const field of fields) {
    if (field in record) picked[field] = (record as Record<string, unknown>)[field];
  }
  return picked as Partial<T>;
}

function within(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

const FilterSchema = z.object({
  status: z.enum(['open', 'closed', 'cancelled', 'any']),
  ids: z.array(z.number()).optional(),
  sinceId: z.number().optional(),
  createdMin: z.number().optional(),
  createdMax: z.number().optional(),
  updatedMin: z.number().optional(),
  updatedMax: z.number().optional(),
  processedMin: z.number().optional(),
  processedMax: z.number().optional(),
  financialStatus: z.string().optional(),
  fulfillmentStatus: z.string().optional(),
  attributionAppId: z.string().optional(),
});
type OrderFilter = z.infer<typeof FilterSchema>;

const FINANCIAL_STATUSES = ['authorized', 'pending', 'paid', 'partially_paid', 'refunded', 'voided', 'partially_refunded', 'any', 'unpaid'];
const FULFILLMENT_STATUSES = ['shipped', 'partial', 'unshipped', 'any', 'unfulfilled'];

function parseOrderFilter(query: URLSearchParams): OrderFilter {
  const status = query.get('status') ?? 'open';
  if (!['open', 'closed', 'cancelled', 'any'].includes(status)) throw new ShopifyParamError('status', 'is invalid');
  const financialStatus = query.get('financial_status') ?? undefined;
  if (financialStatus !== undefined && !FINANCIAL_STATUSES.includes(financialStatus)) throw new ShopifyParamError('financial_status', 'is invalid');
  const fulfillmentStatus = query.get('fulfillment_status') ?? undefined;
  if (fulfillmentStatus !== undefined && !FULFILLMENT_STATUSES.includes(fulfillmentStatus)) throw new ShopifyParamError('fulfillment_status', 'is invalid');
  const ids = idsParam(query);
  return {
    status: status as OrderFilter['status'],
    ids,
    sinceId: integerParam(query, 'since_id'),
    createdMin: dateParam(query, 'created_at_min'),
    createdMax: dateParam(query, 'created_at_max'),
    updatedMin: dateParam(query, 'updated_at_min'),
    updatedMax: dateParam(query, 'updated_at_max'),
    processedMin: dateParam(query, 'processed_at_min'),
    processedMax: dateParam(query, 'processed_at_max'),
    financialStatus,
    fulfillmentStatus,
    attributionAppId: query.get('attribution_app_id') ?? undefined,
  };
}

function matchesStatus(order: ShopifyOrderView, status: OrderFilter['status']): boolean {
  switch (status) {
    case 'any':
      return true;
    case 'cancelled':
      return order.cancelled_at !== null;
    case 'closed':
      return order.closed_at !== null;
    case 'open':
      return order.cancelled_at === null && order.closed_at === null;
  }
}

function matchesFinancial(order: ShopifyOrderView, wanted: string | undefined): boolean {
  if (wanted === undefined || wanted === 'any') return true;
  if (wanted === 'unpaid') return ['pending', 'authorized', 'partially_paid'].includes(order.financial_status);
  return order.financial_status === wanted;
}

function matchesFulfillment(order: ShopifyOrderView, wanted: string | undefined): boolean {
  switch (wanted) {
    case undefined:
    case 'any':
      return true;
    case 'shipped':
      return order.fulfillment_status === 'fulfilled';
    case 'partial':
      return order.fulfillment_status === 'partial';
    case 'unshipped':
      return order.fulfillment_status === null;
    case 'unfulfilled':
      return order.fulfillment_status === null || order.fulfillment_status === 'partial';
    default:
      return false;
  }
}

function filterShopifyOrders(view: ShopifyView, filter: OrderFilter): ShopifyOrderView[] {
  return view.orders().filter((order) => {
    // Filters compare the real instants; the API shows them in whole seconds.
    const { createdAtMs: created, updatedAtMs: updated } = view.times(order);
    return (
      matchesStatus(order, filter.status) &&
      (filter.ids === undefined || filter.ids.includes(order.id)) &&
      (filter.sinceId === undefined || order.id > filter.sinceId) &&
      within(created, filter.createdMin, filter.createdMax) &&
      within(updated, filter.updatedMin, filter.updatedMax) &&
      within(created, filter.processedMin, filter.processedMax) &&
      matchesFinancial(order, filter.financialStatus) &&
      matchesFulfillment(order, filter.fulfillmentStatus) &&
      (filter.attributionAppId === undefined || String(order.app_id) === filter.attributionAppId)
    );
  });
}

type SortKey = [createdAtMs: number, id: number];

function sortKey(view: ShopifyView, order: ShopifyOrderView): SortKey {
  return [view.times(order).createdAtMs, order.id];
}

/** Position in newest-first order: negative when `a` comes before `b`. */
function compareKeys(a: SortKey, b: SortKey): number {
  return b[0] - a[0] || b[1] - a[1];
}

const CursorSchema = z.object({
  filter: FilterSchema,
  edge: z.tuple([z.number(), z.number()]),
  direction: z.enum(['next', 'prev']),
});
type PageCursor = z.infer<typeof CursorSchema>;

/** Opaque to clients: base64url of the filters and the edge of the page it continues from. */
function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(text: string): PageCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

interface Cursor<F, K> {
  filter: F;
  edge: K;
  direction: 'next' | 'prev';
}

/** The filter of a listing: from its own parameters, or from its page_info cursor (which may carry only limit and fields). */
function readCursor<F, K>(
  query: URLSearchParams,
  decode: (text: string) => Cursor<F, K> | null,
  parseFilter: (query: URLSearchParams) => F,
): { filter: F; cursor: Cursor<F, K> | null } {
  const pageInfo = query.get('page_info');
  if (pageInfo === null) return { filter: parseFilter(query), cursor: null };
  rejectFiltersWithPageInfo(query);
  const cursor = decode(pageInfo);
  if (!cursor) throw new ShopifyParamError('page_info', 'Invalid value.');
  return { filter: cursor.filter, cursor };
}

/**
 * One page of a sorted listing, Shopify's way: `limit` items after (or before) the cursor's edge, and a Link
 * header with rel="previous"/"next" cursors only where there is more in that direction.
 */
function cursorPage<T, F, K>(
  request: Request,
  resource: 'orders' | 'products',
  all: T[],
  filter: F,
  cursor: Cursor<F, K> | null,
  order: { keyOf: (item: T) => K; compare: (a: K, b: K) => number; encode: (cursor: Cursor<F, K>) => string },
): Reply {
  const { query } = request;
  const limit = limitParam(query);
  const fields = fieldsParam(query);
  const { keyOf, compare } = order;
  let page: T[];
  if (!cursor) page = all.slice(0, limit);
  else if (cursor.direction === 'next') page = all.filter((item) => compare(keyOf(item), cursor.edge) > 0).slice(0, limit);
  else page = all.filter((item) => compare(keyOf(item), cursor.edge) < 0).slice(-limit);

  const links: string[] = [];
  if (page.length > 0) {
    const firstKey = keyOf(page[0] as T);
    const lastKey = keyOf(page[page.length - 1] as T);
    const link = (direction: 'next' | 'previous', edge: K) => {
      const params = new URLSearchParams({
        page_info: order.encode({ filter, edge, direction: direction === 'next' ? 'next' : 'prev' }),
        limit: String(limit),
      });
      if (query.get('fields') !== null) params.set('fields', query.get('fields') ?? '');
      return `<${request.origin}${SHOPIFY_PREFIX}${SHOPIFY_API_VERSION}/${resource}.json?${params.toString()}>; rel="${direction}"`;
    };
    if (all.some((item) => compare(keyOf(item), firstKey) < 0)) links.push(link('previous', firstKey));
    if (all.some((item) => compare(keyOf(item), lastKey) > 0)) links.push(link('next', lastKey));
  }
  const body = { [resource]: page.map((item) => pickFields(item as object, fields)) };
  return shopifyReply(200, body, links.length > 0 ? { Link: links.join(', ') } : {});
}
