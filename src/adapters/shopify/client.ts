// The Shopify sales-channel adapter: Admin REST at the pinned version, token in X-Shopify-Access-Token.
// Orders are listed with status=any (the default "open" hides closed and cancelled ones) and paged by the
// Link header's page_info cursor, which Shopify accepts only together with limit and fields.
//
// Rate limits: at most 2 requests a second, slower while the leaky bucket Shopify reports on every answer is
// nearly full (pacing.ts). The pacer sits in the HTTP seam: it is asked before every attempt and reads the
// bucket header (and every 429) of every answer, retried ones included. A 429 is retried by the seam after
// Retry-After, within the seam's budget of MAX_TRIES attempts per request; then the caller gets rate_limited.
//
// Request counts (P = 250, Shopify's largest page):
// - findFirstOrderSince(t): newest first within created_at ≥ t, paged to the end of the window. The window
//   starts when the run began, so it holds one or a few orders: 1 request (the first page carries every
//   field onboard reads). Worst case, N orders in the window: ceil(N / P) list requests + 1 read of the
//   oldest when it is not on the first page (later pages ask only for id,created_at).
// - findOrderByNumber(n, t): newest first within created_at ≥ t (default 60 days), fields=id,name,order_number,
//   stopping at the match, then 1 read: ceil(k / P) + 1 requests, k = orders newer than the match (+1). Since
//   Shopify numbers orders in creation order, the scan also stops at the first page holding a lower number, so
//   a number that is not in the window costs at most ceil(N / P). Worst case: ceil(N / P) + 1, N = orders in
//   the window (10,000 orders in 60 days: 41 requests for one 59 days old; 2 for the newest).
// - findCreatedOrder(key, t): the window since the create's look-back (create-once.ts): 1 request (250 orders),
//   then 1 read when found.
// - suggestItems: 1 (shop currency, once per adapter) + at most SUGGEST_MAX_PAGES product pages.
// A server that ignores created_at_min (or the page_info cursor) is not trusted to end a listing: every
// order scan stops at the first order older than its window or at a page of nothing new, and ends with an
// error past LIST_MAX_PAGES.
import type { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { AuthRejectedError, BadInputError, NotFoundError, UpstreamError, type OnboardError } from '../../core/errors.js';
import { compareMoney, moneyToExactText, parseMoney, type Money } from '../../core/money.js';
import type { ChannelAccess, ChannelOrder, ChannelOrderSummary, ChannelPort, ChannelTracking, CreateOrderInput, ItemSuggestion } from '../../core/ports.js';
import { validateBaseUrl } from '../../core/inputs.js';
import { MAX_TRIES, createHttpClient, parseWith, type QueryParams } from '../http/client.js';
import { accessScopesSchema, createShopifyTokenSource, hasScope, judgeAccess, scopeSteps, type ShopifyCredentialKind } from './auth.js';
import { checkQuantity, createOnce } from '../create-once.js';
import { forEachPage, pageBudgetSpent, readEach } from '../listing.js';
import type { PacingStore } from '../http/shared-pacing.js';
import { createShopifyPacer } from './pacing.js';
import {
  DETAIL_FIELDS,
  LOOKUP_FIELDS,
  MARKER_FIELDS,
  PRODUCT_FIELDS,
  REF_FIELDS,
  SUMMARY_FIELDS,
  orderEnvelopeSchema,
  productsEnvelopeSchema,
  rawOrdersEnvelopeSchema,
  rawProductsEnvelopeSchema,
  shopifyOrderLookupSchema,
  shopifyOrderMarkersSchema,
  shopifyOrderRefSchema,
  shopifyOrderSchema,
  shopifyOrderSummarySchema,
  shopSchema,
  shopifyErrorBodySchema,
  type ShopifyAddressInput,
  type ShopifyOrder,
  type ShopifyOrderCreateBody,
} from './schemas.js';
import { nonEmpty, orderNumberKey, splitName, toIsoUtc } from '../text.js';
import { SHOPIFY_API_VERSION } from './version.js';

export interface ShopifyChannelOptions {
  /** the store's host, e.g. "my-store.myshopify.com" */
  store: string;
  /** an admin-created app's Admin API access token (does not expire); or clientId and clientSecret */
  token?: string;
  /** a Dev Dashboard app's client ID: access tokens come from the client credentials grant (auth.ts) */
  clientId?: string;
  clientSecret?: string;
  /** replaces scheme, host, port and an optional path prefix (sandbox, tests) */
  apiUrl?: string;
  clock: Clock;
  log?: (l: string) => void;
  /** per-request deadline in real milliseconds (default: the HTTP seam's 30 s) */
  timeoutMs?: number;
  /** the 2-a-second pace shared by every onboard process of the profile (the real clock only) */
  pacing?: PacingStore;
  /** the command's abort signal: ends every request and wait at once */
  signal?: AbortSignal;
  /**
   * Extra note attributes createOrder puts on every order it places, after onboard's own. The sandbox uses
   * `{name: "onboard_scenario", value: NAME}` to fix the scenario of an API-created order.
   */
  createOrderNoteAttributes?: readonly { name: string; value: string }[];
}

/** Shopify's largest page. */
const PAGE_LIMIT = 250;
/** The page budget of one order listing (100 × 250 = 25,000 orders): beyond it the listing fails, naming it. */
const LIST_MAX_PAGES = 100;
const WINDOW_HINT = 'The window holds more orders than onboard reads in one listing, or the store ignores the page cursor: give a shorter --since, or --limit.';
const LOOKUP_HINT = 'Shopify (or something in front of it) may ignore the date filter: look for the order in the store admin under Orders.';
/** suggestItems reads at most this many pages of products (1,000 products). */
export const SUGGEST_MAX_PAGES = 4;
/** findCreatedOrder reads at most this many pages of its window (5,000 orders created in it), then fails. */
const FIND_CREATED_MAX_PAGES = 20;
/** The tag every order onboard places carries. */
export const TEST_ORDER_TAG = 'onboard-test-order';
/** The note attribute that carries the idempotency key (the tag `onboard:<key>` carries it too, when it fits). */
export const IDEMPOTENCY_NOTE_ATTRIBUTE = 'onboard_idempotency_key';
/** Shopify limits each order tag to 40 characters. */
const TAG_MAX_CHARS = 40;

const TOKEN_HINT =
  'Copy the Admin API access token again in the store admin: Settings → Apps and sales channels → Develop apps → ' +
  'your app → API credentials, with the scope read_orders (read_products for item suggestions, write_orders to create ' +
  'the test order, read_all_orders for orders older than 60 days). A store without such an app uses a Dev Dashboard ' +
  "app's client ID and secret instead (--client-id).";
const CLIENT_TOKEN_HINT =
  'Shopify refused an access token it had just issued: check in the Dev Dashboard that the app is still installed on the store ' +
  'and that its client secret was not rotated (Apps → your app → Settings), then connect again.';

// ---------------------------------------------------------------------------------------------------------
// Errors

/** 429 after the HTTP seam's retries ran out. */
export class ShopifyThrottledError extends UpstreamError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number | undefined) {
    super('rate_limited', message, {
      status: 429,
      hint: 'Shopify limits how fast an app may call a store (a bucket of 40 calls, leaking 2 a second); another app or onboard process may be using it. Wait a minute and run again.',
    });
    this.retryAfterMs = retryAfterMs;
  }
}

