// The Flxpoint fake of the tests and the benchmarks: the sandbox's Flxpoint protocol
// (src/sandbox/protocols/flxpoint.ts, which documents what it serves) backed in memory, with the three token
// types and the rate limit of 2 requests a second per token (429 without Retry-After). Time comes from `now()`,
// so a test's virtual clock drives the rate limit too. Tests change the portal through this API (add an
// order, the dealer's authorize click, a shipment) or its state directly; network faults are the test-only
// proxy's (test/helpers/fake-server.ts).
import { createFlxpointProtocol, type FlxTokenType } from '../src/sandbox/protocols/flxpoint.js';
import { startProtocolServer, type ProtocolServer, type RecordedRequest } from './serve.js';

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
  server: ProtocolServer;
  url: string;
  orders: FlxOrderState[];
  shipments: FlxShipmentState[];
  /** every request answers this status (a revoked token: 401; a token without the API: 403) */
  reject: 401 | 403 | null;
  /** requests answered 429 */
  throttled: RecordedRequest[];
  /** time of every request the rate limit admitted, in the fake's clock */
  requestTimes: number[];
  addOrder(order: Partial<FlxOrderState> & { orderNumber: string; orderTotal: number }): FlxOrderState;
  /** what the dealer's "Authorize Order for Payment" click leads to: a fulfillment request */
  authorize(orderId: number): void;
  ship(orderId: number, trackingNumber: string, options?: { syncError?: string | null }): FlxShipmentState;
  close(): Promise<void>;
}

export const FLX_TOKENS = { reseller: 'fx_reseller_1234567890', account: 'fx_account_1234567890', source: 'fx_source_1234567890' } as const;

const iso = (ms: number) => new Date(ms).toISOString();

export async function startFakeFlxpoint(options: {
  now: () => number;
  rateLimitPerSecond?: number;
  /** how many orders one GET /orders answers at most (default 25) */
  pageSize?: number;
  /** fault: GET /orders ignores orderUpdatedAt and answers from the oldest order every time */
  ignoreCursor?: boolean;
}): Promise<FakeFlxpoint> {
  const { now } = options;
  const orders: FlxOrderState[] = [];
  const shipments: FlxShipmentState[] = [];
  const throttled: RecordedRequest[] = [];
  const requestTimes: number[] = [];
  let nextId = 700_001;
  const protocol = createFlxpointProtocol({
    ordersPerAnswer: options.pageSize,
    rateLimit: { perSecond: options.rateLimitPerSecond ?? 2, now, onAdmitted: (at) => requestTimes.push(at) },
  });

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
    fulfillmentRequests: o.fulfillmentRequests.map((request) => ({ ...request, orderId: o.id, updatedAt: iso(o.updatedAt) })),
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
  const tokenType = (token: string): FlxTokenType | null => (Object.keys(FLX_TOKENS) as FlxTokenType[]).find((type) => FLX_TOKENS[type] === token) ?? null;

  const server = await startProtocolServer((request, recorded) => {
    if (fake.reject) return { status: fake.reject, text: fake.reject === 401 ? 'Unauthorized' : 'Forbidden' };
    if (options.ignoreCursor) request.query.delete('orderUpdatedAt');
    const reply = protocol.answer(request, {
      tokenType,
      orders: () => orders.map(orderJson),
      shipments: () => shipments.map(shipmentJson),
      account: () => ({ id: 1, subdomain: 'usdirect', brandName: 'US Direct' }),
    });
    if (reply.status === 429) throttled.push(recorded);
    return reply;
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
