// The Flxpoint dealer-portal adapter: public REST API at the root of api.flxpoint.com, token in X-API-TOKEN
// (never Authorization: Bearer). A dealer holds a reseller (channel) token, which may not call /account, so
// everything here goes through /orders and /shipments. Flxpoint allows 2 requests a second per token and
// documents neither its error bodies nor a Retry-After: the adapter paces itself and acts on status codes only.
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { AuthRejectedError, NotFoundError, UpstreamError, type OnboardError } from '../../core/errors.js';
import type { PortalOrder, PortalOrderPage, PortalPort, PortalShipment } from '../../core/ports.js';
import { validateBaseUrl } from '../../core/inputs.js';
import { MAX_TRIES, createHttpClient, parseWith } from '../http/client.js';
import type { PacingStore } from '../http/shared-pacing.js';
import { pageBudgetSpent, readEach } from '../listing.js';
import { flxpointOrderSchema, flxpointShipmentListSchema, type FlxpointOrder, type FlxpointShipment } from './schemas.js';

export interface FlxpointPortalOptions {
  token: string;
  /** replaces scheme, host, port and an optional path prefix (sandbox, tests) */
  apiUrl?: string;
  /** the dealer portal's address, for links to an order page */
  portalUrl?: string;
  clock: Clock;
  log?: (l: string) => void;
  /** the command's abort signal: ends every request and wait at once */
  signal?: AbortSignal;
  /** per request, default 30 s */
  timeoutMs?: number;
  /** pacing shared by every onboard process of the profile (the token's 2 requests a second, together) */
  pacing?: PacingStore;
}

const DEFAULT_API_URL = 'https://api.flxpoint.com';
/** 2 requests a second per token, whatever the caller does. */
const MIN_INTERVAL_MS = 500;
/** the cursor when none was kept yet: every order the token can see */
const EPOCH_CURSOR = '1970-01-01T00:00:00.000Z';
const SHIPMENT_PAGE_SIZE = 100;
/** A guard against a server that never runs out of new ids or pages. */
const MAX_PAGES = 10_000;
/** The page budget of one cursor search: beyond it the search fails, naming it. */
const CURSOR_MAX_PAGES = 200;

const TOKEN_HINT =
  'Use the API token from the Reseller (Dealer) Portal, not an Account or Source token: the dealer portal gives it to the reseller for its channel.';

function describeFlxpointStatus(status: number): OnboardError | undefined {
  // Flxpoint documents no error body: only the status code is acted on, the body is never parsed.
  if (status === 401) {
    return new AuthRejectedError('flxpoint', 'Flxpoint rejected the API token (401)', { hint: TOKEN_HINT });
  }
  if (status === 403) {
    return new AuthRejectedError('flxpoint', 'Flxpoint accepted the API token but its token type has no access to orders (403)', {
      hint: TOKEN_HINT,
    });
  }
  return undefined;
}

export function toPortalOrder(order: FlxpointOrder): PortalOrder {
  return {
    id: order.id,
    orderNumber: order.orderNumber,
    referenceNumber: order.referenceNumber,
    orderStatus: order.orderStatus,
    shippedStatus: order.shippedStatus,
    orderTotal: order.orderTotal,
    insertedAt: order.insertedAt,
    updatedAt: order.updatedAt,
    shippingText: order.shippingText,
    paymentStatus: order.paymentStatus,
    fulfillmentRequests: order.fulfillmentRequests.map((request) => ({
      id: request.id,
      number: request.fulfillmentRequestNumber,
      status: request.status,
    })),
  };
}

export function toPortalShipment(shipment: FlxpointShipment): PortalShipment {
  return {
    id: shipment.id,
    trackingNumber: shipment.trackingNumber,
    carrier: shipment.carrier,
    trackingUrl: shipment.trackingUrl,
    shippedAt: shipment.shippedAt,
    syncError: shipment.syncError,
    suppressed: shipment.suppressed,
    syncedToChannel: shipment.syncedToChannel,
  };
}

/** The next poll's cursor: the latest updatedAt seen minus 1 ms, so orders sharing that millisecond come again. */
export function cursorBefore(updatedAtMs: number): string {
  return new Date(updatedAtMs - 1).toISOString();
}

