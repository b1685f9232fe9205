// A Flxpoint-compatible server for tests, with the documented behaviour (research/portal-apis.md §1, §5):
// X-API-TOKEN (never Bearer); token types (a reseller/channel token gets 403 on /account and on
// /fulfillment-requests, an unknown token 401, bodies undocumented: plain text); GET /orders with an
// orderUpdatedAt cursor answering bare arrays in ascending updatedAt, of undocumented length; GET /orders/{id}
// with embedded fulfillmentRequests; GET /shipments with findByOrderId and filterPage*; PATCH
// /orders/{id}/status answering 201; exact status strings; 2 requests per second per token, else 429 without
// Retry-After. Time comes from `now()`, so a test's virtual clock drives the rate limit too.
import { startFakeServer, type FakeReply, type FakeServer, type RecordedRequest } from '../helpers/fake-server.js';

export interface FlxOrderState {
  id: number;
  orderNumber: string;
  referenceNumber: string;
  orderTotal: number;
  orderStatus: string;
  shippedStatus: string;
  acknowledgedStatus: string;
  shippingText: string;
  insertedAt: number;
  updatedAt: number;
  fulfillmentRequests: { id: number; fulfillmentRequestNumber: string; status: string }[];
}

export interface FlxShipmentState {
  id: number;
  orderId: number;
  trackingNumber: string;
  carrier: string;
  trackingUrl: string;
  shippedAt: number;
  insertedAt: number;
  updatedAt: number;
  syncError: string | null;
  suppressed: boolean;
}

export interface FakeFlxpoint {
  server: FakeServer;
  url: string;
  orders: FlxOrderState[];
  shipments: FlxShipmentState[];
  /** every request answers this status (a revoked token: 401; a token without the API: 403) */
  reject: 401 | 403 | null;
  /** requests answered 429 */
  throttled: RecordedRequest[];
  /** time of every request that reached a route, in the fake's clock */
  requestTimes: number[];
  addOrder(order: Partial<FlxOrderState> & { orderNumber: string; orderTotal: number }): FlxOrderState;
  /** what the dealer's "Authorize Order for Payment" click leads to: a fulfillment request */
  authorize(orderId: number): void;
  ship(orderId: number, trackingNumber: string, options?: { syncError?: string | null }): FlxShipmentState;
  close(): Promise<void>;
}

export const FLX_TOKENS = { reseller: 'fx_reseller_1234567890', account: 'fx_account_1234567890', source: 'fx_source_1234567890' } as const;

const PAGE = 25;
const iso = (ms: number) => new Date(ms).toISOString();

