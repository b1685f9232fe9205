// The WooCommerce sales-channel adapter: REST API v3 at `${url}/wp-json/wc/v3/…` (channel-apis.md §2).
//
// Auth: HTTP Basic with consumer key:secret over HTTPS. Where the web server strips the Authorization header
// (the documented symptom: 401 woocommerce_rest_cannot_view although the keys are right), it retries once with
// `consumer_key`/`consumer_secret` as query-string parameters and keeps that mode for the client's life; those
// values are passed to the HTTP seam as secrets, so every log line and message shows them as ***.
// Plain http is refused except for loopback (validateBaseUrl). Stated deviation: WooCommerce itself accepts
// Basic only when is_ssl() (over plain http it wants OAuth 1.0a, which onboard does not implement); onboard
// sends Basic to a loopback http address anyway, so a local test server can stand in for a store.
//
// Orders are found with the API's own filters, never by scanning the store: `after` (exclusive, ISO 8601 UTC
// with dates_are_gmt=true), `orderby=date`, `order=asc|desc`, `status=any`, `search`, paged with `page=N`
// and `per_page` ≤ 100 until `X-WP-TotalPages` (a page past the end is 200 []). A host that ignores `after`
// (a cache in front of the store) or sends no page count is not trusted to end a listing: newest-first
// listings stop at the first order older than their window, a page of nothing new ends a listing, and
// LIST_MAX_PAGES ends it with an error (listing.ts).
import type { Clock } from '../../core/clock.js';
import { AuthRejectedError, BadInputError, NotFoundError, UpstreamError, type ErrorOptions, type OnboardError } from '../../core/errors.js';
import { compareMoney, formatMoney, parseMoney, type Money } from '../../core/money.js';
import type { ChannelOrder, ChannelOrderSummary, ChannelPort, ChannelTracking, CreateOrderInput, ItemSuggestion } from '../../core/ports.js';
import { validateBaseUrl } from '../../core/inputs.js';
import { MAX_TRIES, createHttpClient, parseWith, type HttpClient, type HttpResponse, type QueryParams } from '../http/client.js';
import { checkQuantity, createOnce } from '../create-once.js';
import { forEachPage, pageBudgetSpent, readEach } from '../listing.js';
import {
  LOOKUP_FIELDS,
  SUMMARY_FIELDS,
  wooCurrencySchema,
  wooErrorBodySchema,
  wooNotesSchema,
  wooOrderLookupSchema,
  wooOrderSchema,
  wooOrderSummarySchema,
  wooOrdersSchema,
  wooProductsSchema,
  wooShipmentTrackingsSchema,
  type WooAddress,
  type WooErrorBody,
  type WooOrder,
  type WooProduct,
  type WooShipmentTracking,
} from './schemas.js';
import { nonEmpty, orderNumberKey, productAndVariant, splitName } from '../text.js';

export interface WooCommerceChannelOptions {
  /** the store's address (the WordPress site's home), e.g. https://shop.example.com or https://example.com/store */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  clock: Clock;
  log?: (line: string) => void;
  timeoutMs?: number;
  /** the command's abort signal: ends every request and wait at once */
  signal?: AbortSignal;
}

/** The order meta key onboard puts on an order it creates (core REST cannot search meta: it is read back from listings). */
export const IDEMPOTENCY_META_KEY = '_onboard_idempotency_key';

const API = 'wp-json/wc/v3';
/** The Shipment Tracking extension's canonical namespace (woocommerce.com docs); not part of core. */
const TRACKING_API = 'wp-json/wc-shipment-tracking/v3';
const SYSTEM = 'woocommerce';
/** WooCommerce's largest page (per_page has maximum 100; beyond it answers 400 rest_invalid_param). */
const PAGE_SIZE = 100;
/** findFirstOrderSince reads whole orders, oldest first: the first one is almost always the answer. */
const FIRST_PAGE_SIZE = 10;
/** Core WooCommerce sends no 429, but hosts and WAFs may: keep a polite pace (5 requests a second at most). */
const MIN_INTERVAL_MS = 200;
/** The page budget of one order listing (100 × 100 = 10,000 orders): beyond it the listing fails, naming it. */
const LIST_MAX_PAGES = 100;
/** The budget's error names the listing and what narrows it. */
const WINDOW_HINT =
  'The window holds more orders than onboard reads in one listing, or the store (or a cache in front of it) ignores the page number: give a shorter --since, or --limit.';
const LOOKUP_HINT = 'The store (or a cache in front of it) may ignore the date filter: check the order number, or look for the order in WooCommerce → Orders.';
/** Item suggestions look at no more than this many pages of products. */
const MAX_SUGGEST_PAGES = 5;
/**
 * Statuses `status=any` may return that are not orders anyone placed: the block checkout's draft (a cart being
 * filled in, WooCommerce 5.x+), WordPress auto-drafts and the trash. They are skipped when looking for the test
 * order and when listing.
 */
const NOT_PLACED = new Set(['checkout-draft', 'auto-draft', 'trash']);