export function createFlxpointPortal(options: FlxpointPortalOptions): PortalPort {
  const http = createHttpClient({
    system: 'flxpoint',
    baseURL: validateBaseUrl(options.apiUrl ?? DEFAULT_API_URL, '--api-url'),
    headers: { 'X-API-TOKEN': options.token },
    minIntervalMs: MIN_INTERVAL_MS,
    pacer: options.pacing?.pacer('flxpoint', options.token, MIN_INTERVAL_MS, options.clock),
    // Flxpoint sends no Retry-After: a 429 waits the seam's backoff (at least a second), within its budget
    maxRetries: MAX_TRIES - 1,
    timeoutMs: options.timeoutMs,
    clock: options.clock,
    log: options.log,
    signal: options.signal,
    describeStatusError: describeFlxpointStatus,
  });
  const portalUrl = options.portalUrl?.trim().replace(/\/+$/, '');

  /**
   * One answer of the cursor search, each order read on its own: one that does not read is skipped with a
   * note, and `skipped` says so.
   */
  async function ordersUpdatedAfter(cursor: string): Promise<{ orders: FlxpointOrder[]; skipped: boolean }> {
    const response = await http.get('/orders', { orderUpdatedAt: cursor });
    const entries = parseWith(z.array(z.unknown()), response.data, 'an order list', 'flxpoint');
    let skipped = false;
    const orders = readEach(flxpointOrderSchema, entries, {
      log: options.log,
      what: 'an order list',
      system: 'flxpoint',
      onSkip: () => {
        skipped = true;
      },
    });
    return { orders, skipped };
  }

  return {
    system: 'flxpoint',

    async check() {
      // a call a reseller's channel token may make (it may get 403 on /account)
      const response = await http.get('/orders', { orderUpdatedAt: new Date(options.clock.now()).toISOString() });
      parseWith(z.array(z.unknown()), response.data, 'an order list', 'flxpoint');
      return { account: 'Flxpoint' };
    },

    async listOrdersUpdatedSince(startCursor): Promise<PortalOrderPage> {
      // Flxpoint's answer is a bare array of undocumented length, ascending by updatedAt: poll with a moving
      // cursor until an empty answer or one that brings no new id. An order updated before the cursor is not
      // part of the answer (a server that ignores the cursor sends it anyway); past CURSOR_MAX_PAGES the search
      // fails rather than running on.
      const byId = new Map<string, PortalOrder>();
      let cursor = startCursor ?? EPOCH_CURSOR;
      let nextCursor: string | null = startCursor;
      // once an order was skipped (it did not read), the cursor handed back stays before it: the next poll
      // reads it again, so the order looked for is never passed over for good
      let holdCursor = false;
      for (let page = 1; ; page += 1) {
        if (page > CURSOR_MAX_PAGES) {
          throw pageBudgetSpent(
            'Flxpoint',
            'orders',
            CURSOR_MAX_PAGES,
            'Flxpoint kept answering with orders updated after the cursor; run again later, and if it persists send a support bundle: onboard doctor --bundle onboard-support.json',
          );
        }
        const cursorMs = Date.parse(cursor);
        const answer = await ordersUpdatedAfter(cursor);
        holdCursor ||= answer.skipped;
        const orders = answer.orders.filter((order) => {
          const updatedMs = Date.parse(order.updatedAt ?? '');
          return !Number.isFinite(updatedMs) || updatedMs >= cursorMs;
        });
        if (!orders.some((order) => !byId.has(order.id))) break;
        // a later copy of an order replaces the earlier one (it was updated in between)
        for (const order of orders) byId.set(order.id, toPortalOrder(order));
        const updatedAtMs = orders.map((order) => Date.parse(order.updatedAt ?? '')).filter(Number.isFinite);
        if (updatedAtMs.length === 0) break;
        const candidate = cursorBefore(updatedAtMs.reduce((latest, ms) => Math.max(latest, ms)));
        // a cursor that does not move forward would only get the same answer again
        if (Date.parse(candidate) <= Date.parse(cursor)) break;
        cursor = candidate;
        if (!holdCursor) nextCursor = candidate;
      }
      return { orders: [...byId.values()], cursor: nextCursor };
    },

    async getOrder(id) {
      if (!/^\d+$/.test(id)) throw new NotFoundError(`"${id}" is not a Flxpoint order id (digits only)`);
      try {
        const response = await http.get(`/orders/${id}`);
        const order = parseWith(flxpointOrderSchema, response.data, 'an order', 'flxpoint');
        if (order.id !== id) {
          throw new UpstreamError('unexpected_response', `Flxpoint answered the request for order ${id} with order ${order.id}`, {
            hint: 'Check the Flxpoint API address: the answer came for another order than the one asked for.',
          });
        }
        return toPortalOrder(order);
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new NotFoundError(`Flxpoint has no order with id ${id} for this token`, {
            hint: 'Check the order id in the dealer portal.',
            cause: error,
          });
        }
        throw error;
      }
    },

    async listShipments(orderId) {
      const byId = new Map<string, PortalShipment>();
      for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
        const response = await http.get('/shipments', {
          findByOrderId: orderId,
          filterPageNumber: pageNumber,
          filterPageSize: SHIPMENT_PAGE_SIZE,
        });
        const shipments = parseWith(flxpointShipmentListSchema, response.data, 'a shipment list', 'flxpoint');
        const fresh = shipments.filter((shipment) => !byId.has(shipment.id));
        for (const shipment of fresh) byId.set(shipment.id, toPortalShipment(shipment));
        // a short or empty page is the last; a page of nothing new means the server ignores paging
        if (shipments.length < SHIPMENT_PAGE_SIZE || fresh.length === 0) break;
      }
      return [...byId.values()];
    },

    orderPageUrl(id) {
      // The dealer portal's address is the supplier's own; without it onboard names the clicks only.
      return portalUrl ? `${portalUrl.replace(/\/+$/, '')}/orders/${encodeURIComponent(id)}` : null;
    },
  };
}
