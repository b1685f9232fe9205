// The Flxpoint API as onboard uses it (research/portal-apis.md §1, §5), over a backing store: the sandbox backs
// it with its world (../server.ts), the tests' fake with memory (fakes/flxpoint.ts). One implementation, so the
// sandbox and the tests cannot disagree about the protocol.
//
// X-API-TOKEN (never Bearer: a request with an Authorization header is 401); token types (a reseller/channel
// token gets 403 on /account and /fulfillment-requests; an unknown token 401); error bodies are undocumented:
// plain text. GET /orders with the orderUpdatedAt cursor (and fulfillmentRequestsUpdatedAt, shipmentsUpdatedAt)
// answers a bare array in ascending updatedAt, of undocumented length; GET /orders/{id}; GET /shipments with
// findByOrderId, findByPurchaseOrderId, filterCreatedAfter, filterUpdatedAfter and filterPage*; GET
// /shipments/{id}. Any other query parameter is refused (400), as is any other endpoint. Optionally the rate
// limit: `perSecond` requests a second per token, else 429 without Retry-After.
import { parseDateParam, type ProtocolReply, type ProtocolRequest } from './http.js';

export type FlxTokenType = 'reseller' | 'account' | 'source';

/** An order as GET /orders/{id} answers it; the protocol reads only these fields. */
export interface FlxpointOrderView {
  id: number;
  updatedAt: string;
  fulfillmentRequests: { updatedAt?: string }[];
}

/** A shipment as GET /shipments answers it; the protocol reads only these fields. */
export interface FlxpointShipmentView {
  id: number;
  orderId: number;
  purchaseOrderId?: number;
  insertedAt: string;
  updatedAt: string;
}

/** What the protocol reads: a snapshot of the portal as the API would show it. */
export interface FlxpointStore<O extends FlxpointOrderView = FlxpointOrderView, S extends FlxpointShipmentView = FlxpointShipmentView> {
  /** the kind of a token, null when the portal does not know it */
  tokenType(token: string): FlxTokenType | null;
  orders(): O[];
  shipments(): S[];
  /** GET /account for an Account token */
  account?(): unknown;
}

export interface FlxpointProtocolOptions {
  /** how many orders one GET /orders answers at most (Flxpoint documents none; default 25) */
  ordersPerAnswer?: number;
  /** the per-token rate limit; without it every request is admitted */
  rateLimit?: {
    perSecond: number;
    now: () => number;
    /** hears each request admitted by the limit, with its time */
    onAdmitted?: (at: number) => void;
  };
}

export interface FlxpointProtocol {
  answer(request: ProtocolRequest, store: FlxpointStore): ProtocolReply;
}

export const FLXPOINT_ORDERS_PER_ANSWER = 25;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 500;

class BadRequest extends Error {}

const text = (status: number, body: string, unserved = false): ProtocolReply => ({ status, text: body, ...(unserved ? { unserved } : {}) });