const KEY_STEPS =
  'In the WordPress admin open WooCommerce → Settings → Advanced → REST API → Add key, pick a user who can manage ' +
  'WooCommerce (an Administrator or Shop Manager), set Permissions to Read (Read/Write to place the test order with ' +
  '--create), Generate API key, then give its Consumer key (ck_…) and Consumer secret (cs_…): ' +
  'onboard connect woocommerce --url https://your-store.example --token-stdin';

const SITE_HINT =
  "Give the store's own address as --url (the WordPress site's home, for example https://shop.example.com). " +
  'WooCommerce must be active, and WordPress permalinks must not be "Plain" (Settings → Permalinks), or /wp-json/ does not work.';

// ---------------------------------------------------------------------------------------------------------
// Text helpers

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201a',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bdquo: '\u201e',
  laquo: '\u00ab',
  raquo: '\u00bb',
  times: '\u00d7',
  divide: '\u00f7',
  trade: '\u2122',
  reg: '\u00ae',
  copy: '\u00a9',
  deg: '\u00b0',
  euro: '\u20ac',
  pound: '\u00a3',
  yen: '\u00a5',
  cent: '\u00a2',
  sect: '\u00a7',
  para: '\u00b6',
  middot: '\u00b7',
  bull: '\u2022',
  prime: '\u2032',
  Prime: '\u2033',
  frac12: '\u00bd',
  frac14: '\u00bc',
  frac34: '\u00be',
  plusmn: '\u00b1',
  micro: '\u00b5',
  iexcl: '\u00a1',
  iquest: '\u00bf',
  szlig: '\u00df',
  oslash: '\u00f8',
  Oslash: '\u00d8',
  aelig: '\u00e6',
  AElig: '\u00c6',
  eth: '\u00f0',
  ETH: '\u00d0',
  thorn: '\u00fe',
  THORN: '\u00de',
  shy: '\u00ad',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  minus: '\u2212',
  larr: '\u2190',
  rarr: '\u2192',
  hearts: '\u2665',
  star: '\u2606',
};
const COMBINING: Record<string, string> = {
  acute: '\u0301',
  grave: '\u0300',
  circ: '\u0302',
  uml: '\u0308',
  tilde: '\u0303',
  ring: '\u030a',
  cedil: '\u0327',
  caron: '\u030c',
};

function namedEntity(name: string): string | undefined {
  const named = NAMED_ENTITIES[name];
  if (named !== undefined) return named;
  const accented = /^([a-zA-Z])(acute|grave|circ|uml|tilde|ring|cedil|caron)$/.exec(name);
  if (!accented) return undefined;
  const composed = `${accented[1]}${COMBINING[accented[2] as string]}`.normalize('NFC');
  return [...composed].length === 1 ? composed : undefined;
}