/** 422 `{"errors": {field: [messages]}}`: what Shopify refused, field by field. */
export class ShopifyUnprocessableError extends UpstreamError {
  readonly fieldErrors: Record<string, string[]>;
  constructor(message: string, fieldErrors: Record<string, string[]>) {
    super('upstream_error', message, { status: 422 });
    this.fieldErrors = fieldErrors;
  }
}

/** 403: the token lacks a scope (named when Shopify names it). */
export class ShopifyScopeError extends AuthRejectedError {
  readonly scope: string | undefined;
  constructor(message: string, scope: string | undefined, hint: string) {
    super('shopify', message, { hint });
    this.scope = scope;
  }
}

function parseErrorsBody(bodyText: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const parsed = shopifyErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.errors : undefined;
}

function flattenErrorValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flattenErrorValue).join(', ');
  return JSON.stringify(value);
}

/** `{"errors": …}` as one readable line: a string as is, an object as "field: message; …", an array joined. */
export function shopifyErrorsText(bodyText: string): string | undefined {
  const errors = parseErrorsBody(bodyText);
  if (errors === undefined) return undefined;
  if (typeof errors === 'string') return errors;
  if (Array.isArray(errors)) return errors.map(flattenErrorValue).join('; ');
  return Object.entries(errors as Record<string, unknown>)
    .map(([field, value]) => (field === 'base' ? flattenErrorValue(value) : `${field}: ${flattenErrorValue(value)}`))
    .join('; ');
}

/** `{"errors": …}` as field → messages (a bare string or list goes under "base"). */
export function shopifyFieldErrors(bodyText: string): Record<string, string[]> {
  const errors = parseErrorsBody(bodyText);
  if (errors === undefined) return {};
  const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(flattenErrorValue) : [flattenErrorValue(value)]);
  if (typeof errors === 'string' || Array.isArray(errors)) return { base: asList(errors) };
  return Object.fromEntries(Object.entries(errors as Record<string, unknown>).map(([field, value]) => [field, asList(value)]));
}

