// The simulated world end to end over HTTP: each scenario's outcome as the vendors' APIs show it.
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, closeAll, openSandbox } from './harness.js';

afterEach(closeAll);

describe('sandbox scenarios', () => {
  it('happy: import at the boundary, authorize, ship after 2h, tracking on the store at the next boundary', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout();
    expect(placed).toMatchObject({ number: '1001', name: '#1001' });

    // Nothing is imported before the Order Manager's next run.
    expect(await sb.portalOrders()).toEqual([]);
    expect((await sb.control('GET', `order-manager/orders/${placed.id}`)).body).toMatchObject({ imported: false, importedAt: null, heldReason: null });

    await sb.advance(15 * MINUTE);
    const status = (await sb.control('GET', `order-manager/orders/${placed.id}`)).body;
    expect(status.imported).toBe(true);
    expect(new Date(status.importedAt).getTime() % (15 * MINUTE)).toBe(0);

    const portal = await sb.portalOrderFor('1001');
    expect(portal).toMatchObject({
      orderNumber: '1001',
      referenceNumber: '#1001',
      orderStatus: 'Open',
      paymentStatus: 'Not Authorized',
      acknowledgedStatus: 'Not Started',
      shippedStatus: 'Not Started',
      importedFrom: 'Inventory Source',
      shippingText: 'Standard Shipping',
      fulfillmentRequests: [],
    });
    expect(portal.orderTotal).toBe(Number(placed.total));

    const first = await sb.authorize(portal.id);
    expect(first).toMatchObject({ alreadyAuthorized: false, paymentStatus: 'Authorized' });
    const authorized = (await sb.flx(`/orders/${portal.id}`)).body;
    expect(authorized.paymentStatus).toBe('Authorized');
    expect(authorized.fulfillmentRequests).toHaveLength(1);
    expect(authorized.fulfillmentRequests[0]).toMatchObject({ fulfillmentRequestNumber: '1001-1', status: 'Processed' });

    // Not shipped before two hours have passed.
    await sb.advance(2 * HOUR - 1);
    expect(await sb.shipmentsOf(portal.id)).toEqual([]);
    await sb.advance(1);
    const [shipment] = await sb.shipmentsOf(portal.id);
    expect(shipment).toMatchObject({ orderId: portal.id, carrier: 'UPS', method: 'Ground', syncedToChannel: false, syncError: null, suppressed: false });
    expect(shipment.trackingNumber).toMatch(/^1Z999AA1\d{10}$/);
    const shipped = (await sb.flx(`/orders/${portal.id}`)).body;
    expect(shipped).toMatchObject({ orderStatus: 'Closed', shippedStatus: 'Completed' });
    expect(shipped.fulfillmentRequests[0].status).toBe('Acknowledged');
    expect((await sb.channelOrder(placed.id)).fulfillments).toEqual([]);

    await sb.advance(15 * MINUTE);
    const onStore = await sb.channelOrder(placed.id);
    expect(onStore.fulfillment_status).toBe('fulfilled');
    expect(onStore.fulfillments).toHaveLength(1);
    expect(onStore.fulfillments[0]).toMatchObject({
      order_id: Number(placed.id),
      status: 'success',
      tracking_company: 'UPS',
      tracking_number: shipment.trackingNumber,
      tracking_numbers: [shipment.trackingNumber],
      tracking_url: shipment.trackingUrl,
      name: '#1001.1',
    });
    const fulfillments = (await sb.shopify(`orders/${placed.id}/fulfillments.json`)).body.fulfillments;
    expect(fulfillments.map((f: any) => f.tracking_number)).toEqual([shipment.trackingNumber]);
    expect((await sb.shipmentsOf(portal.id))[0].syncedToChannel).toBe(true);
  });

  it('authorizing twice creates one fulfillment request', async () => {
    const sb = await openSandbox();
    await sb.checkout();
    await sb.advance(15 * MINUTE);
    const portal = await sb.portalOrderFor('1001');
    expect((await sb.authorize(portal.id)).alreadyAuthorized).toBe(false);
    expect((await sb.authorize(portal.id)).alreadyAuthorized).toBe(true);
    const [a, b] = await Promise.all([sb.authorize(portal.id), sb.authorize(portal.id)]);
    expect([a.alreadyAuthorized, b.alreadyAuthorized]).toEqual([true, true]);
    expect((await sb.flx(`/orders/${portal.id}`)).body.fulfillmentRequests).toHaveLength(1);
  });

  it('Order Sync imports a waiting order at once', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout();
    const sync = await sb.control('POST', 'order-manager/sync');
    expect(sync.body).toEqual({ imported: [placed.id] });
    expect((await sb.portalOrderFor('1001')).orderStatus).toBe('Open');
    expect((await sb.control('POST', 'order-manager/sync')).body).toEqual({ imported: [] });
  });

  it('unmapped-shipping: the portal order has No Shipping Method and the store shows the exact title', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout('unmapped-shipping');
    expect((await sb.channelOrder(placed.id)).shipping_lines[0].title).toBe('Economy Saver (5-9 days)');
    await sb.advance(15 * MINUTE);
    const portal = await sb.portalOrderFor('1001');
    expect(portal).toMatchObject({ orderStatus: 'No Shipping Method', shippingText: 'Economy Saver (5-9 days)' });
  });

  it('missing-phone: the address has no phone and the Order Manager holds the order', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout('missing-phone');
    const order = await sb.channelOrder(placed.id);
    expect(order.shipping_address.phone).toBeNull();
    expect(order.shipping_address.zip).toBe('40202');
    await sb.advance(15 * MINUTE);
    expect((await sb.control('POST', 'order-manager/sync')).body).toEqual({ imported: [] });
    const status = (await sb.control('GET', `order-manager/orders/${placed.id}`)).body;
    expect(status.imported).toBe(false);
    expect(status.heldReason).toMatch(/phone/);
    await sb.advance(3 * DAY);
    expect(await sb.portalOrders()).toEqual([]);
  });

  it('over-limit: that order gets auto-authorize with a maximum of its total minus 1.00; saved settings untouched', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout('over-limit');
    await sb.advance(15 * MINUTE);
    const portal = await sb.portalOrderFor('1001');
    const expectedMax = (Math.round(Number(placed.total) * 100) - 100) / 100;
    const rule = (await sb.control('GET', `portal/orders/${portal.id}/settings`)).body;
    expect(rule).toEqual({ autoAuthorize: true, maxOrderTotal: expectedMax.toFixed(2) });
    expect((await sb.control('GET', 'portal/settings')).body).toEqual({ autoAuthorize: false, maxOrderTotal: null });
    expect(portal).toMatchObject({ paymentStatus: 'Not Authorized', fulfillmentRequests: [] });
    // An explicit click still authorizes it.
    expect(await sb.authorize(portal.id)).toMatchObject({ alreadyAuthorized: false, paymentStatus: 'Authorized' });
  });

  it('auto-authorize covers an order on receipt, never later; a maximum is ignored while it is off', async () => {
    const sb = await openSandbox();
    // Off with a maximum: nothing happens.
    expect((await sb.control('PUT', 'portal/settings', { autoAuthorize: false, maxOrderTotal: '50.00' })).status).toBe(200);
    await sb.checkout();
    await sb.advance(15 * MINUTE);
    expect((await sb.portalOrderFor('1001')).fulfillmentRequests).toEqual([]);

    // On, under the maximum: authorized with a fulfillment request at once.
    await sb.control('PUT', 'portal/settings', { autoAuthorize: true, maxOrderTotal: '50.00' });
    await sb.checkout();
    await sb.advance(15 * MINUTE);
    const covered = await sb.portalOrderFor('1002');
    expect(covered.paymentStatus).toBe('Authorized');
    expect(covered.fulfillmentRequests).toHaveLength(1);
    expect(covered.fulfillmentRequests[0].generatedAt).toBe(covered.insertedAt);

    // On, with a maximum below the total: not authorized, and raising it later changes nothing.
    await sb.control('PUT', 'portal/settings', { autoAuthorize: true, maxOrderTotal: '5.00' });
    await sb.checkout();
    await sb.advance(15 * MINUTE);
    await sb.control('PUT', 'portal/settings', { autoAuthorize: true, maxOrderTotal: null });
    await sb.advance(HOUR);
    expect((await sb.portalOrderFor('1003')).fulfillmentRequests).toEqual([]);
    expect(await sb.control('GET', `portal/orders/${(await sb.portalOrderFor('1003')).id}/settings`).then((r) => r.body)).toEqual({
      autoAuthorize: true,
      maxOrderTotal: '5.00',
    });

    // The first order never got authorized later either.
    expect((await sb.portalOrderFor('1001')).fulfillmentRequests).toEqual([]);
  });

  it('payment-declined: authorizing declines the payment and no fulfillment request appears', async () => {
    const sb = await openSandbox();
    await sb.checkout('payment-declined');
    await sb.advance(15 * MINUTE);
    const portal = await sb.portalOrderFor('1001');
    expect(await sb.authorize(portal.id)).toMatchObject({ alreadyAuthorized: false, paymentStatus: 'Declined' });
    const after = (await sb.flx(`/orders/${portal.id}`)).body;
    expect(after).toMatchObject({ paymentStatus: 'Declined', fulfillmentRequests: [] });
    await sb.advance(DAY);
    expect(await sb.shipmentsOf(portal.id)).toEqual([]);
  });

  it('tracking-sync-error: the shipment carries a syncError and nothing reaches the store', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout('tracking-sync-error');
    await sb.advance(15 * MINUTE);
    const portal = await sb.portalOrderFor('1001');
    await sb.authorize(portal.id);
    await sb.advance(2 * HOUR + 15 * MINUTE);
    const [shipment] = await sb.shipmentsOf(portal.id);
    expect(shipment.syncError).toMatch(/Shopify rejected the fulfillment/);
    expect(shipment.syncedToChannel).toBe(false);
    const order = await sb.channelOrder(placed.id);
    expect(order.fulfillments).toEqual([]);
    expect(order.fulfillment_status).toBeNull();
  });

  it('slow-supplier: ships three days after authorization', async () => {
    const sb = await openSandbox();
    const placed = await sb.checkout('slow-supplier');
    await sb.advance(15 * MINUTE);
    const portal = await sb.portalOrderFor('1001');
    await sb.authorize(portal.id);
    await sb.advance(DAY);
    expect(await sb.shipmentsOf(portal.id)).toEqual([]);
    expect((await sb.clock()).nextEventAt).not.toBeNull();
    await sb.advance(2 * DAY);
    expect(await sb.shipmentsOf(portal.id)).toHaveLength(1);
    await sb.advance(15 * MINUTE);
    expect((await sb.channelOrder(placed.id)).fulfillment_status).toBe('fulfilled');
  });

  it('the default scenario is the server default; an unknown scenario is refused with the list of names', async () => {
    const sb = await openSandbox(undefined, 'missing-phone');
    expect((await sb.control('GET', 'health')).body).toEqual({ ok: true, scenario: 'missing-phone' });
    const placed = await sb.checkout();
    expect((await sb.channelOrder(placed.id)).shipping_address.phone).toBeNull();
    const refused = await sb.control('POST', 'store/checkout', { scenario: 'nope' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('happy, unmapped-shipping, missing-phone, over-limit, payment-declined, tracking-sync-error, slow-supplier');
  });
});
