// The BigCommerce sales-channel adapter: v2 Orders API at /stores/<hash>/v2/… (v3 Catalog at /stores/<hash>/v3/…
// for item suggestions), token in X-Auth-Token.
//
// What BigCommerce does that shapes this file:
// - No orders, or a page past the end, is 204 with an empty body (the seam reads it as null); so are the
//   shipments of an unshipped order.
// - Orders are found with the API's own filters, never a scan: min_date_created + sort + limit (+ page). The
//   first order since a time is one request (sort=date_created:asc&limit=1), whatever the store's size.
//   A server that ignores the filter is not trusted to end a listing: newest first stops at the first order
//   older than the window, a page of nothing new ends it, and LIST_MAX_PAGES ends it with an error.
// - The order number IS the order id, so an order by number is one direct GET.
// - Sub-resources (shipping addresses, products) come back as {url, resource} links: the adapter GETs the
//   documented paths itself and never follows the link URLs.
// - Money is 4-decimal text ("69.8400"), kept exact; dates are RFC 2822.
// - Every response carries X-Rate-Limit-Requests-Left / -Time-Reset-Ms: when Requests-Left reaches 0 the next
//   request waits Time-Reset-Ms (through the clock); a 429 waits Time-Reset-Ms, or X-Retry-After, or backs off
//   when it carries neither (platform load). These are hooks of the HTTP seam (pacer, observe, retryWaitMs), so
//   every answer, retried ones included, feeds the pacing; the seam retries a 429 (any method) and a GET after
//   a network error or a 5xx, at most MAX_TRIES attempts per request.
// - createOrder happens exactly once (create-once.ts): staff_notes carries the idempotency key, found again by
//   reading the orders created since the create's look-back, newest first (v2 cannot filter on staff_notes).
//
// Variant ids (ItemSuggestion.variantId, CreateOrderInput.variantId) are "PRODUCT_ID" for a product without
// options (its base variant) and "PRODUCT_ID:VARIANT_ID" for one variant of a product with options.
import type { Clock } from '../../core/clock.js';
import { AuthRejectedError, BadInputError, NotFoundError, UpstreamError, type OnboardError } from '../../core/errors.js';
import { compareMoney, moneyToExactText, parseMoney } from '../../core/money.js';
import type { ChannelOrder, ChannelOrderSummary, ChannelPort, ChannelTracking, CreateOrderInput, ItemSuggestion } from '../../core/ports.js';
import { validateBaseUrl } from '../../core/inputs.js';
import { MAX_TRIES, createHttpClient, parseWith, type HttpResponse, type QueryParams } from '../http/client.js';
import { checkQuantity, createOnce } from '../create-once.js';
import { forEachPage, pageBudgetSpent, readEach } from '../listing.js';
import {
  bcBrandPageSchema,
  bcOrderListSchema,
  bcOrderSchema,
  bcProductPageSchema,
  bcShipmentListSchema,
  bcShippingAddressListSchema,
  bcV2ErrorBodySchema,
  bcV3ErrorBodySchema,
  bcVariantEnvelopeSchema,
  storeSchema,
  type BcOrder,
  type BcProduct,
  type BcShipment,
  type BcShippingAddress,
} from './schemas.js';
import { nonEmpty, productAndVariant, splitName, toIsoUtc } from '../text.js';

export interface BigCommerceChannelOptions {
  /** the store hash: the letters and digits after /stores/ in the API path */
  storeHash: string;
  /** a store-level API account's access token (X-Auth-Token) */
  token: string;
  /** replaces scheme, host, port and an optional path prefix (sandbox, tests); default https://api.bigcommerce.com */
  apiUrl?: string;
  clock: Clock;
  log?: (line: string) => void;
  /** per request, default the seam's 30 s */
  timeoutMs?: number;
  /** the command's abort signal: ends every request and wait at once */
  signal?: AbortSignal;
}