/**
 * Decodes the HTML entities WordPress puts into titles ("Ship Your Idea &ndash; Color", "Tom &amp; Jerry",
 * "&#8211;", "&#x2013;"). One pass: "&amp;#8211;" becomes "&#8211;", as a browser shows it. Unknown entities stay.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code = entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
      return String.fromCodePoint(code);
    }
    return namedEntity(entity) ?? whole;
  });
}

/** WooCommerce's `_gmt` dates carry no offset and are UTC: append Z. One that already has an offset is kept. */
export function gmtToIso(text: string): string {
  const trimmed = text.trim().replace(' ', 'T');
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? trimmed : `${trimmed}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw new UpstreamError('unexpected_response', `woocommerce sent a date onboard cannot read: "${text}"`);
  return new Date(ms).toISOString();
}

function parseInstant(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new BadInputError(`${what}: "${iso}" is not an ISO 8601 date-time`);
  return ms;
}

/**
 * The `after` filter for "created at or after `ms`". `after` is exclusive and WooCommerce dates have whole
 * seconds, so onboard asks from one second before the start of that second, offset-free with dates_are_gmt
 * (unambiguous on every storage backend), and drops anything earlier than `ms` itself on its side.
 */
function createdSince(ms: number): { after: string; dates_are_gmt: true } {
  const after = new Date(Math.floor(ms / 1000) * 1000 - 1000).toISOString().slice(0, 19);
  return { after, dates_are_gmt: true };
}

// ---------------------------------------------------------------------------------------------------------
// Tracking numbers in free text (order notes)

interface FoundNumber {
  number: string;
  carrier: string;
}

/**
 * Tracking numbers written into a note ("Shipped via UPS, tracking number 1Z999AA10123456784"). Conservative:
 * only formats that are hard to mistake for anything else are taken on their own (UPS 1Z + 16; USPS IMpb 22 or
 * 26 digits starting 91–95, or the international S10 form ending "US"); the all-digit FedEx (12 or 15) and DHL
 * Express (10) forms are taken only when the note names that carrier. HTML tags are ignored, entities decoded.
 */
export function trackingNumbersInText(raw: string): FoundNumber[] {
  const text = decodeEntities(raw.replace(/<[^>]*>/g, ' '));
  const found: FoundNumber[] = [];
  const seen = new Set<string>();
  const add = (value: string, carrier: string) => {
    const number = value.replace(/\s+/g, '').toUpperCase();
    if (seen.has(number)) return;
    seen.add(number);
    found.push({ number, carrier });
  };
  for (const match of text.matchAll(/\b1Z[0-9A-Z]{16}\b/gi)) add(match[0], 'UPS');
  // USPS IMpb: 22 digits (also printed in groups of four) or 26 digits
  for (const match of text.matchAll(/\b9[1-5]\d{2}(?: ?\d{4}){4} ?\d{2}\b|\b9[1-5]\d{24}\b/g)) add(match[0], 'USPS');
  for (const match of text.matchAll(/\b[A-Z]{2}\d{9}US\b/g)) add(match[0], 'USPS');
  if (/\bfed\s?ex\b/i.test(text)) {
    for (const match of text.matchAll(/\b(?:\d{12}|\d{15})\b/g)) add(match[0], 'FedEx');
  }
  if (/\bdhl\b/i.test(text)) {
    for (const match of text.matchAll(/\b(?:\d{10}|JJD\d{16,20})\b/g)) add(match[0], 'DHL');
  }
  return found;
}

function trackingFromExtension(items: WooShipmentTracking[]): ChannelTracking[] {
  const tracking: ChannelTracking[] = [];
  for (const item of items) {
    if (!nonEmpty(item.tracking_number)) continue;
    const number = item.tracking_number.trim();
    const carrier = nonEmpty(item.tracking_provider)
      ? decodeEntities(item.tracking_provider.trim())
      : nonEmpty(item.custom_tracking_provider)
        ? decodeEntities(item.custom_tracking_provider.trim())
        : null;
    const custom = nonEmpty(item.custom_tracking_link) ? item.custom_tracking_link.replace('%1$s', encodeURIComponent(number)) : null;
    const url = nonEmpty(item.tracking_link) ? item.tracking_link.trim() : custom;
    tracking.push({ number, carrier, url });
  }
  return tracking;
}

// ---------------------------------------------------------------------------------------------------------
// Mapping

function shippingTitleOf(lines: WooOrder['shipping_lines']): string | null {
  const title = lines?.[0]?.method_title;
  // decoded, because the dealer types it as the store shows it ("Standard &amp; Tracked" shows "Standard & Tracked")
  return nonEmpty(title) ? decodeEntities(title) : null;
}

function addressOf(shipping: WooAddress | null, billing: WooAddress | null): ChannelOrder['address'] {
  const present =
    shipping !== null && [shipping.first_name, shipping.last_name, shipping.address_1, shipping.city, shipping.postcode, shipping.country].some(nonEmpty);
  // The spec wants the phone on the shipping address. WooCommerce has shipping.phone only from 5.6, and the
  // default checkout still collects the phone on the billing address only, which is where order managers read
  // it from when the shipping one is blank. So: shipping.phone when it is there and non-empty, otherwise the
  // fallback billing.phone.
  const phone = nonEmpty(shipping?.phone) ? shipping?.phone : billing?.phone;
  return { present, hasZip: present && nonEmpty(shipping?.postcode), hasPhone: present && nonEmpty(phone) };
}

/** What an order and its list summary share. */
function orderHeader(order: Pick<WooOrder, 'id' | 'number' | 'date_created_gmt' | 'total' | 'currency'>) {
  const number = order.number.replace(/^#/, '') || order.id;
  return {
    id: order.id,
    number,
    name: `#${number}`,
    createdAt: gmtToIso(order.date_created_gmt),
    total: parseMoney(order.total, order.currency),
    currency: order.currency.toUpperCase(),
  };
}

export function toChannelOrder(order: WooOrder, tracking: ChannelTracking[]): ChannelOrder {
  return {
    channel: 'woocommerce',
    ...orderHeader(order),
    shippingTitle: shippingTitleOf(order.shipping_lines),
    address: addressOf(order.shipping ?? null, order.billing ?? null),
    // only 'cancelled': a refunded order was placed and paid, and its shipment may still be tracked
    cancelled: order.status === 'cancelled',
    tracking,
  };
}

function toSummary(order: Pick<WooOrder, 'id' | 'number' | 'date_created_gmt' | 'total' | 'currency' | 'shipping_lines'>): ChannelOrderSummary {
  return { ...orderHeader(order), shippingMethod: shippingTitleOf(order.shipping_lines) };
}

/** `--variant`: "productId" (a simple product) or "productId:variationId" (one variation of a variable product). */
export function parseWooVariantId(text: string): { productId: number; variationId: number | null } {
  const item = productAndVariant(text);
  if (!item) {
    throw new BadInputError(`--variant: "${text}" is not a WooCommerce item`, {
      hint: 'Give a product id (123) or, for a variable product, product id and variation id (123:456); onboard test-order lists cheap ones.',
    });
  }
  // variation 0 is the product itself
  return { productId: item.productId, variationId: item.variantId === 0 ? null : item.variantId };
}

// ---------------------------------------------------------------------------------------------------------
// Errors

class WooAuthRejectedError extends AuthRejectedError {
  readonly wooCode: string | undefined;
  /** WooCommerce answered as if no credentials arrived (what a server that strips Authorization causes) */
  readonly credentialsUnseen: boolean;
  constructor(message: string, options: ErrorOptions & { wooCode?: string; credentialsUnseen?: boolean }) {
    super(SYSTEM, message, options);
    this.wooCode = options.wooCode;
    this.credentialsUnseen = options.credentialsUnseen ?? false;
  }
}

