import { afterEach, describe, expect, it } from 'vitest';
import { createFlxpointPortal, cursorBefore } from '../../src/adapters/flxpoint/client.js';
import { numberToDecimalText } from '../../src/adapters/flxpoint/schemas.js';
import { AuthRejectedError, NotFoundError, UpstreamError } from '../../src/core/errors.js';
import { FLX_TOKENS, startFakeFlxpoint } from '../../fakes/flxpoint.js';
import { createRecordingClock, startFakeServer, type FakeServer } from '../helpers/fake-server.js';

const TOKEN = 'flx-reseller-token-abcdef123456';
const EPOCH = '1970-01-01T00:00:00.000Z';

// The one fake serves every test its state or faults can express; `server` gives a route of its own only to
// answers no portal state gives (malformed bodies, a server that misbehaves).
let server: FakeServer;
let closeFake: (() => Promise<void>) | undefined;

afterEach(async () => {
  await server?.close();
  await closeFake?.();
  closeFake = undefined;
});

function portal(extra: { portalUrl?: string; log?: (l: string) => void } = {}) {
  const clock = createRecordingClock(Date.parse('2026-02-01T00:00:00.000Z'));
  return { clock, flxpoint: createFlxpointPortal({ token: TOKEN, apiUrl: server.url, clock, ...extra }) };
}

/** The one Flxpoint fake (fakes/flxpoint.ts) and a portal client with `token` (the reseller token by default). */
async function fakePortal(options: { pageSize?: number; ignoreCursor?: boolean } = {}, token: string = FLX_TOKENS.reseller) {
  const clock = createRecordingClock(Date.parse('2026-02-01T00:00:00.000Z'));
  const fake = await startFakeFlxpoint({ now: clock.now, ...options });
  closeFake = () => fake.close();
  const lines: string[] = [];
  const flxpoint = createFlxpointPortal({ token, apiUrl: fake.url, clock, log: (line) => lines.push(line) });
  return { fake, flxpoint, clock, lines };
}

/** An order shaped like Flxpoint's GET /orders/{id} (fields from its reference; most may be absent). */
function flxOrder(id: number, updatedAt: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    orderNumber: `${1000 + id}`,
    referenceNumber: `#${1000 + id}`,
    orderTotal: 17.05,
    orderedAt: '2026-01-10T10:00:00Z',
    insertedAt: '2026-01-10T10:00:05Z',
    updatedAt,
    shippingText: 'Standard Shipping',
    acknowledgedStatus: 'Not Started',
    shippedStatus: 'Not Started',
    orderStatus: 'Open',
    shippingAddress: { name: 'Bob', postal: '40202' },
    ...overrides,
  };
}

function shipment(id: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    trackingNumber: `1Z${id}`,
    trackingUrl: null,
    carrier: 'UPS',
    method: 'Ground',
    shippedAt: '2026-01-12T10:00:00Z',
    insertedAt: '2026-01-12T10:00:00Z',
    orderId: 77,
    suppressed: false,
    syncedToChannel: false,
    syncError: null,
    shipmentItems: [{ sku: 'A', quantity: 1 }],
    ...overrides,
  };
}