/** Retry-After in ms: seconds, maybe a float string ("2.0"). */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Math.ceil(Number(value) * 1000);
}

function describeShopifyStatus(store: string, kind: ShopifyCredentialKind) {
  const tokenHint = kind === 'client_credentials' ? CLIENT_TOKEN_HINT : TOKEN_HINT;
  return (status: number, bodyText: string, headers: Record<string, string>): OnboardError | undefined => {
    const errors = shopifyErrorsText(bodyText);
    const detail = errors ? `: ${errors.slice(0, 300)}` : '';
    switch (status) {
      case 401:
        return new AuthRejectedError('shopify', `Shopify rejected the access token for ${store}${detail}`, { hint: tokenHint });
      case 403: {
        const scope = errors ? /\b((?:read|write)_[a-z_]+)\b/.exec(errors)?.[1] : undefined;
        const message = scope
          ? `The Shopify access token for ${store} lacks the ${scope} scope${detail}`
          : `Shopify refused the access token for ${store} (403)${detail}`;
        return new ShopifyScopeError(message, scope, scopeSteps(kind, [scope ?? 'the missing scope']));
      }
      case 404:
        return new NotFoundError(`Shopify answered 404 Not Found${detail}`);
      case 402:
        return new UpstreamError('upstream_error', `Shopify says the store ${store} is frozen (402 Payment Required)${detail}`, {
          status,
          hint: 'The store owner must settle the Shopify bill before its API answers again.',
        });
      case 422:
        return new ShopifyUnprocessableError(`Shopify refused the request (422)${detail}`, shopifyFieldErrors(bodyText));
      case 423:
        return new UpstreamError('upstream_error', `Shopify says the store ${store} is locked (423)${detail}`, {
          status,
          hint: 'Shopify locked the store; its owner must contact Shopify support.',
        });
      case 429:
        return new ShopifyThrottledError(`Shopify kept refusing requests as too many (429)${detail}`, retryAfterMs(headers['retry-after']));
      default:
        if (status >= 400 && status < 500 && errors) {
          return new UpstreamError('upstream_error', `Shopify answered ${status}: ${errors.slice(0, 300)}`, { status });
        }
        // 5xx (often an HTML "Something went wrong" page): the seam's message names the status and the page's title
        return undefined;
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// Links and mapping

/** The URL of the Link header's rel="next", if any. URLs may contain commas (fields=a,b), so no naive split. */
export function nextLink(linkHeader: string | undefined): string | undefined {
  if (!linkHeader) return undefined;
  for (const match of linkHeader.matchAll(/<([^>]+)>\s*;\s*rel="?([^";,]+)"?/g)) {
    if (match[2]?.trim() === 'next') return match[1];
  }
  return undefined;
}

/**
 * A page_info request may carry only page_info, limit and fields; anything else makes Shopify answer 400.
 * `fields` replaces the link's fields when given (a later page may ask for less than the first).
 */
function pageInfoOnly(link: string, fields?: string): string {
  const [beforeQuery = '', query = ''] = link.split(/\?(.*)/s, 2);
  const given = new URLSearchParams(query.replace(/#.*$/s, ''));
  const kept = new URLSearchParams();
  for (const name of ['page_info', 'limit', 'fields']) {
    const value = name === 'fields' && fields !== undefined ? fields : given.get(name);
    if (value !== null) kept.set(name, value);
  }
  return `${beforeQuery}?${kept.toString()}`;
}

/** Fulfillments that did not take carry no tracking the customer can see. */
const DEAD_FULFILLMENT_STATUSES = new Set(['cancelled', 'error', 'failure']);

function trackingOf(order: ShopifyOrder): ChannelTracking[] {
  const tracking: ChannelTracking[] = [];
  for (const fulfillment of order.fulfillments ?? []) {
    if (fulfillment.status && DEAD_FULFILLMENT_STATUSES.has(fulfillment.status.toLowerCase())) continue;
    const numbers = (fulfillment.tracking_numbers ?? []).filter(nonEmpty) as string[];
    const urls = fulfillment.tracking_urls ?? [];
    if (numbers.length === 0 && nonEmpty(fulfillment.tracking_number)) numbers.push(fulfillment.tracking_number as string);
    numbers.forEach((number, index) => {
      const url = urls[index] ?? (index === 0 ? fulfillment.tracking_url : null) ?? null;
      tracking.push({ number, carrier: fulfillment.tracking_company ?? null, url: nonEmpty(url) ? url : null });
    });
  }
  return tracking;
}

/** What an order and its list summary share. */
function orderHeader(order: Pick<ShopifyOrder, 'id' | 'order_number' | 'name' | 'created_at' | 'total_price' | 'currency' | 'shipping_lines'>) {
  return {
    id: order.id,
    number: order.order_number,
    name: order.name,
    createdAt: toIsoUtc(order.created_at),
    total: parseMoney(order.total_price, order.currency),
    currency: order.currency.toUpperCase(),
    shippingTitle: order.shipping_lines?.[0]?.title ?? null,
  };
}

export function toChannelOrder(order: ShopifyOrder): ChannelOrder {
  const address = order.shipping_address ?? null;
  return {
    channel: 'shopify',
    ...orderHeader(order),
    address: {
      present: address !== null,
      hasZip: nonEmpty(address?.zip),
      // the address itself must carry the phone: the order manager does not fall back to the order's phone
      hasPhone: nonEmpty(address?.phone),
    },
    cancelled: order.cancelled_at != null,
    tracking: trackingOf(order),
  };
}

/** The window's first instant as Shopify's whole-second created_at can show it (an order of that second is in). */
function windowStart(createdAtMin: string): number {
  return Math.floor(Date.parse(createdAtMin) / 1000) * 1000;
}

/** Earlier creation first; on a tie the lower id (Shopify ids grow with creation). */
function isOlder(a: { createdMs: number; id: string }, b: { createdMs: number; id: string }): boolean {
  return a.createdMs < b.createdMs || (a.createdMs === b.createdMs && BigInt(a.id) < BigInt(b.id));
}

// ---------------------------------------------------------------------------------------------------------
// Creating an order

/**
 * The tag that carries the idempotency key: `onboard:<key>`, or `onboard:<key without dashes>` when that is what
 * fits Shopify's 40 characters per tag (a UUID: 8 + 32), or null when neither fits (the note attribute, which
 * always carries the whole key, is then the only marker).
 */
export function idempotencyTag(idempotencyKey: string): string | null {
  for (const tag of [`onboard:${idempotencyKey}`, `onboard:${idempotencyKey.replace(/-/g, '')}`]) {
    if (tag.length <= TAG_MAX_CHARS) return tag;
  }
  return null;
}

/** A variant id as JSON: a number when it is exact as one (Shopify's are), else the digits as a string. */
function variantIdValue(id: string): number | string {
  const value = Number(id);
  return Number.isSafeInteger(value) ? value : id;
}

export function orderCreateBody(input: CreateOrderInput, extraNoteAttributes: readonly { name: string; value: string }[] = []): ShopifyOrderCreateBody {
  const address: ShopifyAddressInput = {
    ...splitName(input.shipping.name),
    address1: input.shipping.address1.trim(),
    city: input.shipping.city.trim(),
    province: input.shipping.province.trim(),
    zip: input.shipping.zip.trim(),
    country_code: input.shipping.country.trim().toUpperCase(),
    phone: input.shipping.phone.trim(),
  };
  const tag = idempotencyTag(input.idempotencyKey);
  return {
    order: {
      line_items: [{ variant_id: variantIdValue(input.variantId), quantity: input.quantity }],
      email: input.email.trim(),
      shipping_address: address,
      billing_address: { ...address },
      shipping_lines: [{ title: input.shippingTitle, price: moneyToExactText(input.shippingPrice), code: input.shippingTitle }],
      financial_status: 'paid',
      tags: tag ? `${TEST_ORDER_TAG},${tag}` : TEST_ORDER_TAG,
      note_attributes: [{ name: IDEMPOTENCY_NOTE_ATTRIBUTE, value: input.idempotencyKey }, ...extraNoteAttributes],
      send_receipt: false,
      send_fulfillment_receipt: false,
      inventory_behaviour: 'bypass',
    },
  };
}

function checkCreateInput(input: CreateOrderInput): void {
  if (!/^\d+$/.test(input.variantId.trim())) {
    throw new BadInputError(`--variant: "${input.variantId}" is not a Shopify variant id (digits only)`, {
      hint: 'Copy the variant id from the product page in the store admin (the number after /variants/ in the address).',
    });
  }
  checkQuantity(input.quantity);
  if (input.idempotencyKey.trim() === '' || input.idempotencyKey.includes(',')) {
    throw new BadInputError('The idempotency key must be non-empty and must not contain a comma (it goes into an order tag)');
  }
}

/** Which flags answer a field Shopify refused. */
const FIELD_FLAGS: [RegExp, string][] = [
  [/^line_items|variant|product/, '--variant (and --quantity)'],
  [
    /^shipping_address|^billing_address|address|zip|province|country|phone/,
    '--ship-name, --ship-address1, --ship-city, --ship-province, --ship-zip, --ship-country, --ship-phone',
  ],
  [/^email|^customer/, '--email'],
  [/^shipping_lines/, '--shipping-title and --shipping-price'],
];

function createRefused(error: ShopifyUnprocessableError, input: CreateOrderInput): BadInputError {
  const parts = Object.entries(error.fieldErrors).map(([field, messages]) => (field === 'base' ? messages.join(', ') : `${field}: ${messages.join(', ')}`));
  const flags = [...new Set(Object.keys(error.fieldErrors).flatMap((field) => FIELD_FLAGS.filter(([pattern]) => pattern.test(field)).map(([, flag]) => flag)))];
  const message = `Shopify refused the test order: ${parts.join('; ') || 'no reason given'}`;
  const variantHint = Object.keys(error.fieldErrors).some((field) => /^line_items/.test(field))
    ? ` Variant ${input.variantId} may not exist on this store: pick one from the suggestions, or copy a variant id from the store admin.`
    : '';
  return new BadInputError(message, {
    hint: `${flags.length > 0 ? `Check ${flags.join('; ')}.` : 'Check the order details.'}${variantHint}`,
    cause: error,
  });
}

// ---------------------------------------------------------------------------------------------------------
// The adapter

interface PageOptions {
  /** the page budget (default LIST_MAX_PAGES) */
  maxPages?: number;
  /** past the budget: 'error' (an order listing, with this hint) or 'stop' (a bounded read, such as suggestions) */
  budget?: { error: string } | 'stop';
  /** fields for the pages after the first (default: the first page's) */
  laterFields?: string;
}

function credentialKind(options: ShopifyChannelOptions): ShopifyCredentialKind {
  const hasClient = Boolean(options.clientId?.trim()) || Boolean(options.clientSecret?.trim());
  if (hasClient && options.token) throw new BadInputError('Shopify: give either an access token or a client ID and secret, not both');
  if (hasClient) {
    if (!options.clientId?.trim() || !options.clientSecret?.trim())
      throw new BadInputError('Shopify: a client ID needs its client secret (and the other way round)');
    return 'client_credentials';
  }
  if (!options.token?.trim()) throw new BadInputError('Shopify: an access token, or a client ID and secret, is needed');
  return 'access_token';
}

/** The permission the test order needs, asked before anything is sent. */
const CREATE_SCOPE = 'write_orders';

export function createShopifyChannel(options: ShopifyChannelOptions): ChannelPort {
  // the store is a host ("my-store.myshopify.com"); a full URL given by mistake is accepted too
  const storeGiven = options.store.trim().replace(/\/+$/, '');
  const storeUrl = /^https?:\/\//i.test(storeGiven) ? storeGiven : `https://${storeGiven}`;
  const store = storeGiven.replace(/^https?:\/\//i, '');
  const baseURL = validateBaseUrl(options.apiUrl ?? storeUrl, options.apiUrl ? '--api-url' : '--store');
  const { clock, log } = options;
  const kind = credentialKind(options);
  const tokens =
    kind === 'client_credentials'
      ? createShopifyTokenSource({
          store,
          baseURL,
          clientId: options.clientId as string,
          clientSecret: options.clientSecret as string,
          clock,
          log,
          timeoutMs: options.timeoutMs,
          signal: options.signal,
        })
      : null;
  // 2 requests a second per app and store, kept together with the profile's other processes when a store is given
  const shared = options.pacing?.pacer('shopify', `${store} ${options.clientId ?? options.token ?? ''}`, 500, clock);
  const pacer = createShopifyPacer(clock, { log, signal: options.signal, shared });
  const http = createHttpClient({
    system: 'shopify',
    baseURL,
    headers: tokens ? {} : { 'X-Shopify-Access-Token': options.token as string },
    // a Dev Dashboard app's token is asked for each request: renewed before it expires, and once on a 401
    auth: tokens ?? undefined,
    // pacing is the pacer's (2 requests a second, slower while the bucket is nearly full); it hears every answer
    pacer,
    observe: (status, headers) => {
      pacer.observe(headers);
      if (status === 429) pacer.throttled(retryAfterMs(headers['retry-after']));
    },
    maxRetries: MAX_TRIES - 1,
    timeoutMs: options.timeoutMs,
    clock,
    log,
    signal: options.signal,
    describeStatusError: describeShopifyStatus(store, kind),
  });
  const adminPath = (resource: string) => `/admin/api/${SHOPIFY_API_VERSION}/${resource}.json`;

  const get = <T = unknown>(resource: string, params?: QueryParams) => http.get<T>(adminPath(resource), params);

  /**
   * Every page of a listing (listing.ts forEachPage): the first page from `params`, the rest from Link
   * rel="next" (page_info, limit and fields only). `onPage` hears each page's entries not seen before, raw.
   * Past the budget: an error for an order listing, a quiet stop for a bounded read.
   */
  async function forEachListed(
    resource: 'orders' | 'products',
    params: QueryParams,
    onPage: (entries: unknown[], page: number) => boolean,
    pageOptions: PageOptions = {},
  ): Promise<void> {
    const maxPages = pageOptions.maxPages ?? LIST_MAX_PAGES;
    const budget = pageOptions.budget ?? { error: WINDOW_HINT };
    const envelope = resource === 'orders' ? rawOrdersEnvelopeSchema : rawProductsEnvelopeSchema;
    await forEachPage<string | null, unknown>({
      first: null,
      async fetch(link) {
        const response = link === null ? await get(resource, params) : await http.getUrl(pageInfoOnly(link, pageOptions.laterFields));
        const body = parseWith(envelope, response.data, resource === 'orders' ? 'an order list' : 'a product list', 'shopify') as Record<string, unknown[]>;
        return { entries: body[resource] ?? [], next: nextLink(response.headers['link']) ?? null };
      },
      onPage,
      maxPages,
      budget: budget === 'stop' ? 'stop' : () => pageBudgetSpent(`Shopify ${store}`, resource, maxPages, budget.error),
    });
  }

  /** A listing's orders, each read on its own: one that does not read is skipped with a note unless `askedFor`. */
  function ordersOf<S extends z.ZodType>(schema: S, entries: unknown[], askedFor?: (raw: unknown) => boolean): z.output<S>[] {
    return readEach(schema, entries, { log, what: 'an order list', system: 'shopify', askedFor });
  }

  async function getOrder(id: string): Promise<ChannelOrder> {
    if (!/^\d+$/.test(id)) throw new NotFoundError(`Shopify order id "${id}" is not a Shopify order id (digits only)`);
    try {
      const response = await get(`orders/${id}`);
      const { order } = parseWith(orderEnvelopeSchema, response.data, 'an order', 'shopify');
      if (order.id !== id) {
        throw new UpstreamError('unexpected_response', `Shopify answered the request for order ${id} with order ${order.id}`, {
          hint: 'Check the store address: the answer came for another order than the one asked for.',
        });
      }
      return toChannelOrder(order);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(`Shopify has no order with id ${id} in ${store}`, {
          hint: 'Orders older than 60 days need the read_all_orders scope; otherwise check the order id.',
          cause: error,
        });
      }
      throw error;
    }
  }

  async function findCreatedOrder(idempotencyKey: string, createdAtMin: string): Promise<ChannelOrder | null> {
    const key = idempotencyKey.trim();
    const tag = idempotencyTag(key)?.toLowerCase();
    const sinceMs = windowStart(createdAtMin);
    let matchId: string | null = null;
    const carriesKey = (raw: unknown) => JSON.stringify(raw ?? null).includes(key);
    // Shopify REST has no tag filter on orders: scan the (short) window since the attempt, newest first.
    await forEachListed(
      'orders',
      { status: 'any', created_at_min: createdAtMin, limit: PAGE_LIMIT, fields: MARKER_FIELDS },
      (entries) => {
        const orders = ordersOf(shopifyOrderMarkersSchema, entries, carriesKey);
        for (const order of orders) {
          // newest first: an order older than the window means every later one is older still
          if (Date.parse(order.created_at) < sinceMs) return false;
          const tagged = tag !== undefined && (order.tags ?? '').split(',').some((t) => t.trim().toLowerCase() === tag);
          const noted = (order.note_attributes ?? []).some((entry) => {
            const attribute = entry as { name?: unknown; value?: unknown } | null;
            return attribute?.name === IDEMPOTENCY_NOTE_ATTRIBUTE && String(attribute.value) === key;
          });
          if (tagged || noted) {
            matchId = order.id;
            return false;
          }
        }
        return orders.length > 0;
      },
      { maxPages: FIND_CREATED_MAX_PAGES, budget: { error: LOOKUP_HINT } },
    );
    return matchId === null ? null : getOrder(matchId);
  }

  let accessRead: Promise<ChannelAccess> | null = null;
  /** What the credential was granted: access_scopes.json (the grant's scope when a server does not answer it). */
  function access() {
    accessRead ??= (async () => {
      try {
        const response = await http.get('/admin/oauth/access_scopes.json');
        const { access_scopes } = parseWith(accessScopesSchema, response.data, 'the access scopes', 'shopify');
        return judgeAccess(
          kind,
          access_scopes.map((scope) => scope.handle),
        );
      } catch (error) {
        if (error instanceof NotFoundError) return judgeAccess(kind, tokens?.grantedScope() ?? null);
        throw error;
      }
    })().catch((error: unknown) => {
      accessRead = null;
      throw error;
    });
    return accessRead;
  }

  async function checkCanCreate(): Promise<void> {
    const { scopes } = await access();
    if (scopes === null || hasScope(scopes, CREATE_SCOPE)) return;
    throw new ShopifyScopeError(
      `Shopify: the ${kind === 'client_credentials' ? 'app' : 'access token'} for ${store} may not create orders: it lacks the ${CREATE_SCOPE} scope (nothing was sent)`,
      CREATE_SCOPE,
      `${scopeSteps(kind, [CREATE_SCOPE])} Or place the test order on the store yourself and follow it with --order.`,
    );
  }

  let shopCurrency: string | undefined;
  async function currencyOfShop(): Promise<string> {
    if (shopCurrency === undefined) {
      const response = await get('shop', { fields: 'name,myshopify_domain,currency' });
      const { shop } = parseWith(shopSchema, response.data, 'the shop', 'shopify');
      if (!shop.currency) throw new UpstreamError('unexpected_response', 'Shopify sent the shop without its currency');
      shopCurrency = shop.currency.toUpperCase();
    }
    return shopCurrency;
  }

  return {
    system: 'shopify',
    capabilities: { createOrder: true, suggestItems: true },
    apiVersion: SHOPIFY_API_VERSION,
    access,
    checkCanCreate,

    async check() {
      try {
        const response = await get('shop');
        const { shop } = parseWith(shopSchema, response.data, 'the shop', 'shopify');
        if (shop.currency) shopCurrency = shop.currency.toUpperCase();
        return { account: shop.name || shop.myshopify_domain || store };
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new NotFoundError(`Shopify has no store at ${store}`, {
            hint: 'Give the store as its myshopify.com address, for example my-store.myshopify.com.',
            cause: error,
          });
        }
        throw error;
      }
    },

    async createOrder(input: CreateOrderInput): Promise<ChannelOrder> {
      checkCreateInput(input);
      // the scopes were checked before the details were asked (checkCanCreate); a 403 here names write_orders too
      const body = orderCreateBody(input, options.createOrderNoteAttributes);
      return createOnce({
        label: 'Shopify',
        key: input.idempotencyKey,
        whereToLook: 'the Shopify admin under Orders',
        clock,
        log,
        signal: options.signal,
        findByMarker: (createdAtMin) => findCreatedOrder(input.idempotencyKey, createdAtMin),
        async send() {
          try {
            const response = await http.send('POST', adminPath('orders'), body);
            return toChannelOrder(parseWith(orderEnvelopeSchema, response.data, 'the created order', 'shopify').order);
          } catch (error) {
            if (error instanceof ShopifyUnprocessableError) throw createRefused(error, input);
            if (error instanceof ShopifyScopeError && error.scope === undefined) {
              throw new ShopifyScopeError(
                `The Shopify access token for ${store} may not create orders (403): it needs the write_orders scope`,
                'write_orders',
                scopeSteps(kind, ['write_orders']),
              );
            }
            throw error;
          }
        },
      });
    },

    findCreatedOrder,

    async suggestItems({ vendor, limit }): Promise<ItemSuggestion[]> {
      if (limit <= 0) return [];
      const currency = await currencyOfShop();
      const candidates: { suggestion: ItemSuggestion; id: bigint }[] = [];
      const params: QueryParams = { status: 'active', fields: PRODUCT_FIELDS, limit: PAGE_LIMIT };
      if (vendor !== undefined && vendor.trim() !== '') params.vendor = vendor.trim();
      try {
        await forEachListed(
          'products',
          params,
          (entries) => {
            const { products } = parseWith(productsEnvelopeSchema, { products: entries }, 'a product list', 'shopify');
            for (const product of products) {
              for (const variant of product.variants ?? []) {
                if (variant.price === null || variant.price === undefined) continue;
                const price: Money = parseMoney(variant.price, currency);
                if (price.units <= 0n) continue;
                const tracked = variant.inventory_management != null && variant.inventory_management !== '';
                const oversells = variant.inventory_policy === 'continue';
                const quantity = variant.inventory_quantity;
                const inStock = !tracked || oversells || quantity === null || quantity === undefined || quantity > 0;
                if (!inStock) continue;
                const variantTitle = variant.title && variant.title !== 'Default Title' ? ` - ${variant.title}` : '';
                candidates.push({
                  id: BigInt(variant.id),
                  suggestion: {
                    variantId: variant.id,
                    title: `${product.title}${variantTitle}`,
                    price,
                    vendor: product.vendor ?? null,
                    sku: variant.sku && variant.sku.trim() !== '' ? variant.sku : null,
                  },
                });
              }
            }
            return products.length > 0;
          },
          { maxPages: SUGGEST_MAX_PAGES, budget: 'stop' },
        );
      } catch (error) {
        if (error instanceof ShopifyScopeError) {
          throw new ShopifyScopeError(
            `The Shopify access token for ${store} cannot list products: item suggestions need the read_products scope`,
            error.scope ?? 'read_products',
            `${scopeSteps(kind, ['read_products'])} Or give the variant yourself with --variant ID.`,
          );
        }
        throw error;
      }
      candidates.sort(
        (a, b) =>
          compareMoney(a.suggestion.price, b.suggestion.price) ||
          a.suggestion.title.localeCompare(b.suggestion.title) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      return candidates.slice(0, limit).map((candidate) => candidate.suggestion);
    },

    async listOrders({ createdAtMin, limit }): Promise<ChannelOrderSummary[]> {
      const summaries: ChannelOrderSummary[] = [];
      const pageLimit = limit > 0 ? Math.min(limit, PAGE_LIMIT) : PAGE_LIMIT;
      const sinceMs = windowStart(createdAtMin);
      await forEachListed('orders', { status: 'any', created_at_min: createdAtMin, limit: pageLimit, fields: SUMMARY_FIELDS }, (entries) => {
        const orders = ordersOf(shopifyOrderSummarySchema, entries);
        for (const order of orders) {
          const { shippingTitle, ...header } = orderHeader(order);
          // newest first: the first order older than the window ends the listing (a server that ignores the filter)
          if (Date.parse(header.createdAt) < sinceMs) return false;
          summaries.push({ ...header, shippingMethod: shippingTitle });
          if (limit > 0 && summaries.length >= limit) return false;
        }
        return orders.length > 0;
      });
      // Shopify already answers newest first; a stable sort keeps that promise if a server does not
      return summaries.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    },

    async findFirstOrderSince(createdAtMin) {
      // Newest first, so the oldest of the window is on its last page. The window begins when the run began:
      // in practice one page, read with every field onboard needs (1 request). Later pages, if any, carry only
      // id,created_at, and the oldest is then read on its own. Worst case: ceil(N / 250) + 1 requests.
      let oldest: { id: string; createdMs: number; detail: ShopifyOrder | null } | null = null;
      const sinceMs = windowStart(createdAtMin);
      // read strictly: any order of the window may be the oldest, the one asked for
      const always = () => true;
      await forEachListed(
        'orders',
        { status: 'any', created_at_min: createdAtMin, limit: PAGE_LIMIT, fields: DETAIL_FIELDS },
        (entries, page) => {
          const orders =
            page === 1
              ? ordersOf(shopifyOrderSchema, entries, always).map((order) => ({
                  id: order.id,
                  created_at: order.created_at,
                  detail: order as ShopifyOrder | null,
                }))
              : ordersOf(shopifyOrderRefSchema, entries, always).map((order) => ({ ...order, detail: null }));
          for (const order of orders) {
            const candidate = { id: order.id, createdMs: Date.parse(order.created_at), detail: order.detail };
            // newest first: an order older than the window means every later one is older still
            if (candidate.createdMs < sinceMs) return false;
            if (oldest === null || isOlder(candidate, oldest)) oldest = candidate;
          }
          return orders.length > 0;
        },
        { laterFields: REF_FIELDS, budget: { error: LOOKUP_HINT } },
      );
      const found = oldest as { id: string; detail: ShopifyOrder | null } | null;
      if (found === null) return null;
      return found.detail ? toChannelOrder(found.detail) : getOrder(found.id);
    },

    getOrder,

    async findOrderByNumber(number, createdAtMin) {
      const wanted = orderNumberKey(number);
      const wantedNumber = /^\d+$/.test(wanted) ? BigInt(wanted) : null;
      let matchId: string | null = null;
      const sinceMs = windowStart(createdAtMin);
      const isWanted = (raw: unknown) => {
        const { order_number: orderNumber, name } = (raw ?? {}) as { order_number?: unknown; name?: unknown };
        return [orderNumber, name].some((value) => (typeof value === 'string' || typeof value === 'number') && orderNumberKey(String(value)) === wanted);
      };
      await forEachListed(
        'orders',
        { status: 'any', created_at_min: createdAtMin, fields: LOOKUP_FIELDS, limit: PAGE_LIMIT },
        (entries) => {
          const orders = ordersOf(shopifyOrderLookupSchema, entries, isWanted);
          const match = orders.find((order) => orderNumberKey(order.order_number) === wanted || orderNumberKey(order.name) === wanted);
          if (match) {
            matchId = match.id;
            return false;
          }
          // newest first: an order older than the window means the number is not in it
          if (orders.some((order) => Date.parse(order.created_at) < sinceMs)) return false;
          // Shopify numbers orders in creation order and lists newest first: once a lower number shows, every
          // later page is lower still, and the wanted number is not in the window.
          const passed = wantedNumber !== null && orders.some((order) => /^\d+$/.test(order.order_number) && BigInt(order.order_number) < wantedNumber);
          return !passed && orders.length > 0;
        },
        { budget: { error: LOOKUP_HINT } },
      );
      return matchId === null ? null : getOrder(matchId);
    },
  };
}
