// The sandbox server (spec §3): one loopback HTTP server that speaks the Shopify Admin REST protocol under
// /admin/api/<pinned version>/, the Flxpoint API at the root, and its own control endpoints under /__sandbox/
// (the dealer's clicks in the vendors' web apps). The production adapters talk to it as they would to the vendors.
//
// Every request loads the profile's world, applies itself and saves it through ProfileStore.update (a locked
// read-modify-write), so several servers and processes on one profile never lose each other's changes. Time
// never moves with the wall clock: only POST /__sandbox/clock/advance moves it.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { SHOPIFY_API_VERSION } from '../adapters/shopify/version.js';
import type { ProfileStore } from '../config/store.js';
import {
  DEFAULT_SCENARIO,
  SANDBOX_APP_SCOPES,
  SCENARIOS,
  WorldError,
  WorldSchema,
  advanceWorld,
  authorizeOrder,
  createWorld,
  ensureShopifyClient,
  grantShopifyToken,
  shopifyTokenValid,
  findChannelOrder,
  isDecimalText,
  isScenario,
  isoTime,
  nextEventAt,
  orderSync,
  placeApiOrder,
  placeCustomerOrder,
  setPortalSettings,
  settingsForOrder,
  shopifyTime,
  storeProducts,
  ShopifyRefusal,
  type ScenarioName,
  type ShopifyOrder,
  type World,
} from './world.js';
import { createFlxpointProtocol } from './protocols/flxpoint.js';
import { headerText, parseBody, readBodyText, sendReply as send, type ProtocolReply, type ProtocolRequest } from './protocols/http.js';

export interface SandboxServerOptions {
  store: ProfileStore;
  port?: number;
  defaultScenario?: string;
  log?: (line: string) => void;
}

export interface SandboxServer {
  url: string;
  port: number;
  /** token: an admin-created app's (never expires); clientId and clientSecret: a Dev Dashboard app's */
  shopify: { store: string; token: string; clientId: string; clientSecret: string };
  flxpoint: { token: string };
  close(): Promise<void>;
}

const WorldDocumentSchema = z.object({ world: WorldSchema.optional() });

const SHOPIFY_PREFIX = `/admin/api/`;
const SHOPIFY_OAUTH_PREFIX = '/admin/oauth/';
const SHOPIFY_DEFAULT_LIMIT = 50;
const SHOPIFY_MAX_LIMIT = 250;