describe('flxpoint: auth and check', () => {
  it('sends X-API-TOKEN (never Authorization) and checks with GET /orders?orderUpdatedAt=<now>', async () => {
    const { fake, flxpoint } = await fakePortal();
    expect(await flxpoint.check()).toEqual({ account: 'Flxpoint' });
    const [request] = fake.server.requests;
    expect(request?.headers['x-api-token']).toBe(FLX_TOKENS.reseller);
    expect(request?.headers['authorization']).toBeUndefined();
    expect(request?.query).toEqual({ orderUpdatedAt: '2026-02-01T00:00:00.000Z' });
    expect(fake.server.unhandled).toEqual([]);
    expect(flxpoint.system).toBe('flxpoint');
  });

  it('401 → AuthRejectedError pointing at the Reseller Portal token', async () => {
    // a token the portal does not know
    const { fake, flxpoint, lines } = await fakePortal({}, TOKEN);
    const error = await flxpoint.check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect((error as AuthRejectedError).system).toBe('flxpoint');
    expect((error as AuthRejectedError).hint).toContain('Reseller (Dealer) Portal');
    expect(fake.server.requests).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('403 → AuthRejectedError saying the token type lacks order access', async () => {
    // a Source token: shipments, not orders
    const { flxpoint } = await fakePortal({}, FLX_TOKENS.source);
    const error = await flxpoint.check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRejectedError);
    expect((error as Error).message).toContain('token type');
  });

  it('recovers from a 429 without Retry-After by backing off', async () => {
    server = await startFakeServer({
      'GET /orders': (_request, call) => (call === 0 ? { status: 429, body: 'Too Many Requests' } : { body: [] }),
    });
    const { flxpoint, clock } = portal();
    expect(await flxpoint.check()).toEqual({ account: 'Flxpoint' });
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1_000);
  });

  it('treats an error body as opaque text (never parses its JSON)', async () => {
    server = await startFakeServer({ 'GET /orders/:id': () => ({ status: 400, body: '{"errors": 5, "weird": [' }) });
    const { flxpoint } = portal();
    const error = (await flxpoint.getOrder('12').catch((e: unknown) => e)) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.code).toBe('upstream_error');
    expect(error.status).toBe(400);
  });
});

describe('flxpoint: polling orders with the orderUpdatedAt cursor', () => {
  it('loops over bare arrays, de-duplicates by id, moves the cursor to last updatedAt − 1 ms and stops', async () => {
    const clock = createRecordingClock(Date.parse('2026-02-01T00:00:00.000Z'));
    // the one Flxpoint fake, answering at most 3 orders (Flxpoint's answer length is undocumented)
    const fake = await startFakeFlxpoint({ now: clock.now, pageSize: 3 });
    closeFake = () => fake.close();
    const updated = [
      '2026-01-10T10:00:00.000Z',
      '2026-01-10T11:00:00.000Z',
      '2026-01-10T12:00:00.000Z',
      '2026-01-10T12:00:00.000Z',
      '2026-01-10T13:30:00.250Z',
    ];
    // #4 shares the millisecond of #3, on the next answer
    const ids = updated.map((at, i) => fake.addOrder({ orderNumber: String(1001 + i), orderTotal: 17.05, updatedAt: Date.parse(at) }).id);
    const flxpoint = createFlxpointPortal({ token: FLX_TOKENS.reseller, apiUrl: fake.url, clock });
    const page = await flxpoint.listOrdersUpdatedSince(null);
    expect(page.orders.map((order) => order.id)).toEqual(ids.map(String));
    expect(page.cursor).toBe('2026-01-10T13:30:00.249Z');
    expect(fake.server.requests.map((request) => request.query['orderUpdatedAt'])).toEqual([
      EPOCH,
      '2026-01-10T11:59:59.999Z', // last of [1,2,3] minus 1 ms: #3 comes again with #4 and #5
      '2026-01-10T13:30:00.249Z', // brings #5 again only: no new id, stop
    ]);
    expect(fake.server.unhandled).toEqual([]);
    expect(fake.throttled).toEqual([]);
    // 2 requests a second per token
    expect(clock.sleeps).toEqual([500, 500]);
  });

  it('starts from the given cursor and returns it unchanged when nothing new came', async () => {
    const { fake, flxpoint } = await fakePortal();
    fake.addOrder({ orderNumber: '1001', orderTotal: 17.05, updatedAt: Date.parse('2026-01-10T10:00:00.000Z') });
    const page = await flxpoint.listOrdersUpdatedSince('2026-01-20T00:00:00.000Z');
    expect(page).toEqual({ orders: [], cursor: '2026-01-20T00:00:00.000Z' });
    expect(fake.server.requests.map((request) => request.query['orderUpdatedAt'])).toEqual(['2026-01-20T00:00:00.000Z']);
  });

  it('stops when a server ignores the cursor and answers the same orders again', async () => {
    const { fake, flxpoint } = await fakePortal({ ignoreCursor: true });
    const ids = ['2026-01-10T10:00:00.000Z', '2026-01-10T11:00:00.000Z'].map(
      (at, i) => fake.addOrder({ orderNumber: String(1001 + i), orderTotal: 17.05, updatedAt: Date.parse(at) }).id,
    );
    const page = await flxpoint.listOrdersUpdatedSince(null);
    expect(page.orders.map((order) => order.id)).toEqual(ids.map(String));
    expect(page.cursor).toBe('2026-01-10T10:59:59.999Z');
    expect(fake.server.requests).toHaveLength(2);
  });

  it('an order updated before the cursor is not part of the answer, and the cursor never moves backwards', async () => {
    server = await startFakeServer({ 'GET /orders': () => ({ body: [flxOrder(1, '2026-01-10T10:00:00.000Z')] }) });
    const { flxpoint } = portal();
    const page = await flxpoint.listOrdersUpdatedSince('2026-01-20T00:00:00.000Z');
    expect(page.orders).toEqual([]);
    expect(page.cursor).toBe('2026-01-20T00:00:00.000Z');
    expect(server.requests).toHaveLength(1);
  });

  it('cursorBefore subtracts exactly one millisecond', () => {
    expect(cursorBefore(Date.parse('2026-01-10T00:00:00.000Z'))).toBe('2026-01-09T23:59:59.999Z');
  });

  it('a list entry that does not read is skipped with a --verbose note; the others are the answer', async () => {
    server = await startFakeServer({ 'GET /orders': () => ({ body: [flxOrder(1, '2026-01-10T10:00:00Z'), { orderNumber: 'x' }] }) });
    const lines: string[] = [];
    const { flxpoint } = portal({ log: (line) => lines.push(line) });
    const page = await flxpoint.listOrdersUpdatedSince(null);
    expect(page.orders.map((order) => order.id)).toEqual(['1']);
    expect(lines.some((line) => /skipped order without a readable id in an order list: onboard cannot read its id/.test(line))).toBe(true);
    // the cursor handed back stays before the skipped order, so the next poll reads it again
    expect(page.cursor).toBeNull();
  });

  it('an order read by id must be the one asked for', async () => {
    server = await startFakeServer({ 'GET /orders/:id': () => ({ body: flxOrder(8, '2026-01-10T10:00:00Z') }) });
    const { flxpoint } = portal();
    await expect(flxpoint.getOrder('7')).rejects.toMatchObject({ code: 'unexpected_response', message: expect.stringContaining('with order 8') });
  });

  it('a page where no entry reads → unexpected_response naming the field', async () => {
    server = await startFakeServer({ 'GET /orders': () => ({ body: [{ orderNumber: 'x' }, { orderNumber: 'y' }] }) });
    const { flxpoint } = portal();
    await expect(flxpoint.listOrdersUpdatedSince(null)).rejects.toMatchObject({ code: 'unexpected_response', message: expect.stringContaining('id') });
  });
});