export function createFlxpointProtocol(options: FlxpointProtocolOptions = {}): FlxpointProtocol {
  const ordersPerAnswer = options.ordersPerAnswer ?? FLXPOINT_ORDERS_PER_ANSWER;
  const recent = new Map<string, number[]>();

  /** true when the token may make another request this second (and counts it) */
  function admit(token: string): boolean {
    const limit = options.rateLimit;
    if (!limit) return true;
    const t = limit.now();
    const window = (recent.get(token) ?? []).filter((at) => t - at < 1000);
    if (window.length >= limit.perSecond) {
      recent.set(token, window);
      return false;
    }
    window.push(t);
    recent.set(token, window);
    limit.onAdmitted?.(t);
    return true;
  }

  function answer(request: ProtocolRequest, store: FlxpointStore): ProtocolReply {
    const { method, path, query } = request;
    const token = request.headers['x-api-token'];
    const type = typeof token === 'string' && !request.headers.authorization ? store.tokenType(token) : null;
    if (!type) return text(401, 'Unauthorized: missing or invalid X-API-TOKEN');
    if (!admit(token as string)) return text(429, 'Too Many Requests');
    const forbidden = (what: string) => text(403, `Forbidden: ${what} needs an Account or Source token; this is a reseller channel token`);
    const notServed = text(400, `Bad Request: ${method} ${path} is not an endpoint of this API`, true);
    if (method !== 'GET') return notServed;
    try {
      if (path === '/account') {
        if (type !== 'account') return forbidden('GET /account');
        checkParams(query, []);
        return store.account ? { status: 200, json: store.account() } : notServed;
      }
      if (path === '/fulfillment-requests' || path === '/fulfillment-requests/count') {
        if (type === 'reseller') return forbidden(`GET ${path}`);
        // fulfillment requests are read through their orders here; the list itself is not modelled
        return path === '/fulfillment-requests' ? { status: 200, json: [] } : notServed;
      }
      if (type === 'source' && path.startsWith('/orders')) return text(403, `Forbidden: GET ${path} needs a reseller or Account token`);
      if (path === '/orders') return { status: 200, json: listOrders(store, query) };
      const orderMatch = /^\/orders\/([^/]+)$/.exec(path);
      if (orderMatch) {
        checkParams(query, []);
        const id = decodeURIComponent(orderMatch[1] as string);
        const order = store.orders().find((o) => String(o.id) === id);
        return order ? { status: 200, json: order } : text(404, `Not Found: no order ${id}`);
      }
      if (path === '/shipments') return { status: 200, json: listShipments(store, query) };
      const shipmentMatch = /^\/shipments\/([^/]+)$/.exec(path);
      if (shipmentMatch) {
        checkParams(query, []);
        const id = decodeURIComponent(shipmentMatch[1] as string);
        const shipment = store.shipments().find((s) => String(s.id) === id);
        return shipment ? { status: 200, json: shipment } : text(404, `Not Found: no shipment ${id}`);
      }
    } catch (error) {
      if (error instanceof BadRequest) return text(400, `Bad Request: ${error.message}`);
      throw error;
    }
    return notServed;
  }

  function listOrders(store: FlxpointStore, query: URLSearchParams): FlxpointOrderView[] {
    checkParams(query, ['orderUpdatedAt', 'fulfillmentRequestsUpdatedAt', 'shipmentsUpdatedAt']);
    const orderUpdatedAt = dateParam(query, 'orderUpdatedAt');
    const requestsUpdatedAt = dateParam(query, 'fulfillmentRequestsUpdatedAt');
    const shipmentsUpdatedAt = dateParam(query, 'shipmentsUpdatedAt');
    const shipments = shipmentsUpdatedAt === undefined ? [] : store.shipments();
    const after = (text: string | undefined, ms: number) => text !== undefined && Date.parse(text) > ms;
    return store
      .orders()
      .filter((order) => orderUpdatedAt === undefined || Date.parse(order.updatedAt) > orderUpdatedAt)
      .filter((order) => requestsUpdatedAt === undefined || order.fulfillmentRequests.some((r) => after(r.updatedAt, requestsUpdatedAt)))
      .filter((order) => shipmentsUpdatedAt === undefined || shipments.some((s) => s.orderId === order.id && after(s.updatedAt, shipmentsUpdatedAt)))
      .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.id - b.id)
      .slice(0, ordersPerAnswer);
  }

  return { answer };
}

function listShipments(store: FlxpointStore, query: URLSearchParams): FlxpointShipmentView[] {
  checkParams(query, ['findByOrderId', 'findByPurchaseOrderId', 'filterCreatedAfter', 'filterUpdatedAfter', 'filterPageNumber', 'filterPageSize']);
  const orderId = integerParam(query, 'findByOrderId', 1);
  const purchaseOrderId = integerParam(query, 'findByPurchaseOrderId', 1);
  const createdAfter = dateParam(query, 'filterCreatedAfter');
  const updatedAfter = dateParam(query, 'filterUpdatedAfter');
  const pageNumber = integerParam(query, 'filterPageNumber', 1) ?? 1;
  const pageSize = integerParam(query, 'filterPageSize', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  return store
    .shipments()
    .filter((s) => orderId === undefined || s.orderId === orderId)
    .filter((s) => purchaseOrderId === undefined || s.purchaseOrderId === purchaseOrderId)
    .filter((s) => createdAfter === undefined || Date.parse(s.insertedAt) > createdAfter)
    .filter((s) => updatedAfter === undefined || Date.parse(s.updatedAt) > updatedAfter)
    .sort((a, b) => Date.parse(a.insertedAt) - Date.parse(b.insertedAt) || a.id - b.id)
    .slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
}

function checkParams(query: URLSearchParams, allowed: readonly string[]): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key)) throw new BadRequest(`unknown query parameter ${key}`);
  }
}

function dateParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const ms = parseDateParam(text);
  if (Number.isNaN(ms)) throw new BadRequest(`${name} must be an ISO-8601 date-time`);
  return ms;
}

function integerParam(query: URLSearchParams, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new BadRequest(`${name} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`);
  return value;
}