type Reply = ProtocolReply;
type Request = ProtocolRequest;

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const defaultScenario = options.defaultScenario ?? DEFAULT_SCENARIO;
  if (!isScenario(defaultScenario)) {
    throw new WorldError('bad_input', `Unknown scenario "${defaultScenario}"; known scenarios: ${SCENARIOS.join(', ')}`);
  }
  const serverScenario: ScenarioName = defaultScenario;
  const { store, log } = options;

  // The tokens this server announced. If the world is deleted while it runs (`onboard sandbox reset`), the fresh
  // world keeps them, so credentials already handed out stay valid.
  let announcedTokens: World['tokens'] | null = null;

  /** Locked read-modify-write of the world, created on first use. `apply` must be synchronous. */
  async function changeWorld<R>(apply: (world: World) => R): Promise<R> {
    const { result } = await store.update('sandbox', 'world', WorldDocumentSchema, (document) => {
      if (!document.world) {
        document.world = createWorld(Date.now());
        if (announcedTokens) document.world.tokens = structuredClone(announcedTokens);
      }
      return apply(document.world);
    });
    return result;
  }

  /** A snapshot for read-only requests (creating the world on first use). */
  async function readWorld(): Promise<World> {
    const document = store.read('sandbox', 'world', WorldDocumentSchema);
    const world = document.world ?? (await changeWorld((fresh) => structuredClone(fresh)));
    advanceWorld(world, world.now); // no-op by design: reads never move time
    return world;
  }

  const tokens = await changeWorld((world) => (ensureShopifyClient(world), structuredClone(world.tokens)));
  announcedTokens = tokens;

  const server = http.createServer((req, res) => {
    handle(req)
      .then((reply) => send(res, reply))
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        send(res, { status: 500, json: { error: `Sandbox failure: ${message}` } });
      })
      .finally(() => log?.(`${req.method ?? '?'} ${(req.url ?? '').split('?')[0]} → ${res.statusCode}`));
  });

  async function handle(req: http.IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = `http://${req.headers.host ?? `127.0.0.1:${port}`}`;
    let body: unknown;
    try {
      body = parseBody(await readBodyText(req), req.headers['content-type']);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (url.pathname.startsWith('/__sandbox/')) return { status: 400, json: { error: message } };
      if (url.pathname.startsWith(SHOPIFY_PREFIX)) return shopifyReply(400, { errors: message });
      return { status: 400, text: message };
    }
    const request: Request = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body, origin };
    try {
      if (request.path === '/__sandbox' || request.path.startsWith('/__sandbox/')) return await handleControl(request);
      if (request.path.startsWith(SHOPIFY_PREFIX)) return await handleShopify(request);
      if (request.path.startsWith(SHOPIFY_OAUTH_PREFIX)) return await handleShopifyOauth(request);
      return await handleFlxpoint(request);
    } catch (error) {
      if (error instanceof WorldError) {
        const status = error.kind === 'not_found' ? 404 : 400;
        if (request.path.startsWith('/__sandbox')) return { status, json: { error: error.message } };
        return { status, text: error.message };
      }
      throw error;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Control endpoints: what the dealer's hand does in the vendors' web apps

  async function handleControl(request: Request): Promise<Reply> {
    const { method, path } = request;
    const ok = (json: unknown): Reply => ({ status: 200, json });
    const bad = (error: string): Reply => ({ status: 400, json: { error } });
    const route = `${method} ${path}`;
    const clockReply = (world: World) => ({ now: isoTime(world.now), nowMs: world.now, nextEventAt: nullableIso(nextEventAt(world)) });

    if (route === 'GET /__sandbox/health') return ok({ ok: true, scenario: defaultScenario });
    if (route === 'GET /__sandbox/clock') return ok(clockReply(await readWorld()));
    if (route === 'POST /__sandbox/clock/advance') {
      const parsed = z.object({ ms: z.number().finite().min(0).max(366 * 86_400_000) }).safeParse(request.body);
      if (!parsed.success) return bad('Body must be {"ms": N} with N a number of milliseconds from 0 to one year');
      const ms = Math.round(parsed.data.ms);
      return ok(await changeWorld((world) => (advanceWorld(world, world.now + ms), clockReply(world))));
    }
    if (route === 'POST /__sandbox/store/checkout') {
      const parsed = z
        .object({ scenario: z.string().optional(), variantId: z.number().int().optional(), quantity: z.number().int().optional() })
        .safeParse(request.body ?? {});
      if (!parsed.success) return bad('Body must be {"scenario"?: NAME, "variantId"?: ID, "quantity"?: N}');
      const scenario = parsed.data.scenario ?? defaultScenario;
      if (!isScenario(scenario)) return bad(`Unknown scenario "${scenario}"; known scenarios: ${SCENARIOS.join(', ')}`);
      const order = await changeWorld((world) => {
        const placed = placeCustomerOrder(world, { scenario, variantId: parsed.data.variantId, quantity: parsed.data.quantity });
        return { id: String(placed.id), number: String(placed.order_number), name: placed.name, createdAt: placed.created_at, total: placed.total_price, scenario };
      });
      return { status: 201, json: { order } };
    }
    if (route === 'POST /__sandbox/order-manager/sync') return ok(await changeWorld((world) => orderSync(world)));

    const importMatch = /^\/__sandbox\/order-manager\/orders\/([^/]+)$/.exec(path);
    if (importMatch && method === 'GET') {
      const world = await readWorld();
      const channelOrderId = decodeURIComponent(importMatch[1]);
      if (!findChannelOrder(world, channelOrderId)) return { status: 404, json: { error: `No order ${channelOrderId} on the sandbox store` } };
      const record = world.orderManager.records[channelOrderId];
      return ok({
        imported: record?.importedAt != null,
        importedAt: nullableIso(record?.importedAt ?? null),
        heldReason: record?.heldReason ?? null,
        portalOrderId: record?.portalOrderId != null ? String(record.portalOrderId) : null,
      });
    }

    const authorizeMatch = /^\/__sandbox\/portal\/orders\/([^/]+)\/authorize$/.exec(path);
    if (authorizeMatch && method === 'POST') {
      return ok(await changeWorld((world) => authorizeOrder(world, decodeURIComponent(authorizeMatch[1]))));
    }
    const orderSettingsMatch = /^\/__sandbox\/portal\/orders\/([^/]+)\/settings$/.exec(path);
    if (orderSettingsMatch && method === 'GET') {
      return ok(settingsForOrder(await readWorld(), decodeURIComponent(orderSettingsMatch[1])));
    }
    if (route === 'GET /__sandbox/portal/settings') return ok({ ...(await readWorld()).portal.settings });
    if (route === 'PUT /__sandbox/portal/settings') {
      const parsed = z.object({ autoAuthorize: z.boolean(), maxOrderTotal: z.string().nullable() }).safeParse(request.body);
      if (!parsed.success) return bad('Body must be {"autoAuthorize": true|false, "maxOrderTotal": null or decimal text such as "50.00"}');
      if (parsed.data.maxOrderTotal !== null && !isDecimalText(parsed.data.maxOrderTotal)) {
        return bad(`maxOrderTotal must be null or decimal text such as "50.00", not ${JSON.stringify(parsed.data.maxOrderTotal)}`);
      }
      const settings = parsed.data;
      return ok(await changeWorld((world) => setPortalSettings(world, settings)));
    }
    if (route === 'GET /__sandbox/events') return ok({ events: (await readWorld()).events });
    return bad(`The sandbox has no control endpoint ${method} ${path}`);
  }

  // -------------------------------------------------------------------------------------------------------
  // Shopify OAuth: the client credentials grant and the granted scopes

  async function handleShopifyOauth(request: Request): Promise<Reply> {
    if (request.method === 'POST' && request.path === `${SHOPIFY_OAUTH_PREFIX}access_token`) {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
      const answer = await changeWorld((world) =>
        grantShopifyToken(world, { grantType: text('grant_type'), clientId: text('client_id'), clientSecret: text('client_secret') }),
      );
      if (!answer.ok) return { status: answer.status, json: { error: answer.error, error_description: answer.description } };
      return { status: 200, json: { access_token: answer.accessToken, scope: answer.scope, expires_in: answer.expiresIn } };
    }
    if (request.method === 'GET' && request.path === `${SHOPIFY_OAUTH_PREFIX}access_scopes.json`) {
      const world = await readWorld();
      if (!shopifyTokenValid(world, headerText(request.headers['x-shopify-access-token']))) {
        return shopifyReply(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      }
      return shopifyReply(200, { access_scopes: SANDBOX_APP_SCOPES.map((handle) => ({ handle })) });
    }
    return shopifyReply(404, { errors: 'Not Found' });
  }

  // -------------------------------------------------------------------------------------------------------
  // Shopify Admin REST

  async function handleShopify(request: Request): Promise<Reply> {
    const match = /^\/admin\/api\/([^/]+)\/(.+)$/.exec(request.path);
    if (!match || match[1] !== SHOPIFY_API_VERSION) return shopifyReply(404, { errors: 'Not Found' });
    const world = await readWorld();
    if (!shopifyTokenValid(world, headerText(request.headers['x-shopify-access-token']))) {
      return shopifyReply(
        401,
        { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
        { 'WWW-Authenticate': 'Basic Realm="Shopify API Authentication"' },
      );
    }
    const resource = match[2];
    const notServed = shopifyReply(400, { errors: `The sandbox store does not serve ${request.method} ${request.path}` });
    try {
      if (request.method === 'POST' && resource === 'orders.json') {
        checkShopifyParams(request.query, []);
        const order = await changeWorld((fresh) => placeApiOrder(fresh, request.body, serverScenario));
        return shopifyReply(201, { order });
      }
      if (request.method !== 'GET') return notServed;
      if (resource === 'products.json') return listShopifyProducts(world, request);
      if (resource === 'shop.json') {
        checkShopifyParams(request.query, ['fields']);
        return shopifyReply(200, { shop: pickFields(shopOf(world), fieldsParam(request.query)) });
      }
      if (resource === 'orders.json') return listShopifyOrders(world, request);
      if (resource === 'orders/count.json') {
        checkShopifyParams(request.query, ['status', 'created_at_min', 'created_at_max', 'updated_at_min', 'updated_at_max', 'financial_status', 'fulfillment_status']);
        return shopifyReply(200, { count: filterShopifyOrders(world, parseOrderFilter(request.query)).length });
      }
      const orderMatch = /^orders\/(\d+)\.json$/.exec(resource);
      if (orderMatch) {
        checkShopifyParams(request.query, ['fields']);
        const order = findChannelOrder(world, orderMatch[1]);
        if (!order) return shopifyReply(404, { errors: 'Not Found' });
        return shopifyReply(200, { order: pickFields(order, fieldsParam(request.query)) });
      }
      const fulfillmentsMatch = /^orders\/(\d+)\/fulfillments\.json$/.exec(resource);
      if (fulfillmentsMatch) {
        checkShopifyParams(request.query, ['fields', 'limit', 'since_id', 'created_at_min', 'created_at_max', 'updated_at_min', 'updated_at_max']);
        const order = findChannelOrder(world, fulfillmentsMatch[1]);
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
  function listShopifyProducts(world: World, request: Request): Reply {
    checkShopifyParams(request.query, PRODUCT_LIST_PARAMS);
    const { filter, cursor } = readCursor(request.query, decodeProductCursor, parseProductFilter);
    const all = storeProducts(world).filter((product) => {
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

  function listShopifyOrders(world: World, request: Request): Reply {
    checkShopifyParams(request.query, ORDER_LIST_PARAMS);
    const { filter, cursor } = readCursor(request.query, decodeCursor, parseOrderFilter);
    const all = filterShopifyOrders(world, filter).sort((a, b) => newestFirst(world, a, b));
    return cursorPage(request, 'orders', all, filter, cursor, {
      keyOf: (order) => sortKey(world, order),
      compare: compareKeys,
      encode: encodeCursor,
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Flxpoint API: ./protocols/flxpoint.ts over the world's portal (one reseller channel token; no rate limit)

  const flxpoint = createFlxpointProtocol();

  async function handleFlxpoint(request: Request): Promise<Reply> {
    const world = await readWorld();
    return flxpoint.answer(request, {
      tokenType: (token) => (token === world.tokens.flxpoint.token ? 'reseller' : null),
      orders: () => world.portal.orders,
      shipments: () => world.portal.shipments,
    });
  }

  // -------------------------------------------------------------------------------------------------------

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    shopify: {
      store: tokens.shopify.store,
      token: tokens.shopify.token,
      clientId: tokens.shopify.clientId as string,
      clientSecret: tokens.shopify.clientSecret as string,
    },
    flxpoint: { token: tokens.flxpoint.token },
    // Idempotent: a signal handler and a finally block may both close it.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// HTTP plumbing

function nullableIso(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}

// ---------------------------------------------------------------------------------------------------------
// Shopify helpers

// Rate limiting is not simulated: a fluctuating bucket would make adapters pace themselves, and under
// --sandbox their pacing sleeps move the virtual clock.
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

function parseProductFilter(query: URLSearchParams): ProductFilter {
  const statuses = (query.get('status') ?? 'active').split(',').map((part) => part.trim()).filter(Boolean);
  if (statuses.length === 0 || statuses.some((status) => !PRODUCT_STATUSES.includes(status))) throw new ShopifyParamError('status', 'is invalid');
  const idsText = query.get('ids');
  let ids: number[] | undefined;
  if (idsText !== null) {
    const parts = idsText.split(',').map((part) => part.trim());
    if (parts.some((part) => !/^\d+$/.test(part))) throw new ShopifyParamError('ids', 'is invalid');
    ids = parts.map(Number);
  }
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
  // An unencoded '+' in an offset arrives as a space; read it as the '+' it was.
  const ms = Date.parse(text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1'));
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

function shopOf(world: World): Record<string, unknown> {
  const created = shopifyTime(world.createdAt);
  return {
    id: 60_000_000_001,
    name: 'Onboard Sandbox Store',
    email: 'owner@onboard-sandbox.example',
    domain: world.tokens.shopify.store,
    myshopify_domain: world.tokens.shopify.store,
    province: 'Kentucky',
    country: 'US',
    country_code: 'US',
    country_name: 'United States',
    currency: 'USD',
    enabled_presentment_currencies: ['USD'],
    money_format: '${{amount}}',
    timezone: '(GMT-05:00) Etc/GMT+5',
    iana_timezone: 'Etc/GMT+5',
    plan_name: 'basic',
    plan_display_name: 'Basic',
    shop_owner: 'Sandbox Dealer',
    primary_locale: 'en',
    created_at: created,
    updated_at: created,
  };
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
  const idsText = query.get('ids');
  let ids: number[] | undefined;
  if (idsText !== null) {
    const parts = idsText.split(',').map((part) => part.trim());
    if (parts.some((part) => !/^\d+$/.test(part))) throw new ShopifyParamError('ids', 'is invalid');
    ids = parts.map(Number);
  }
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

function matchesStatus(order: ShopifyOrder, status: OrderFilter['status']): boolean {
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

function matchesFinancial(order: ShopifyOrder, wanted: string | undefined): boolean {
  if (wanted === undefined || wanted === 'any') return true;
  if (wanted === 'unpaid') return ['pending', 'authorized', 'partially_paid'].includes(order.financial_status);
  return order.financial_status === wanted;
}

function matchesFulfillment(order: ShopifyOrder, wanted: string | undefined): boolean {
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

function filterShopifyOrders(world: World, filter: OrderFilter): ShopifyOrder[] {
  return world.channel.orders.filter((order) => {
    const meta = world.channel.meta[String(order.id)];
    // Filters compare the real instants; the API shows them in whole seconds.
    const created = meta?.createdAtMs ?? Date.parse(order.created_at);
    const updated = meta?.updatedAtMs ?? Date.parse(order.updated_at);
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

function sortKey(world: World, order: ShopifyOrder): SortKey {
  return [world.channel.meta[String(order.id)]?.createdAtMs ?? Date.parse(order.created_at), order.id];
}

/** Position in newest-first order: negative when `a` comes before `b`. */
function compareKeys(a: SortKey, b: SortKey): number {
  return b[0] - a[0] || b[1] - a[1];
}

function newestFirst(world: World, a: ShopifyOrder, b: ShopifyOrder): number {
  return compareKeys(sortKey(world, a), sortKey(world, b));
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
function readCursor<F, K>(query: URLSearchParams, decode: (text: string) => Cursor<F, K> | null, parseFilter: (query: URLSearchParams) => F): { filter: F; cursor: Cursor<F, K> | null } {
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
      const params = new URLSearchParams({ page_info: order.encode({ filter, edge, direction: direction === 'next' ? 'next' : 'prev' }), limit: String(limit) });
      if (query.get('fields') !== null) params.set('fields', query.get('fields') ?? '');
      return `<${request.origin}${SHOPIFY_PREFIX}${SHOPIFY_API_VERSION}/${resource}.json?${params.toString()}>; rel="${direction}"`;
    };
    if (all.some((item) => compare(keyOf(item), firstKey) < 0)) links.push(link('previous', firstKey));
    if (all.some((item) => compare(keyOf(item), lastKey) > 0)) links.push(link('next', lastKey));
  }
  const body = { [resource]: page.map((item) => pickFields(item as object, fields)) };
  return shopifyReply(200, body, links.length > 0 ? { Link: links.join(', ') } : {});
}