const SYSTEM = 'bigcommerce';
const DEFAULT_API_URL = 'https://api.bigcommerce.com';
/** BigCommerce's largest page (a larger limit is 413). */
export const PAGE_LIMIT = 250;
/** The page budget of one order listing (100 × 250 = 25,000 orders): beyond it the listing fails, naming it. */
const LIST_MAX_PAGES = 100;
const WINDOW_HINT = 'The window holds more orders than onboard reads in one listing, or the store ignores the page number: give a shorter --since, or --limit.';
const LOOKUP_HINT = 'BigCommerce (or something in front of it) may ignore the date filter: look for the order in Orders → View in the control panel.';
/** status_id 5 is Cancelled; 11 is Awaiting Fulfillment (what a paid test order is created in). */
export const CANCELLED_STATUS_ID = 5;
export const AWAITING_FULFILLMENT_STATUS_ID = 11;
/** item suggestions read at most this many catalog pages */
const SUGGEST_MAX_PAGES = 4;

const SCOPE_ORDERS_READ = 'Orders: read-only';
const SCOPE_ORDERS_MODIFY = 'Orders: modify';
const SCOPE_PRODUCTS_READ = 'Products: read-only';

const ACCOUNT_STEPS =
  'In the BigCommerce control panel open Settings → API → Store-level API accounts → Create API account (or edit yours), ' +
  `give it the OAuth scopes ${SCOPE_ORDERS_READ} (${SCOPE_ORDERS_MODIFY} to place the test order with --create) and ` +
  `${SCOPE_PRODUCTS_READ} (item suggestions), save, and copy its Access token; the store hash is the part after /stores/ in its API path.`;

const TOKEN_HINT = `${ACCOUNT_STEPS} Then run onboard connect bigcommerce --store-hash HASH --token-stdin.`;

// ---------------------------------------------------------------------------------------------------------
// Errors