class WooNotFoundError extends NotFoundError {
  readonly wooCode: string | undefined;
  constructor(message: string, options: ErrorOptions & { wooCode?: string }) {
    super(message, options);
    this.wooCode = options.wooCode;
  }
}

function parseErrorBody(bodyText: string): WooErrorBody | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const parsed = wooErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

/** "Invalid parameter(s): per_page (per_page must be between 1 (inclusive) and 100 (inclusive))" */
function errorText(body: WooErrorBody): string {
  const message = decodeEntities(body.message?.trim() || body.code);
  const params = body.data?.params;
  const detail = params
    ? Object.values(params)
        .map((value) => (typeof value === 'string' ? decodeEntities(value) : ''))
        .filter((value) => value !== '')
        .join('; ')
    : '';
  return `${message}${detail ? ` (${detail})` : ''} [${body.code}]`;
}

type AuthMode = 'basic' | 'query';

function describeWooStatus(store: string, mode: AuthMode) {
  return (status: number, bodyText: string): OnboardError | undefined => {
    const body = parseErrorBody(bodyText);
    const code = body?.code;
    const message = body?.message ?? '';
    const detail = body ? `: ${errorText(body)}` : '';
    if (status === 401) {
      if (/consumer secret is invalid/i.test(message)) {
        return new WooAuthRejectedError(`WooCommerce at ${store} rejected the consumer secret: it does not belong to this consumer key${detail}`, {
          wooCode: code,
          hint: `Copy the Consumer secret (cs_…) of the same key again; WooCommerce shows it only once, so if it is lost, revoke the key and create a new one. ${KEY_STEPS}`,
        });
      }
      if (/does not have write permission/i.test(message)) {
        return new WooAuthRejectedError(`The WooCommerce REST API key has Read permission only; placing a test order needs Read/Write${detail}`, {
          wooCode: code,
          hint: 'In the WordPress admin open WooCommerce → Settings → Advanced → REST API, edit the key, set Permissions to Read/Write and Save changes (the key and secret stay the same).',
        });
      }
      if (/does not have read permission/i.test(message)) {
        return new WooAuthRejectedError(`The WooCommerce REST API key has Write permission only; onboard needs Read to see orders${detail}`, {
          wooCode: code,
          hint: 'In the WordPress admin open WooCommerce → Settings → Advanced → REST API, edit the key, set Permissions to Read (or Read/Write for --create) and Save changes.',
        });
      }
      const unseen = (code !== undefined && /^woocommerce_rest_cannot_/.test(code)) || /consumer key is missing/i.test(message);
      const text =
        mode === 'query'
          ? `WooCommerce at ${store} did not accept the consumer key: it treated the request as anonymous (the key is unknown, or was revoked)${detail}`
          : `WooCommerce at ${store} did not accept the credentials${detail}`;
      return new WooAuthRejectedError(text, {
        wooCode: code,
        credentialsUnseen: unseen,
        hint:
          mode === 'query'
            ? `Check the Consumer key (ck_…) under WooCommerce → Settings → Advanced → REST API; if it is not listed, create a key. ${KEY_STEPS}`
            : KEY_STEPS,
      });
    }
    if (status === 403) {
      if (code !== undefined && /^woocommerce_rest_cannot_/.test(code)) {
        return new WooAuthRejectedError(`WooCommerce at ${store} recognised the key, but its user may not do this${detail}`, {
          wooCode: code,
          hint: `A REST API key acts as the WordPress user chosen when it was made: that user must be an Administrator or Shop Manager. ${KEY_STEPS}`,
        });
      }
      return new WooAuthRejectedError(`WooCommerce at ${store} (or a firewall in front of it) refused the request (403 Forbidden)${detail}`, {
        wooCode: code,
        hint: `If the keys are right, a security plugin or the host's firewall may be blocking REST API calls: allow /wp-json/wc/v3/ for them. ${KEY_STEPS}`,
      });
    }
    if (status === 404 || (status === 400 && code !== undefined && /_invalid_id$/.test(code))) {
      // GET of an unknown id is 404 woocommerce_rest_shop_order_invalid_id; PUT of one is 400 with the same code
      return new WooNotFoundError(`WooCommerce at ${store} answered ${status}${detail || ' Not Found'}`, { wooCode: code });
    }
    if (status === 429 || (status >= 300 && status < 400)) return undefined; // the seam's own handling
    if (body) {
      return new UpstreamError('upstream_error', `WooCommerce at ${store} answered ${status}${detail}`, {
        status,
        hint: status >= 500 ? 'WooCommerce (or a plugin) failed on its side: WooCommerce → Status → Logs may say why. Try again in a few minutes.' : undefined,
      });
    }
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------------------
// The adapter

export function createWooCommerceChannel(options: WooCommerceChannelOptions): ChannelPort {
  let store: string;
  try {
    store = validateBaseUrl(options.url, '--url');
  } catch (error) {
    if (error instanceof BadInputError && /plain http/.test(error.message)) {
      throw new BadInputError(error.message, {
        hint: "WooCommerce over plain http needs OAuth 1.0a signing, which onboard does not support: use the store's https:// address.",
        cause: error,
      });
    }
    throw error;
  }
  const consumerKey = options.consumerKey.trim();
  const consumerSecret = options.consumerSecret.trim();
  const secrets = [consumerKey, consumerSecret];
  const common = {
    system: SYSTEM,
    baseURL: store,
    secrets,
    minIntervalMs: MIN_INTERVAL_MS,
    maxRetries: MAX_TRIES - 1,
    clock: options.clock,
    log: options.log,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  };
  const basicHttp = createHttpClient({
    ...common,
    headers: { Authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}` },
    describeStatusError: describeWooStatus(store, 'basic'),
  });
  const queryHttp = createHttpClient({ ...common, describeStatusError: describeWooStatus(store, 'query') });
  const queryAuth: QueryParams = { consumer_key: consumerKey, consumer_secret: consumerSecret };
  let mode: AuthMode = 'basic';
  let basicProven = false;

  /** One request, with the header-stripping fallback: once switched to query-string keys, it stays there. */
  async function call<T>(run: (http: HttpClient, auth: QueryParams) => Promise<HttpResponse<T>>): Promise<HttpResponse<T>> {
    if (mode === 'query') return run(queryHttp, queryAuth);
    try {
      const response = await run(basicHttp, {});
      basicProven = true;
      return response;
    } catch (error) {
      if (basicProven || !(error instanceof WooAuthRejectedError) || !error.credentialsUnseen) throw error;
      options.log?.(
        '… WooCommerce answered as if no credentials arrived (the web server may strip the Authorization header): ' +
          'sending the keys as consumer_key/consumer_secret query parameters from now on',
      );
      mode = 'query';
      return run(queryHttp, queryAuth);
    }
  }
  const get = <T = unknown>(path: string, params: QueryParams = {}) => call<T>((http, auth) => http.get<T>(path, { ...params, ...auth }));
  const post = <T = unknown>(path: string, body: unknown) => call<T>((http, auth) => http.send<T>('POST', path, body, auth));

  /**
   * One page (`page=N`) of a listing: its entries raw, and the next page number while there is one (by
   * X-WP-TotalPages; without the header, a full page may have a next).
   */
  async function numberedPage(path: string, params: QueryParams, page: number): Promise<{ entries: unknown[]; next: number | null }> {
    const perPage = Number(params['per_page'] ?? 10);
    const response = await get(path, { ...params, page });
    if (!Array.isArray(response.data)) parseWith(wooOrdersSchema, response.data, 'a list', SYSTEM); // throws, naming what came instead
    const entries = response.data as unknown[];
    const totalPages = Number.parseInt(response.headers['x-wp-totalpages'] ?? '', 10);
    const last = Number.isFinite(totalPages) ? page >= totalPages : entries.length < perPage;
    return { entries, next: last ? null : page + 1 };
  }

  /**
   * Pages of an order listing (listing.ts forEachPage): `onPage` hears each page's orders not seen before, raw,
   * until it says stop or the listing ends. Past LIST_MAX_PAGES the listing fails with `hint`.
   */
  function forEachListed(path: string, params: QueryParams, onPage: (entries: unknown[]) => boolean, hint: string): Promise<void> {
    return forEachPage<number, unknown>({
      first: 1,
      fetch: (page) => numberedPage(path, params, page),
      onPage,
      maxPages: LIST_MAX_PAGES,
      budget: () => pageBudgetSpent(`WooCommerce at ${store}`, 'orders', LIST_MAX_PAGES, hint),
    });
  }

  /** How a skipped entry of a listing is noted (--verbose), and what the listing is called. */
  const listing = (askedFor?: (raw: unknown) => boolean) => ({ log: options.log, what: 'an order list', system: SYSTEM, askedFor });

  // Tracking. WooCommerce core has no tracking fields. Source 1: the Shipment Tracking extension's endpoint
  // (GET wc-shipment-tracking/v3/orders/{id}/shipment-trackings); a 404 rest_no_route means it is not
  // installed, remembered for this client so it is asked once. Source 2, when the extension is absent or has
  // no item for the order: the order notes (GET wc/v3/orders/{id}/notes), where many fulfilment integrations
  // write "… tracking number 1Z…"; numbers are taken from the text conservatively (trackingNumbersInText).
  let trackingExtension: boolean | undefined;

  async function trackingFor(orderId: string): Promise<ChannelTracking[]> {
    if (trackingExtension !== false) {
      try {
        const response = await get(`${TRACKING_API}/orders/${orderId}/shipment-trackings`);
        trackingExtension = true;
        const items = parseWith(wooShipmentTrackingsSchema, response.data, 'shipment trackings', SYSTEM);
        const tracking = trackingFromExtension(items);
        if (tracking.length > 0) return tracking;
      } catch (error) {
        // an unknown order (woocommerce_rest_order_invalid_id) is a real error; no route is no extension
        const noRoute = error instanceof WooNotFoundError && (error.wooCode === undefined || error.wooCode === 'rest_no_route');
        if (!noRoute) throw error;
        trackingExtension = false;
      }
    }
    const response = await get(`${API}/orders/${orderId}/notes`);
    const notes = parseWith(wooNotesSchema, response.data, 'order notes', SYSTEM);
    const tracking: ChannelTracking[] = [];
    const seen = new Set<string>();
    // notes come newest first; report them in the order they were written
    for (const note of [...notes].reverse()) {
      for (const found of trackingNumbersInText(note.note ?? '')) {
        if (seen.has(found.number)) continue;
        seen.add(found.number);
        tracking.push({ number: found.number, carrier: found.carrier, url: null });
      }
    }
    return tracking;
  }

  async function withTracking(order: WooOrder): Promise<ChannelOrder> {
    return toChannelOrder(order, await trackingFor(order.id));
  }

  async function getOrder(id: string): Promise<ChannelOrder> {
    const trimmed = id.trim();
    if (!/^\d+$/.test(trimmed)) throw new NotFoundError(`"${id}" is not a WooCommerce order id (digits only)`);
    let response: HttpResponse<unknown>;
    try {
      response = await get(`${API}/orders/${trimmed}`);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(`WooCommerce at ${store} has no order with id ${trimmed}`, {
          hint: "Check the order id (the number in the order page's address in WooCommerce → Orders); with a sequential order number plugin the number shown may differ from the id.",
          cause: error,
        });
      }
      throw error;
    }
    const order = parseWith(wooOrderSchema, response.data, 'an order', SYSTEM);
    if (order.id !== trimmed) {
      throw new UpstreamError('unexpected_response', `WooCommerce at ${store} answered the request for order ${trimmed} with order ${order.id}`, {
        hint: 'A cache or plugin in front of the store may be answering with the wrong page: check the store address, then run again.',
      });
    }
    return withTracking(order);
  }

  async function findCreatedOrder(idempotencyKey: string, createdAtMin: string): Promise<ChannelOrder | null> {
    // core REST cannot search meta: list the orders created since then (newest first, ids and meta only) and
    // read the key from meta_data
    const since = parseInstant(createdAtMin, 'createdAtMin');
    let foundId: string | null = null;
    await forEachListed(
      `${API}/orders`,
      { ...createdSince(since), status: 'any', orderby: 'date', order: 'desc', per_page: PAGE_SIZE, _fields: LOOKUP_FIELDS },
      (entries) => {
        const carriesKey = (raw: unknown) => JSON.stringify((raw as { meta_data?: unknown })?.meta_data ?? null).includes(idempotencyKey);
        for (const order of readEach(wooOrderLookupSchema, entries, listing(carriesKey))) {
          // newest first: an order older than the window means every later one is older still
          if (Date.parse(gmtToIso(order.date_created_gmt)) < since) return false;
          if ((order.meta_data ?? []).some((meta) => meta.key === IDEMPOTENCY_META_KEY && String(meta.value) === idempotencyKey)) {
            foundId = order.id;
            return false;
          }
        }
        return true;
      },
      LOOKUP_HINT,
    );
    return foundId === null ? null : getOrder(foundId);
  }

  /**
   * The oldest placed order created at or after `since`, read newest first to the window's edge (for a host
   * that ignores `after`, where oldest first would start at the store's first order). Read strictly: any
   * order of the window may be the one asked for.
   */
  async function oldestPlacedSince(since: number): Promise<string | null> {
    let oldest: string | null = null;
    await forEachListed(
      `${API}/orders`,
      { ...createdSince(since), status: 'any', orderby: 'date', order: 'desc', per_page: PAGE_SIZE, _fields: LOOKUP_FIELDS },
      (entries) => {
        for (const raw of entries) {
          const order = parseWith(wooOrderLookupSchema, raw, 'an order list', SYSTEM);
          if (Date.parse(gmtToIso(order.date_created_gmt)) < since) return false;
          if (order.status === undefined || !NOT_PLACED.has(order.status)) oldest = order.id;
        }
        return true;
      },
      LOOKUP_HINT,
    );
    return oldest;
  }

  let currencyPromise: Promise<string> | undefined;
  function storeCurrency(): Promise<string> {
    // products carry no currency: the store's is one cheap call (WooCommerce 3.5+), asked once
    currencyPromise ??= get(`${API}/data/currencies/current`).then((response) =>
      parseWith(wooCurrencySchema, response.data, 'the store currency', SYSTEM).code.toUpperCase(),
    );
    currencyPromise.catch(() => {
      currencyPromise = undefined;
    });
    return currencyPromise;
  }

  function purchasablePrice(product: WooProduct, currency: string): Money | null {
    if (product.purchasable !== true || product.stock_status !== 'instock') return null;
    const price = product.price;
    if (price === null || price === undefined || (typeof price === 'string' && !/^\d+(\.\d+)?$/.test(price.trim()))) return null;
    const money = parseMoney(price, currency);
    // a free item makes no useful test order (the portal would have nothing to authorize)
    return money.units > 0n ? money : null;
  }

  async function cheapestVariation(product: WooProduct, currency: string): Promise<ItemSuggestion | null> {
    const response = await get(`${API}/products/${product.id}/variations`, { per_page: PAGE_SIZE });
    const variations = parseWith(wooProductsSchema, response.data, 'product variations', SYSTEM);
    let best: { variation: WooProduct; price: Money } | null = null;
    for (const variation of variations) {
      const price = purchasablePrice(variation, currency);
      if (price && (best === null || compareMoney(price, best.price) < 0)) best = { variation, price };
    }
    if (!best) return null;
    const options = (best.variation.attributes ?? []).map((attribute) => attribute.option).filter(nonEmpty);
    const name = decodeEntities(product.name ?? '');
    return {
      variantId: `${product.id}:${best.variation.id}`,
      title: options.length > 0 ? `${name} \u2013 ${options.map(decodeEntities).join(', ')}` : name,
      price: best.price,
      vendor: vendorOf(product),
      sku: nonEmpty(best.variation.sku) ? best.variation.sku : nonEmpty(product.sku) ? product.sku : null,
    };
  }

  function vendorOf(product: WooProduct): string | null {
    const brand = product.brands?.find((item) => nonEmpty(item.name))?.name;
    return nonEmpty(brand) ? decodeEntities(brand) : null;
  }

  return {
    system: 'woocommerce',
    capabilities: { createOrder: true, suggestItems: true },

    async check() {
      // the cheapest call that proves the key can read orders (system_status would be heavy)
      try {
        const response = await get(`${API}/orders`, { per_page: 1, _fields: 'id' });
        if (!Array.isArray(response.data)) {
          throw new UpstreamError('unexpected_response', `${store}/wp-json/wc/v3/orders did not answer with an order list`, { hint: SITE_HINT });
        }
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new NotFoundError(`No WooCommerce REST API answered at ${store}/wp-json/wc/v3/ (${error.message})`, { hint: SITE_HINT, cause: error });
        }
        if (error instanceof UpstreamError && error.code === 'unexpected_response') {
          throw new UpstreamError('unexpected_response', `${store} did not answer like WooCommerce: ${error.message}`, { hint: SITE_HINT, cause: error });
        }
        throw error;
      }
      return { account: store };
    },

    async listOrders({ createdAtMin, limit }) {
      const since = parseInstant(createdAtMin, 'createdAtMin');
      const perPage = limit > 0 ? Math.min(limit, PAGE_SIZE) : PAGE_SIZE;
      const summaries: ChannelOrderSummary[] = [];
      await forEachListed(
        `${API}/orders`,
        { ...createdSince(since), status: 'any', orderby: 'date', order: 'desc', per_page: perPage, _fields: SUMMARY_FIELDS },
        (entries) => {
          for (const order of readEach(wooOrderSummarySchema, entries, listing())) {
            const summary = toSummary(order);
            // newest first: the first order older than the window ends the listing (a host that ignores `after`)
            if (Date.parse(summary.createdAt) < since) return false;
            if (order.status !== undefined && NOT_PLACED.has(order.status)) continue;
            summaries.push(summary);
            if (limit > 0 && summaries.length >= limit) return false;
          }
          return true;
        },
        WINDOW_HINT,
      );
      // WooCommerce already answers newest first (id breaks ties); a stable sort keeps that promise anyway
      return summaries.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    },

    async findFirstOrderSince(createdAtMin) {
      const since = parseInstant(createdAtMin, 'createdAtMin');
      let first: WooOrder | null = null;
      let filterIgnored = false;
      await forEachListed(
        `${API}/orders`,
        { ...createdSince(since), status: 'any', orderby: 'date', order: 'asc', per_page: FIRST_PAGE_SIZE },
        (entries) => {
          for (const raw of entries) {
            // read strictly: an order before the first placed one may be the one asked for
            const order = parseWith(wooOrderSchema, raw, 'an order list', SYSTEM);
            if (Date.parse(gmtToIso(order.date_created_gmt)) < since) {
              // the host ignores `after`: oldest first would walk the whole store
              filterIgnored = true;
              return false;
            }
            if (!NOT_PLACED.has(order.status)) {
              first = order;
              return false;
            }
          }
          return true;
        },
        LOOKUP_HINT,
      );
      if (filterIgnored) {
        options.log?.('… WooCommerce ignored the `after` filter: reading the window newest first instead');
        const oldestId = await oldestPlacedSince(since);
        return oldestId === null ? null : getOrder(oldestId);
      }
      return first === null ? null : withTracking(first);
    },

    getOrder,

    async findOrderByNumber(number, createdAtMin) {
      const wanted = orderNumberKey(number);
      if (wanted === '') return null;
      const since = parseInstant(createdAtMin, 'createdAtMin');
      // 1. The number is usually the id: one read, accepted only when its `number` really is the one asked
      //    for (sequential-number plugins make them differ).
      if (/^\d+$/.test(wanted)) {
        try {
          const response = await get(`${API}/orders/${wanted}`);
          const order = parseWith(wooOrderSchema, response.data, 'an order', SYSTEM);
          if (orderNumberKey(order.number) === wanted) {
            return Date.parse(gmtToIso(order.date_created_gmt)) >= since ? withTracking(order) : null;
          }
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
      // 2. The API's search (which sequential-number plugins extend to their number), within the window,
      //    matching `number` exactly; never a scan of the store.
      let foundId: string | null = null;
      const isWanted = (raw: unknown) => {
        const value = (raw as { number?: unknown })?.number;
        return (typeof value === 'string' || typeof value === 'number') && orderNumberKey(String(value)) === wanted;
      };
      await forEachListed(
        `${API}/orders`,
        {
          search: number.trim().replace(/^#/, '').trim(),
          ...createdSince(since),
          status: 'any',
          orderby: 'date',
          order: 'desc',
          per_page: PAGE_SIZE,
          _fields: LOOKUP_FIELDS,
        },
        (entries) => {
          for (const order of readEach(wooOrderLookupSchema, entries, listing(isWanted))) {
            // newest first: an order older than the window means every later one is older still
            if (Date.parse(gmtToIso(order.date_created_gmt)) < since) return false;
            if (orderNumberKey(order.number) === wanted) {
              foundId = order.id;
              return false;
            }
          }
          return true;
        },
        LOOKUP_HINT,
      );
      return foundId === null ? null : getOrder(foundId);
    },

    findCreatedOrder,

    async createOrder(input: CreateOrderInput) {
      const item = parseWooVariantId(input.variantId);
      checkQuantity(input.quantity);
      const address = {
        ...splitName(input.shipping.name),
        company: '',
        address_1: input.shipping.address1,
        address_2: '',
        city: input.shipping.city,
        state: input.shipping.province,
        postcode: input.shipping.zip,
        country: input.shipping.country.toUpperCase(),
        // shipping.phone exists from WooCommerce 5.6 (older versions ignore it; billing.phone carries it too)
        phone: input.shipping.phone,
      };
      const body = {
        set_paid: true,
        billing: { ...address, email: input.email },
        shipping: address,
        line_items: [
          item.variationId === null
            ? { product_id: item.productId, quantity: input.quantity }
            : { product_id: item.productId, variation_id: item.variationId, quantity: input.quantity },
        ],
        shipping_lines: [{ method_id: 'flat_rate', method_title: input.shippingTitle, total: formatMoney(input.shippingPrice) }],
        meta_data: [{ key: IDEMPOTENCY_META_KEY, value: input.idempotencyKey }],
      };
      return createOnce({
        label: 'WooCommerce',
        key: input.idempotencyKey,
        whereToLook: 'WooCommerce → Orders',
        clock: options.clock,
        log: options.log,
        signal: options.signal,
        findByMarker: (createdAtMin) => findCreatedOrder(input.idempotencyKey, createdAtMin),
        async send() {
          // 201 Created with a Location header; the body is the new order (context=edit)
          const response = await post(`${API}/orders`, body);
          // a brand-new order has no tracking yet: no need to ask
          return toChannelOrder(parseWith(wooOrderSchema, response.data, 'the created order', SYSTEM), []);
        },
      });
    },

    async suggestItems({ vendor, limit }) {
      const currency = await storeCurrency();
      const wanted = Math.max(1, limit);
      const perPage = Math.min(PAGE_SIZE, Math.max(wanted * 2, 10));
      const suggestions: ItemSuggestion[] = [];
      // Core WooCommerce has no vendor field: `search=<vendor>` matches the words of the title, description and
      // SKU, where a brand or vendor name usually appears. The vendor shown is the product's brand (WooCommerce
      // 9.6+ Brands) when it has one.
      const query: QueryParams = {
        status: 'publish',
        stock_status: 'instock',
        orderby: 'price',
        order: 'asc',
        per_page: perPage,
        search: vendor?.trim() ? vendor.trim() : undefined,
      };
      await forEachPage<number, WooProduct>({
        first: 1,
        async fetch(page) {
          const { entries, next } = await numberedPage(`${API}/products`, query, page);
          return { entries: parseWith(wooProductsSchema, entries, 'a product list', SYSTEM), next };
        },
        async onPage(products) {
          for (const product of products) {
            if (suggestions.length >= wanted) break;
            if (product.type === 'variable') {
              // the parent's price is its cheapest variation's; an order needs the variation itself
              if (product.purchasable === false || product.stock_status === 'outofstock') continue;
              const suggestion = await cheapestVariation(product, currency);
              if (suggestion) suggestions.push(suggestion);
              continue;
            }
            if (product.type === 'grouped' || product.type === 'external') continue;
            const price = purchasablePrice(product, currency);
            if (!price) continue;
            suggestions.push({
              variantId: product.id,
              title: decodeEntities(product.name ?? ''),
              price,
              vendor: vendorOf(product),
              sku: nonEmpty(product.sku) ? product.sku : null,
            });
          }
          return suggestions.length < wanted;
        },
        maxPages: MAX_SUGGEST_PAGES,
        budget: 'stop',
      });
      // cheapest first, exactly (a variation may cost more than its parent's listed minimum)
      return suggestions.sort((a, b) => compareMoney(a.price, b.price));
    },
  };
}