describe('flxpoint: one order', () => {
  it('reads GET /orders/{id} with embedded fulfillmentRequests, exact total and verbatim statuses', async () => {
    server = await startFakeServer({
      'GET /orders/:id': (request) => ({
        body: flxOrder(Number(request.params['id']), '2026-01-11T09:00:00Z', {
          orderStatus: 'No Shipping Method',
          shippedStatus: 'Partially Completed',
          orderTotal: 598.94,
          paymentStatus: 'Declined',
          fulfillmentRequests: [
            { id: 9001, fulfillmentRequestNumber: 'FR-1001-1', status: 'Processing Error' },
            { id: 9002 }, // fields may be absent
            { id: 9003, fulfillmentRequestNumber: 1001, status: null },
          ],
        }),
      }),
    });
    const { flxpoint } = portal();
    const order = await flxpoint.getOrder('77');
    expect(server.requests[0]?.path).toBe('/orders/77');
    expect(order).toEqual({
      id: '77',
      orderNumber: '1077',
      referenceNumber: '#1077',
      orderStatus: 'No Shipping Method',
      shippedStatus: 'Partially Completed',
      orderTotal: '598.94',
      insertedAt: '2026-01-10T10:00:05Z',
      updatedAt: '2026-01-11T09:00:00Z',
      shippingText: 'Standard Shipping',
      paymentStatus: 'Declined',
      fulfillmentRequests: [
        { id: '9001', number: 'FR-1001-1', status: 'Processing Error' },
        { id: '9002', number: null, status: null },
        { id: '9003', number: '1001', status: null },
      ],
    });
  });

  it('absent optional fields become null, and no fulfillment request is an empty list', async () => {
    server = await startFakeServer({ 'GET /orders/:id': () => ({ body: { id: 5 } }) });
    const { flxpoint } = portal();
    expect(await flxpoint.getOrder('5')).toEqual({
      id: '5',
      orderNumber: null,
      referenceNumber: null,
      orderStatus: null,
      shippedStatus: null,
      orderTotal: null,
      insertedAt: null,
      updatedAt: null,
      shippingText: null,
      paymentStatus: null,
      fulfillmentRequests: [],
    });
  });

  it('404 → NotFoundError', async () => {
    const { fake, flxpoint } = await fakePortal();
    await expect(flxpoint.getOrder('404')).rejects.toBeInstanceOf(NotFoundError);
    expect(fake.server.requests).toHaveLength(1);
  });

  it('reads JSON numbers through their shortest round-trip text', () => {
    expect(numberToDecimalText(17.05)).toBe('17.05');
    expect(numberToDecimalText(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(numberToDecimalText(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimalText(5e-7)).toBe('0.0000005');
    expect(numberToDecimalText(-12)).toBe('-12');
  });

  it('orderPageUrl links into the dealer portal when its address is known', async () => {
    server = await startFakeServer();
    expect(portal({ portalUrl: 'https://dealers.example.com/' }).flxpoint.orderPageUrl('77')).toBe('https://dealers.example.com/orders/77');
    expect(portal().flxpoint.orderPageUrl('77')).toBeNull();
  });
});

describe('flxpoint: shipments', () => {
  it('pages with findByOrderId / filterPageNumber / filterPageSize=100 until a short page', async () => {
    const clock = createRecordingClock(Date.parse('2026-02-01T00:00:00.000Z'));
    const fake = await startFakeFlxpoint({ now: clock.now });
    closeFake = () => fake.close();
    const order = fake.addOrder({ orderNumber: '1077', orderTotal: 17.05 });
    const other = fake.addOrder({ orderNumber: '1078', orderTotal: 9.5 });
    const first = fake.ship(order.id, '1Z1');
    fake.ship(other.id, '1ZOTHER');
    for (let n = 2; n <= 205; n += 1) fake.ship(order.id, `1Z${n}`);
    const flxpoint = createFlxpointPortal({ token: FLX_TOKENS.reseller, apiUrl: fake.url, clock });
    const shipments = await flxpoint.listShipments(String(order.id));
    expect(shipments).toHaveLength(205);
    expect(shipments.map((s) => s.trackingNumber)).not.toContain('1ZOTHER');
    expect(fake.server.requests.map((request) => request.query)).toEqual([
      { findByOrderId: String(order.id), filterPageNumber: '1', filterPageSize: '100' },
      { findByOrderId: String(order.id), filterPageNumber: '2', filterPageSize: '100' },
      { findByOrderId: String(order.id), filterPageNumber: '3', filterPageSize: '100' },
    ]);
    expect(clock.sleeps).toEqual([500, 500]);
    expect(shipments[0]).toEqual({
      id: String(first.id),
      trackingNumber: '1Z1',
      carrier: 'UPS',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z1',
      shippedAt: '2026-02-01T00:00:00.000Z',
      syncError: null,
      suppressed: false,
      syncedToChannel: true,
    });
  });

  it('stops on an empty page after a full one, and maps absent flags', async () => {
    const full = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, trackingNumber: `T${i}` }));
    server = await startFakeServer({
      'GET /shipments': (request) => ({ body: request.query['filterPageNumber'] === '1' ? full : [] }),
    });
    const { flxpoint } = portal();
    const shipments = await flxpoint.listShipments('8');
    expect(shipments).toHaveLength(100);
    expect(shipments[0]).toMatchObject({ suppressed: false, syncedToChannel: null, syncError: null, carrier: null });
    expect(server.requests).toHaveLength(2);
  });

  it('keeps a syncError and suppressed flag', async () => {
    server = await startFakeServer({
      'GET /shipments': () => ({ body: [shipment(3, { syncError: 'Order not found on channel', suppressed: true, syncedToChannel: null })] }),
    });
    const { flxpoint } = portal();
    const [only] = await flxpoint.listShipments('77');
    expect(only).toMatchObject({ syncError: 'Order not found on channel', suppressed: true, syncedToChannel: null });
  });
});