/** The messages of a BigCommerce error body: v2 `[{status, message}]`, v3 `{title, detail, errors}`. */
export function bigCommerceErrorText(bodyText: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const v2 = bcV2ErrorBodySchema.safeParse(body);
  if (v2.success) {
    const messages = v2.data
      .map((entry) => {
        const details = entry.details && typeof entry.details === 'object' ? ` (${JSON.stringify(entry.details)})` : '';
        return entry.message ? `${entry.message}${details}` : undefined;
      })
      .filter((text): text is string => text !== undefined && text.trim() !== '');
    return messages.length > 0 ? messages.join('; ') : undefined;
  }
  const v3 = bcV3ErrorBodySchema.safeParse(body);
  if (v3.success && (v3.data.title || v3.data.detail || v3.data.errors)) {
    const parts = [v3.data.title, v3.data.detail].filter((text): text is string => Boolean(text && text.trim()));
    for (const [field, value] of Object.entries(v3.data.errors ?? {})) {
      parts.push(`${field}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return undefined;
}

/** 401/403 from BigCommerce; a 403 is turned into "lacks scope X" by the call that knows which scope it needed. */
class BigCommerceAuthError extends AuthRejectedError {
  readonly status: number;
  readonly detail: string;
  constructor(status: number, message: string, detail: string, hint: string) {
    super(SYSTEM, message, { hint });
    this.status = status;
    this.detail = detail;
  }
}

/** A 429 the seam's retries did not get past. */
class BigCommerceRateLimited extends UpstreamError {
  constructor(detail: string) {
    super('rate_limited', `BigCommerce kept refusing requests as too many (429)${detail}`, {
      status: 429,
      hint: "Another app may be using up the store's API quota (it is shared by every app of the store). Wait a few minutes and run again.",
    });
  }
}

/** How long a 429 asks to wait: X-Rate-Limit-Time-Reset-Ms, else X-Retry-After / Retry-After seconds, else undefined (back off). */
export function bigCommerceRetryWaitMs(headers: Record<string, string>): number | undefined {
  const resetMs = intHeader(headers, 'x-rate-limit-time-reset-ms');
  if (resetMs !== undefined && resetMs > 0) return resetMs;
  const retryAfterSeconds = intHeader(headers, 'x-retry-after') ?? intHeader(headers, 'retry-after');
  return retryAfterSeconds !== undefined && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : undefined;
}

function intHeader(headers: Record<string, string>, name: string): number | undefined {
  const value = headers[name];
  if (value === undefined || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Math.ceil(Number(value));
}

// ---------------------------------------------------------------------------------------------------------
// Mapping

/**
 * An ISO time as the RFC 2822 text BigCommerce itself sends ("Thu, 15 Jan 2026 12:00:00 +0000"), floored to
 * the second: BigCommerce keeps whole seconds, so an order made in the same second as `iso` is included.
 */
export function toRfc2822(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new BadInputError(`not a date-time: "${iso}"`);
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString().replace(/GMT$/, '+0000');
}

function trackingOf(shipments: BcShipment[]): ChannelTracking[] {
  const tracking: ChannelTracking[] = [];
  const seen = new Set<string>();
  for (const shipment of shipments) {
    const number = shipment.tracking_number?.trim();
    if (!number || seen.has(number)) continue;
    seen.add(number);
    const carrier = [shipment.shipping_provider_display_name, shipment.tracking_carrier, shipment.shipping_provider].find(nonEmpty) ?? null;
    // a custom tracking_link wins; otherwise the link BigCommerce generated from provider + number
    const url = [shipment.tracking_link, shipment.generated_tracking_link].find(nonEmpty) ?? null;
    tracking.push({ number, carrier, url });
  }
  return tracking;
}

export function isCancelled(order: Pick<BcOrder, 'status_id' | 'status'>): boolean {
  return order.status_id === CANCELLED_STATUS_ID || order.status?.trim().toLowerCase() === 'cancelled';
}

/** What an order and its list summary share (BigCommerce's order number is its id). */
function orderHeader(order: BcOrder) {
  return {
    id: String(order.id),
    number: String(order.id),
    name: `#${order.id}`,
    createdAt: toIsoUtc(order.date_created),
    total: parseMoney(order.total_inc_tax, order.currency_code),
    currency: order.currency_code.toUpperCase(),
  };
}

/**
 * "None" is what BigCommerce shows as the shipping method of an order whose checkout let the customer skip
 * shipping (a store without shipping zones, a digital cart): no method at all, not a title to map.
 */
export function isNoShippingMethod(method: string | null | undefined): boolean {
  return typeof method === 'string' && method.trim().toLowerCase() === 'none';
}

/** An order with its first shipping address (title, zip, phone) and its shipments (tracking). */
export function toChannelOrder(order: BcOrder, addresses: BcShippingAddress[], shipments: BcShipment[]): ChannelOrder {
  const address = addresses[0] ?? null;
  const skipped = isNoShippingMethod(address?.shipping_method);
  return {
    channel: 'bigcommerce',
    ...orderHeader(order),
    shippingTitle: !skipped && nonEmpty(address?.shipping_method) ? address.shipping_method : null,
    ...(skipped ? { shippingSkipped: true } : {}),
    address: {
      present: address !== null,
      hasZip: nonEmpty(address?.zip),
      // the shipping address itself must carry the phone: the order manager does not fall back to the billing phone
      hasPhone: nonEmpty(address?.phone),
    },
    cancelled: isCancelled(order),
    tracking: trackingOf(shipments),
  };
}

/**
 * A list entry as a summary. The v2 order list carries shipping addresses only as links, so shippingMethod is
 * null here (reading it would cost one request per order); getOrder has it.
 */
export function toSummary(order: BcOrder): ChannelOrderSummary {
  return { ...orderHeader(order), shippingMethod: null };
}

/** "123" → product 123 (its base variant); "123:456" → variant 456 of product 123. */
export function parseVariantId(variantId: string): { productId: number; variantId: number | null } {
  const item = productAndVariant(variantId);
  if (!item) {
    throw new BadInputError(`--variant: "${variantId}" is not a BigCommerce variant id`, {
      hint: 'Give PRODUCT_ID for a product without options, or PRODUCT_ID:VARIANT_ID for one variant (as the item suggestions show them).',
    });
  }
  return item;
}

/** What staff_notes carries on an order onboard creates; the key is looked for after a lost answer. */
export function staffNote(idempotencyKey: string): string {
  return `onboard test order (idempotency key: ${idempotencyKey})`;
}

function countryName(iso2: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(iso2.toUpperCase()) ?? iso2;
  } catch {
    return iso2;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The adapter

export function createBigCommerceChannel(options: BigCommerceChannelOptions): ChannelPort {
  const storeHash = options.storeHash.trim().toLowerCase();
  if (!/^[a-z0-9]+$/.test(storeHash)) {
    throw new BadInputError(`--store-hash: "${options.storeHash}" is not a BigCommerce store hash`, {
      hint: 'The store hash is the letters and digits after /stores/ in the API path (Settings → API → Store-level API accounts).',
    });
  }
  const clock = options.clock;
  const log = options.log;
  const baseURL = validateBaseUrl(options.apiUrl ?? DEFAULT_API_URL, options.apiUrl ? '--api-url' : 'BigCommerce API URL');
  const where = `store ${storeHash}`;

  // ------------------------------------------------------------------ rate-limit pacing (header driven)
  let pausedUntil = Number.NEGATIVE_INFINITY;

  /** Requests-Left 0: nothing more until Time-Reset-Ms has passed. */
  function notePacing(headers: Record<string, string>): void {
    const left = intHeader(headers, 'x-rate-limit-requests-left');
    if (left === undefined || left > 0) return;
    const reset = intHeader(headers, 'x-rate-limit-time-reset-ms') ?? intHeader(headers, 'x-rate-limit-time-window-ms');
    if (reset === undefined || reset <= 0) return;
    pausedUntil = Math.max(pausedUntil, clock.now() + reset);
  }

  const pacer = {
    async beforeRequest(signal?: AbortSignal): Promise<void> {
      const wait = pausedUntil - clock.now();
      if (wait <= 0) return;
      log?.(`… BigCommerce rate limit: waiting ${wait}ms`);
      await clock.sleep(wait, signal ?? options.signal);
    },
  };

  function describeStatus(status: number, bodyText: string, headers: Record<string, string>): OnboardError | undefined {
    const text = bigCommerceErrorText(bodyText);
    const detail = text ? `: ${text.slice(0, 300)}` : '';
    switch (status) {
      case 401:
        return new BigCommerceAuthError(
          401,
          `BigCommerce rejected the access token (X-Auth-Token) for ${where} (401 Unauthorized)${detail}`,
          detail,
          TOKEN_HINT,
        );
      case 403:
        return new BigCommerceAuthError(
          403,
          `BigCommerce refused the access token for ${where} (403 Forbidden): the API account lacks a scope${detail}`,
          detail,
          TOKEN_HINT,
        );
      case 404:
        return new NotFoundError(`BigCommerce answered 404 Not Found${detail}`);
      case 429:
        return new BigCommerceRateLimited(detail);
      case 413:
        return new UpstreamError('upstream_error', `BigCommerce answered 413: the request asked for too many objects${detail}`, { status });
      case 503:
        return new UpstreamError('upstream_error', `BigCommerce answered 503 Service Unavailable for ${where}${detail}`, {
          status,
          hint: 'BigCommerce says the store is down, in maintenance or suspended: check the store in its control panel, then try again.',
        });
      default:
        if (status >= 400 && status < 500 && text) {
          return new UpstreamError('upstream_error', `BigCommerce answered ${status}${detail}`, { status });
        }
        return undefined;
    }
  }

  const http = createHttpClient({
    system: SYSTEM,
    baseURL,
    // the seam sends Accept: application/json on every request (BigCommerce marks it required)
    headers: { 'X-Auth-Token': options.token },
    secrets: [options.token],
    timeoutMs: options.timeoutMs,
    // the rate-limit headers of every answer pace the next request; a 429 waits what its headers say
    pacer,
    observe: (status, headers) => {
      if (status !== 429) notePacing(headers);
    },
    retryWaitMs: (status, headers) => (status === 429 ? bigCommerceRetryWaitMs(headers) : undefined),
    maxRetries: MAX_TRIES - 1,
    clock,
    log,
    signal: options.signal,
    describeStatusError: describeStatus,
  });

  const v2 = (path: string) => `/stores/${storeHash}/v2/${path}`;
  const v3 = (path: string) => `/stores/${storeHash}/v3/${path}`;

  /** One request through the seam (pacing, 429 waits and GET retries are its hooks); a 403 names the scope needed. */
  async function call<T>(how: { scope?: string }, send: () => Promise<HttpResponse<T>>): Promise<HttpResponse<T>> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof BigCommerceAuthError && error.status === 403 && how.scope) {
        throw new AuthRejectedError(SYSTEM, `The BigCommerce API account for ${where} lacks the ${how.scope} scope (403 Forbidden)${error.detail}`, {
          hint: `${ACCOUNT_STEPS} This needs ${how.scope}.`,
          cause: error,
        });
      }
      throw error;
    }
  }

  function get<T = unknown>(path: string, params?: QueryParams, scope?: string): Promise<HttpResponse<T>> {
    return call<T>({ scope }, () => http.get<T>(path, params));
  }

  // ------------------------------------------------------------------ orders

  /** One page of GET /v2/orders, its entries raw; 204 (data null) is an empty page. */
  async function ordersPage(params: QueryParams): Promise<unknown[]> {
    const response = await get(v2('orders'), params, SCOPE_ORDERS_READ);
    if (response.data === null) return [];
    if (!Array.isArray(response.data)) parseWith(bcOrderListSchema, response.data, 'an order list', SYSTEM); // throws, naming what came
    return response.data as unknown[];
  }

  /** How a skipped entry of a listing is noted (--verbose), and what the listing is called. */
  const listing = (askedFor?: (raw: unknown) => boolean) => ({ log, what: 'an order list', system: SYSTEM, askedFor });

  /** GET /v2/orders/{id}, or null on 404; an answer about another order is an error, never taken for it. */
  async function fetchOrder(id: string): Promise<BcOrder | null> {
    let order: BcOrder;
    try {
      const response = await get(v2(`orders/${id}`), undefined, SCOPE_ORDERS_READ);
      if (response.data === null) return null;
      order = parseWith(bcOrderSchema, response.data, 'an order', SYSTEM);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    if (String(order.id) !== String(Number(id))) {
      throw new UpstreamError('unexpected_response', `BigCommerce answered the request for order ${id} with order ${order.id}`, {
        hint: `Check the store hash and the API address: the answer came for another order than the one asked for.`,
      });
    }
    return order;
  }

  /** The order's shipping addresses and shipments (two GETs; 204 is none) mapped with it. */
  async function withDetails(order: BcOrder): Promise<ChannelOrder> {
    const addressesResponse = await get(v2(`orders/${order.id}/shipping_addresses`), undefined, SCOPE_ORDERS_READ);
    const addresses =
      addressesResponse.data === null ? [] : parseWith(bcShippingAddressListSchema, addressesResponse.data, 'the shipping addresses of an order', SYSTEM);
    const shipmentsResponse = await get(v2(`orders/${order.id}/shipments`), undefined, SCOPE_ORDERS_READ);
    const shipments = shipmentsResponse.data === null ? [] : parseWith(bcShipmentListSchema, shipmentsResponse.data, 'the shipments of an order', SYSTEM);
    return toChannelOrder(order, addresses, shipments);
  }

  /**
   * Newest first from `createdAtMin`, page by page (250 each), until `onOrder` says stop, the first order
   * older than the window (a server that ignores min_date_created), an empty page (204), a short page, or a
   * page of nothing new (orders arriving meanwhile shift the pages: ids already seen are skipped). An order
   * that does not read is skipped with a note unless `askedFor` says it may be the one looked for; past
   * LIST_MAX_PAGES the listing fails with `hint`.
   */
  async function forEachOrderNewestFirst(
    createdAtMin: string,
    pageLimit: number,
    onOrder: (order: BcOrder) => boolean,
    hint: string,
    askedFor?: (raw: unknown) => boolean,
  ): Promise<void> {
    const since = toRfc2822(createdAtMin);
    const sinceMs = Date.parse(since);
    await forEachPage<number, unknown>({
      first: 1,
      async fetch(page) {
        const entries = await ordersPage({ min_date_created: since, sort: 'date_created:desc', limit: pageLimit, page });
        // v2 sends no page count: a short page is the last
        return { entries, next: entries.length < pageLimit ? null : page + 1 };
      },
      onPage(entries) {
        for (const order of readEach(bcOrderSchema, entries, listing(askedFor))) {
          if (Date.parse(order.date_created) < sinceMs) return false;
          if (!onOrder(order)) return false;
        }
        return true;
      },
      maxPages: LIST_MAX_PAGES,
      budget: () => pageBudgetSpent(`BigCommerce ${where}`, 'orders', LIST_MAX_PAGES, hint),
    });
  }

  /** The order whose staff_notes carry the key, created since `createdAtMin`. */
  async function findByKey(idempotencyKey: string, createdAtMin: string): Promise<BcOrder | null> {
    const note = staffNote(idempotencyKey);
    let found: BcOrder | null = null;
    const carriesKey = (raw: unknown) => JSON.stringify((raw as { staff_notes?: unknown })?.staff_notes ?? null).includes(idempotencyKey);
    await forEachOrderNewestFirst(
      createdAtMin,
      PAGE_LIMIT,
      (order) => {
        if (order.staff_notes?.includes(note)) found = order;
        return found === null;
      },
      LOOKUP_HINT,
      carriesKey,
    );
    return found;
  }

  async function getOrder(id: string): Promise<ChannelOrder> {
    const wanted = id.trim();
    if (!/^\d+$/.test(wanted)) throw new NotFoundError(`"${id}" is not a BigCommerce order id (digits only)`);
    const order = await fetchOrder(wanted);
    if (order === null) {
      throw new NotFoundError(`BigCommerce has no order ${wanted} in ${where}`, {
        hint: 'The BigCommerce order number is its id, as shown in Orders → View in the control panel; check it and the store hash.',
      });
    }
    return withDetails(order);
  }

  // ------------------------------------------------------------------ store

  let storeInfo: Promise<{ name: string | null; currency: string | null }> | undefined;
  function readStore(): Promise<{ name: string | null; currency: string | null }> {
    if (storeInfo) return storeInfo;
    const reading = (async () => {
      const response = await get(v2('store'));
      const store = parseWith(storeSchema, response.data, 'the store', SYSTEM);
      return { name: store.name || store.domain || null, currency: store.currency || null };
    })();
    storeInfo = reading;
    // a failed read is not remembered
    reading.catch(() => {
      if (storeInfo === reading) storeInfo = undefined;
    });
    return reading;
  }

  // ------------------------------------------------------------------ catalog

  /** The store's currency (catalog prices carry none); USD when the API account may not read the store. */
  async function storeCurrency(): Promise<string> {
    try {
      return (await readStore()).currency ?? 'USD';
    } catch (error) {
      if (error instanceof BigCommerceAuthError && error.status === 403) {
        log?.('… the API account may not read /v2/store (Information & settings): catalog prices are taken as USD');
        return 'USD';
      }
      throw error;
    }
  }

  /** product_options for one variant: its option values as [{id: option id, value: option value id}]. */
  async function productOptionsFor(productId: number, variantId: number): Promise<Array<{ id: number; value: string }>> {
    let response: HttpResponse<unknown>;
    try {
      response = await get(v3(`catalog/products/${productId}/variants/${variantId}`), undefined, SCOPE_PRODUCTS_READ);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(`BigCommerce has no variant ${variantId} of product ${productId} in ${where}`, {
          hint: 'Use an id from the item suggestions (PRODUCT_ID or PRODUCT_ID:VARIANT_ID).',
          cause: error,
        });
      }
      throw error;
    }
    const { data: variant } = parseWith(bcVariantEnvelopeSchema, response.data, 'a product variant', SYSTEM);
    if (variant.product_id !== productId) {
      throw new NotFoundError(`BigCommerce variant ${variantId} belongs to product ${variant.product_id}, not ${productId}`);
    }
    return (variant.option_values ?? []).map((value) => ({ id: value.option_id, value: String(value.id) }));
  }

  function suggestionsOf(product: BcProduct, currency: string, vendor: string | null): ItemSuggestion[] {
    if (product.is_price_hidden) return [];
    const tracking = product.inventory_tracking ?? 'none';
    if (tracking === 'product' && !((product.inventory_level ?? 0) > 0)) return [];
    const productPrice = product.calculated_price ?? product.price;
    const variants = product.variants ?? [];
    const items: ItemSuggestion[] = [];
    if (variants.length === 0) {
      items.push({
        variantId: String(product.id),
        title: product.name,
        price: parseMoney(productPrice, currency),
        vendor,
        sku: nonEmpty(product.sku) ? product.sku : null,
      });
    }
    for (const variant of variants) {
      if (variant.purchasing_disabled) continue;
      if (tracking === 'variant' && !((variant.inventory_level ?? 0) > 0)) continue;
      const options = variant.option_values ?? [];
      const labels = options.map((value) => value.label).filter(nonEmpty);
      items.push({
        variantId: options.length === 0 ? String(product.id) : `${product.id}:${variant.id}`,
        title: labels.length > 0 ? `${product.name} — ${labels.join(' / ')}` : product.name,
        price: parseMoney(variant.calculated_price ?? variant.price ?? productPrice, currency),
        vendor,
        sku: [variant.sku, product.sku].find(nonEmpty) ?? null,
      });
    }
    // a free item makes a $0 test order, which proves nothing about payment authorization
    return items.filter((item) => item.price.units > 0n);
  }

  // ------------------------------------------------------------------ the port

  return {
    system: 'bigcommerce',
    capabilities: { createOrder: true, suggestItems: true },

    async check() {
      // proves the token and the Orders scope (204 when the store has no order yet) …
      try {
        await get(v2('orders'), { limit: 1 }, SCOPE_ORDERS_READ);
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new NotFoundError(`BigCommerce has no store with the hash ${storeHash}`, {
            hint: 'The store hash is the letters and digits after /stores/ in the API path (Settings → API → Store-level API accounts).',
            cause: error,
          });
        }
        throw error;
      }
      // … then names the store; an account without the Information & settings scope still passes
      try {
        const { name } = await readStore();
        return { account: name ?? `BigCommerce ${where}` };
      } catch (error) {
        if (error instanceof BigCommerceAuthError && error.status === 403) return { account: `BigCommerce ${where}` };
        throw error;
      }
    },

    async listOrders({ createdAtMin, limit }): Promise<ChannelOrderSummary[]> {
      const summaries: ChannelOrderSummary[] = [];
      const pageLimit = limit > 0 ? Math.min(limit, PAGE_LIMIT) : PAGE_LIMIT;
      await forEachOrderNewestFirst(
        createdAtMin,
        pageLimit,
        (order) => {
          summaries.push(toSummary(order));
          return !(limit > 0 && summaries.length >= limit);
        },
        WINDOW_HINT,
      );
      return summaries.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || Number(b.id) - Number(a.id));
    },

    async findFirstOrderSince(createdAtMin) {
      const since = toRfc2822(createdAtMin);
      const [raw] = await ordersPage({ min_date_created: since, sort: 'date_created:asc', limit: 1 });
      if (raw === undefined) return null;
      // read strictly: this is the order asked for
      const first = parseWith(bcOrderSchema, raw, 'an order list', SYSTEM);
      if (Date.parse(first.date_created) >= Date.parse(since)) return withDetails(first);
      // The server ignored the filter and handed back an older order: read the window newest first to its
      // edge instead, where the last order is the oldest (every order of the window may be the one asked for).
      log?.('… BigCommerce ignored min_date_created: reading the window newest first instead');
      let oldest: BcOrder | null = null;
      await forEachOrderNewestFirst(
        createdAtMin,
        PAGE_LIMIT,
        (order) => {
          oldest = order;
          return true;
        },
        LOOKUP_HINT,
        () => true,
      );
      return oldest === null ? null : withDetails(oldest);
    },

    getOrder,

    async findOrderByNumber(number) {
      // the number IS the id: a direct lookup, whatever its date
      const wanted = number.trim().replace(/^#/, '').trim();
      if (!/^\d+$/.test(wanted)) return null;
      const order = await fetchOrder(wanted);
      return order === null ? null : withDetails(order);
    },

    async findCreatedOrder(idempotencyKey, createdAtMin) {
      const order = await findByKey(idempotencyKey, createdAtMin);
      return order === null ? null : withDetails(order);
    },

    async createOrder(input: CreateOrderInput): Promise<ChannelOrder> {
      const { productId, variantId } = parseVariantId(input.variantId);
      checkQuantity(input.quantity);
      const productOptions = variantId === null ? [] : await productOptionsFor(productId, variantId);
      const country = input.shipping.country.trim().toUpperCase();
      const address = {
        ...splitName(input.shipping.name),
        street_1: input.shipping.address1,
        city: input.shipping.city,
        state: input.shipping.province,
        zip: input.shipping.zip,
        country: countryName(country),
        country_iso2: country,
        phone: input.shipping.phone,
        email: input.email,
      };
      const shippingCost = moneyToExactText(input.shippingPrice);
      const body = {
        customer_id: 0,
        status_id: AWAITING_FULFILLMENT_STATUS_ID,
        billing_address: address,
        shipping_addresses: [{ ...address, shipping_method: input.shippingTitle }],
        products: [
          {
            product_id: productId,
            quantity: input.quantity,
            ...(productOptions.length > 0 ? { product_options: productOptions } : {}),
          },
        ],
        shipping_cost_inc_tax: shippingCost,
        shipping_cost_ex_tax: shippingCost,
        staff_notes: staffNote(input.idempotencyKey),
      };

      return createOnce({
        label: 'BigCommerce',
        key: input.idempotencyKey,
        whereToLook: 'Orders → View in the BigCommerce control panel',
        clock,
        log,
        signal: options.signal,
        findByMarker: async (createdAtMin) => {
          const found = await findByKey(input.idempotencyKey, createdAtMin);
          return found === null ? null : withDetails(found);
        },
        async send() {
          const response = await call({ scope: SCOPE_ORDERS_MODIFY }, () => http.send('POST', v2('orders'), body));
          if (response.data === null) {
            // a 2xx without a body: created, but which order? (create-once looks for it by its key)
            throw new UpstreamError('unexpected_response', `BigCommerce answered POST /v2/orders with ${response.status} and no order`);
          }
          return withDetails(parseWith(bcOrderSchema, response.data, 'the created order', SYSTEM));
        },
      });
    },

    async suggestItems({ vendor, limit }) {
      if (limit <= 0) return [];
      const currency = await storeCurrency();
      const filter: QueryParams = {};
      let vendorName: string | null = null;
      const wantedVendor = vendor?.trim();
      if (wantedVendor) {
        const response = await get(v3('catalog/brands'), { name: wantedVendor }, SCOPE_PRODUCTS_READ);
        const brands = parseWith(bcBrandPageSchema, response.data, 'a brand list', SYSTEM).data;
        const brand = brands.find((entry) => entry.name.trim().toLowerCase() === wantedVendor.toLowerCase());
        if (brand) {
          filter['brand_id'] = brand.id;
          vendorName = brand.name;
        } else {
          // not a brand of this store: the supplier's name may still be in product names or search keywords
          filter['keyword'] = wantedVendor;
        }
      }
      const pageSize = Math.min(PAGE_LIMIT, Math.max(limit * 2, 10));
      const items: ItemSuggestion[] = [];
      await forEachPage<number, BcProduct>({
        first: 1,
        async fetch(page) {
          const response = await get(
            v3('catalog/products'),
            {
              is_visible: true,
              availability: 'available',
              type: 'physical',
              sort: 'price',
              direction: 'asc',
              include: 'variants',
              limit: pageSize,
              page,
              ...filter,
            },
            SCOPE_PRODUCTS_READ,
          );
          const products = response.data === null ? [] : parseWith(bcProductPageSchema, response.data, 'a product list', SYSTEM).data;
          return { entries: products, next: products.length < pageSize ? null : page + 1 };
        },
        onPage(products) {
          for (const product of products) items.push(...suggestionsOf(product, currency, vendorName));
          return items.length < limit;
        },
        maxPages: SUGGEST_MAX_PAGES,
        budget: 'stop',
      });
      // products come cheapest first by their own price; a variant may cost more or less than its product
      return items.sort((a, b) => compareMoney(a.price, b.price)).slice(0, limit);
    },
  };
}
