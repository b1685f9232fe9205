// The Shopify sales-channel adapter: Admin REST at the pinned version, token in X-Shopify-Access-Token.
// Orders are listed with status=any (the default "open" hides closed and cancelled ones) and paged by the
// Link header's page_info cursor, which Shopify accepts only together with limit and fields.
import type { Clock } from '../../core/clock.js';
import { AuthRejectedError, NotFoundError, UpstreamError, type OnboardError } from '../../core/errors.js';
import { parseMoney } from '../../core/money.js';
import type { ChannelOrder, ChannelOrderSummary, ChannelPort, ChannelTracking } from '../../core/ports.js';
import { createHttpClient, parseWith, validateBaseUrl, type HttpResponse } from '../http/client.js';
import {
  LOOKUP_FIELDS,
  SUMMARY_FIELDS,
  orderEnvelopeSchema,
  orderLookupsEnvelopeSchema,
  orderSummariesEnvelopeSchema,
  ordersEnvelopeSchema,
  shopSchema,
  shopifyErrorBodySchema,
  type ShopifyOrder,
} from './schemas.js';
import { SHOPIFY_API_VERSION } from './version.js';

export interface ShopifyChannelOptions {
  /** the store's host, e.g. "my-store.myshopify.com" */
  store: string;
  token: string;
  /** replaces scheme, host, port and an optional path prefix (sandbox, tests) */
  apiUrl?: string;
  clock: Clock;
  log?: (l: string) => void;
}

/** Shopify's largest page. */
const PAGE_LIMIT = 250;
/** Shopify's standard plan allows 2 requests a second. */
const MIN_INTERVAL_MS = 500;
/** A guard against a server that keeps sending the same next link. */
const MAX_PAGES = 10_000;

const TOKEN_HINT =
  'Create or copy an Admin API access token in the store admin: Settings → Apps and sales channels → Develop apps → ' +
  'your app → API credentials, with the scopes read_orders and read_fulfillments (read_products for item suggestions, ' +
  'read_all_orders for orders older than 60 days).';

/** `{"errors": …}` as one readable line: a string as is, an object as "field: message; …", an array joined. */
export function shopifyErrorsText(bodyText: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const parsed = shopifyErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const errors = parsed.data.errors;
  const flatten = (value: unknown): string =>
    typeof value === 'string' ? value : Array.isArray(value) ? value.map(flatten).join(', ') : JSON.stringify(value);
  if (typeof errors === 'string') return errors;
  if (Array.isArray(errors)) return errors.map(flatten).join('; ');
  return Object.entries(errors)
    .map(([field, value]) => (field === 'base' ? flatten(value) : `${field}: ${flatten(value)}`))
    .join('; ');
}

function describeShopifyStatus(store: string) {
  return (status: number, bodyText: string): OnboardError | undefined => {
    const errors = shopifyErrorsText(bodyText);
    const detail = errors ? `: ${errors.slice(0, 300)}` : '';
    switch (status) {
      case 401:
        return new AuthRejectedError('shopify', `Shopify rejected the access token for ${store}${detail}`, { hint: TOKEN_HINT });
      case 403: {
        const scope = errors ? /\b((?:read|write)_[a-z_]+)\b/.exec(errors)?.[1] : undefined;
        const message = scope
          ? `The Shopify access token for ${store} lacks the ${scope} scope${detail}`
          : `Shopify refused the access token for ${store} (403)${detail}`;
        return new AuthRejectedError('shopify', message, {
          hint: `In the store admin open Settings → Apps and sales channels → Develop apps → your app → Configuration, add ${scope ?? 'the missing'} scope, reinstall the app and copy the new token. ${TOKEN_HINT}`,
        });
      }
      case 404:
        return new NotFoundError(`Shopify answered 404 Not Found${detail}`);
      case 402:
        return new UpstreamError('upstream_error', `Shopify says the store ${store} is frozen (402 Payment Required)${detail}`, {
          status,
          hint: 'The store owner must settle the Shopify bill before its API answers again.',
        });
      case 423:
        return new UpstreamError('upstream_error', `Shopify says the store ${store} is locked (423)${detail}`, {
          status,
          hint: 'Shopify locked the store; its owner must contact Shopify support.',
        });
      default:
        if (status >= 400 && status < 500 && status !== 429 && errors) {
          return new UpstreamError('upstream_error', `Shopify answered ${status}: ${errors.slice(0, 300)}`, { status });
        }
        return undefined;
    }
  };
}

/** The URL of the Link header's rel="next", if any. URLs may contain commas (fields=a,b), so no naive split. */
export function nextLink(linkHeader: string | undefined): string | undefined {
  if (!linkHeader) return undefined;
  for (const match of linkHeader.matchAll(/<([^>]+)>\s*;\s*rel="?([^";,]+)"?/g)) {
    if (match[2]?.trim() === 'next') return match[1];
  }
  return undefined;
}