export async function startFakeFlxpoint(options: {
  now: () => number;
  rateLimitPerSecond?: number;
  pageSize?: number;
  /** fault: GET /orders ignores orderUpdatedAt and answers from the oldest order every time */
  ignoreCursor?: boolean;
}): Promise<FakeFlxpoint> {
  const { now } = options;
  const perSecond = options.rateLimitPerSecond ?? 2;
  const pageSize = options.pageSize ?? PAGE;
  const orders: FlxOrderState[] = [];
  const shipments: FlxShipmentState[] = [];
  const throttled: RecordedRequest[] = [];
  const requestTimes: number[] = [];
  const recent = new Map<string, number[]>();
  let nextId = 700_001;

  const text = (status: number, body: string): FakeReply => ({ status, headers: { 'content-type': 'text/plain' }, body });

  /** Auth and the per-token bucket; returns a reply when the request is refused. */
  const gate = (request: RecordedRequest, allowed: (keyof typeof FLX_TOKENS)[]): FakeReply | null => {
    if (fake.reject) return text(fake.reject, fake.reject === 401 ? 'Unauthorized' : 'Forbidden');
    if (request.headers.authorization) return text(401, 'Unauthorized');
    const token = String(request.headers['x-api-token'] ?? '');
    const type = (Object.keys(FLX_TOKENS) as (keyof typeof FLX_TOKENS)[]).find((key) => FLX_TOKENS[key] === token);
    if (!type) return text(401, 'Unauthorized');
    const t = now();
    const window = (recent.get(token) ?? []).filter((at) => t - at < 1000);
    if (window.length >= perSecond) {
      throttled.push(request);
      recent.set(token, window);
      return text(429, 'Too Many Requests');
    }
    window.push(t);
    recent.set(token, window);
    requestTimes.push(t);
    if (!allowed.includes(type)) return text(403, 'Forbidden');
    return null;
  };

  const onlyParams = (request: RecordedRequest, allowed: string[]): FakeReply | null => {
    const unknown = [...request.search.keys()].filter((key) => !allowed.includes(key));
    return unknown.length ? text(400, `Unsupported parameter: ${unknown.join(', ')}`) : null;
  };

  const orderJson = (o: FlxOrderState) => ({
    id: o.id,
    orderNumber: o.orderNumber,
    referenceNumber: o.referenceNumber,
    orderTotal: o.orderTotal,
    orderStatus: o.orderStatus,
    shippedStatus: o.shippedStatus,
    acknowledgedStatus: o.acknowledgedStatus,
    shippingText: o.shippingText,
    importedFrom: 'Inventory Source',
    orderedAt: iso(o.insertedAt),
    insertedAt: iso(o.insertedAt),
    updatedAt: iso(o.updatedAt),
    fulfillmentRequests: o.fulfillmentRequests,
  });
  const shipmentJson = (s: FlxShipmentState) => ({
    id: s.id,
    orderId: s.orderId,
    trackingNumber: s.trackingNumber,
    carrier: s.carrier,
    method: 'Ground',
    trackingUrl: s.trackingUrl,
    shippedAt: iso(s.shippedAt),
    insertedAt: iso(s.insertedAt),
    updatedAt: iso(s.updatedAt),
    syncedToChannel: s.syncError === null,
    syncError: s.syncError,
    suppressed: s.suppressed,
    shipmentItems: [],
  });

  const server = await startFakeServer({
    'GET /account': (request) => gate(request, ['account']) ?? { body: { id: 1, subdomain: 'usdirect', brandName: 'US Direct' } },
    'GET /fulfillment-requests': (request) => gate(request, ['account', 'source']) ?? { body: [] },
    'GET /orders': (request) => {
      const refused = gate(request, ['reseller', 'account']) ?? onlyParams(request, ['orderUpdatedAt', 'fulfillmentRequestsUpdatedAt', 'shipmentsUpdatedAt']);
      if (refused) return refused;
      const cursor = request.query.orderUpdatedAt && !options.ignoreCursor ? Date.parse(request.query.orderUpdatedAt) : -Infinity;
      if (Number.isNaN(cursor)) return text(400, 'Bad Request');
      const page = orders
        .filter((o) => o.updatedAt > cursor)
        .sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id)
        .slice(0, pageSize)
        .map(orderJson);
      return { body: page };
    },
    'GET /orders/:id': (request) => {
      const refused = gate(request, ['reseller', 'account']) ?? onlyParams(request, []);
      if (refused) return refused;
      const order = orders.find((o) => String(o.id) === request.params.id);
      return order ? { body: orderJson(order) } : text(404, 'Not Found');
    },
    'PATCH /orders/:id/status': (request) => {
      const refused = gate(request, ['reseller', 'account']) ?? onlyParams(request, ['status', 'updateNote']);
      if (refused) return refused;
      const order = orders.find((o) => String(o.id) === request.params.id);
      if (!order) return text(404, 'Not Found');
      const allowed = ['Open', 'Closed', 'Canceled', 'On Hold', 'Failed', 'No Shipping Method', 'Not Managed'];
      if (!allowed.includes(request.query.status ?? '')) return text(400, 'Bad Request');
      order.orderStatus = request.query.status as string;
      order.updatedAt = now();
      return { status: 201, body: orderJson(order) };
    },
    'GET /shipments': (request) => {
      const refused =
        gate(request, ['reseller', 'account', 'source']) ??
        onlyParams(request, ['findByOrderId', 'findByPurchaseOrderId', 'filterCreatedAfter', 'filterUpdatedAfter', 'filterPageNumber', 'filterPageSize']);
      if (refused) return refused;
      const size = Number(request.query.filterPageSize ?? 50);
      const number = Number(request.query.filterPageNumber ?? 1);
      const list = shipments
        .filter((s) => !request.query.findByOrderId || String(s.orderId) === request.query.findByOrderId)
        .sort((a, b) => a.insertedAt - b.insertedAt)
        .slice((number - 1) * size, number * size)
        .map(shipmentJson);
      return { body: list };
    },
  });

  const fake: FakeFlxpoint = {
    reject: null,
    server,
    url: server.url,
    orders,
    shipments,
    throttled,
    requestTimes,
    addOrder(partial) {
      const t = now();
      const order: FlxOrderState = {
        id: nextId++,
        referenceNumber: `#${partial.orderNumber}`,
        orderStatus: 'Open',
        shippedStatus: 'Not Started',
        acknowledgedStatus: 'Not Started',
        shippingText: 'Standard Shipping',
        insertedAt: t,
        updatedAt: t,
        fulfillmentRequests: [],
        ...partial,
      };
      orders.push(order);
      return order;
    },
    authorize(orderId) {
      const order = orders.find((o) => o.id === orderId);
      if (!order || order.fulfillmentRequests.length > 0) return;
      order.fulfillmentRequests.push({ id: nextId++, fulfillmentRequestNumber: `${order.orderNumber}-1`, status: 'Processed' });
      order.updatedAt = now();
    },
    ship(orderId, trackingNumber, shipOptions = {}) {
      const t = now();
      const order = orders.find((o) => o.id === orderId);
      const shipment: FlxShipmentState = {
        id: nextId++,
        orderId,
        trackingNumber,
        carrier: 'UPS',
        trackingUrl: `https://www.ups.com/track?tracknum=${trackingNumber}`,
        shippedAt: t,
        insertedAt: t,
        updatedAt: t,
        syncError: shipOptions.syncError ?? null,
        suppressed: false,
      };
      shipments.push(shipment);
      if (order) {
        order.shippedStatus = 'Completed';
        order.orderStatus = 'Closed';
        order.updatedAt = t;
        for (const fr of order.fulfillmentRequests) fr.status = 'Acknowledged';
      }
      return shipment;
    },
    close: () => server.close(),
  };
  return fake;
}