/** A page_info request may carry only page_info, limit and fields; anything else makes Shopify answer 400. */
function pageInfoOnly(link: string): string {
  const [beforeQuery = '', query = ''] = link.split(/\?(.*)/s, 2);
  const given = new URLSearchParams(query.replace(/#.*$/s, ''));
  const kept = new URLSearchParams();
  for (const name of ['page_info', 'limit', 'fields']) {
    const value = given.get(name);
    if (value !== null) kept.set(name, value);
  }
  return `${beforeQuery}?${kept.toString()}`;
}

function withoutHash(text: string): string {
  return text.trim().replace(/^#/, '').trim().toLowerCase();
}

function toIsoUtc(timestamp: string): string {
  return new Date(timestamp).toISOString();
}

function nonEmpty(text: string | null | undefined): boolean {
  return typeof text === 'string' && text.trim() !== '';
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

export function toChannelOrder(order: ShopifyOrder): ChannelOrder {
  const address = order.shipping_address ?? null;
  return {
    channel: 'shopify',
    id: order.id,
    number: order.order_number,
    name: order.name,
    createdAt: toIsoUtc(order.created_at),
    total: parseMoney(order.total_price, order.currency),
    currency: order.currency.toUpperCase(),
    shippingTitle: order.shipping_lines?.[0]?.title ?? null,
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

export function createShopifyChannel(options: ShopifyChannelOptions): ChannelPort {
  // the store is a host ("my-store.myshopify.com"); a full URL given by mistake is accepted too
  const storeGiven = options.store.trim().replace(/\/+$/, '');
  const storeUrl = /^https?:\/\//i.test(storeGiven) ? storeGiven : `https://${storeGiven}`;
  const store = storeGiven.replace(/^https?:\/\//i, '');
  const baseURL = validateBaseUrl(options.apiUrl ?? storeUrl, options.apiUrl ? '--api-url' : '--store');
  const http = createHttpClient({
    system: 'shopify',
    baseURL,
    headers: { 'X-Shopify-Access-Token': options.token },
    minIntervalMs: MIN_INTERVAL_MS,
    clock: options.clock,
    log: options.log,
    describeStatusError: describeShopifyStatus(store),
  });
  const adminPath = (resource: string) => `/admin/api/${SHOPIFY_API_VERSION}/${resource}.json`;

  /** Every page of a listing, first page from `params`, the rest from Link rel="next"; stops when `onPage` says so. */
  async function forEachPage(
    params: Record<string, string | number>,
    onPage: (response: HttpResponse<unknown>) => boolean,
  ): Promise<void> {
    let response = await http.get(adminPath('orders'), params);
    const followed = new Set<string>();
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      if (!onPage(response)) return;
      const next = nextLink(response.headers['link']);
      if (!next || followed.has(next)) return;
      followed.add(next);
      response = await http.getUrl(pageInfoOnly(next));
    }
  }

  async function getOrder(id: string): Promise<ChannelOrder> {
    if (!/^\d+$/.test(id)) throw new NotFoundError(`Shopify order id "${id}" is not a Shopify order id (digits only)`);
    try {
      const response = await http.get(adminPath(`orders/${id}`));
      return toChannelOrder(parseWith(orderEnvelopeSchema, response.data, 'an order', 'shopify').order);
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

  return {
    system: 'shopify',
    capabilities: { createOrder: false, suggestItems: false },

    async check() {
      try {
        const response = await http.get(adminPath('shop'));
        const { shop } = parseWith(shopSchema, response.data, 'the shop', 'shopify');
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

    async listOrders({ createdAtMin, limit }): Promise<ChannelOrderSummary[]> {
      const summaries: ChannelOrderSummary[] = [];
      const pageLimit = limit > 0 ? Math.min(limit, PAGE_LIMIT) : PAGE_LIMIT;
      await forEachPage(
        { status: 'any', created_at_min: createdAtMin, limit: pageLimit, fields: SUMMARY_FIELDS },
        (response) => {
          const { orders } = parseWith(orderSummariesEnvelopeSchema, response.data, 'an order list', 'shopify');
          for (const order of orders) {
            summaries.push({
              id: order.id,
              number: order.order_number,
              name: order.name,
              createdAt: toIsoUtc(order.created_at),
              total: parseMoney(order.total_price, order.currency),
              currency: order.currency.toUpperCase(),
              shippingMethod: order.shipping_lines?.[0]?.title ?? null,
            });
            if (limit > 0 && summaries.length >= limit) return false;
          }
          return orders.length > 0;
        },
      );
      // Shopify already answers newest first; a stable sort keeps that promise if a server does not
      return summaries.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    },

    async findFirstOrderSince(createdAtMin) {
      let oldest: ShopifyOrder | null = null;
      await forEachPage({ status: 'any', created_at_min: createdAtMin, limit: PAGE_LIMIT }, (response) => {
        const { orders } = parseWith(ordersEnvelopeSchema, response.data, 'an order list', 'shopify');
        for (const order of orders) {
          const older =
            oldest === null ||
            Date.parse(order.created_at) < Date.parse(oldest.created_at) ||
            (Date.parse(order.created_at) === Date.parse(oldest.created_at) && BigInt(order.id) < BigInt(oldest.id));
          if (older) oldest = order;
        }
        return orders.length > 0;
      });
      return oldest === null ? null : toChannelOrder(oldest);
    },

    getOrder,

    async findOrderByNumber(number, createdAtMin) {
      const wanted = withoutHash(number);
      let matchId: string | null = null;
      await forEachPage(
        { status: 'any', created_at_min: createdAtMin, fields: LOOKUP_FIELDS, limit: PAGE_LIMIT },
        (response) => {
          const { orders } = parseWith(orderLookupsEnvelopeSchema, response.data, 'an order list', 'shopify');
          const match = orders.find(
            (order) => withoutHash(order.order_number) === wanted || withoutHash(order.name) === wanted,
          );
          if (match) matchId = match.id;
          return match === undefined && orders.length > 0;
        },
      );
      return matchId === null ? null : getOrder(matchId);
    },
  };
}
