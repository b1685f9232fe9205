import { describe, expect, it } from 'vitest';
import { advanceStage, evaluate } from '../../../src/core/lifecycle/machine.js';
import { applyObservation } from '../../../src/core/lifecycle/observe.js';
import { runSchema, type Run } from '../../../src/core/lifecycle/record.js';
import { parseMoney } from '../../../src/core/money.js';
import type { ChannelOrder, PortalOrder, PortalShipment } from '../../../src/core/ports.js';

const T0 = Date.parse('2026-11-01T10:00:00Z');
const MIN = 60_000;
const judge = (now = T0 + 5 * MIN) => ({ now, planIntervalMs: 15 * MIN });

function emptyRun(): Run {
  return runSchema.parse({ id: 'r1', startedAt: new Date(T0 - MIN).toISOString(), channel: 'shopify' });
}

function channelOrder(overrides: Partial<ChannelOrder> = {}): ChannelOrder {
  return {
    channel: 'shopify',
    id: '5800000000001',
    number: '1001',
    name: '#1001',
    createdAt: new Date(T0).toISOString(),
    total: parseMoney('10.28', 'USD'),
    currency: 'USD',
    shippingTitle: 'Standard Shipping',
    address: { present: true, hasZip: true, hasPhone: true },
    cancelled: false,
    tracking: [],
    ...overrides,
  };
}

function portalOrder(overrides: Partial<PortalOrder> = {}): PortalOrder {
  return {
    id: '310001',
    orderNumber: '1001',
    referenceNumber: '#1001',
    orderStatus: 'Open',
    shippedStatus: 'Not Started',
    orderTotal: '10.28',
    insertedAt: new Date(T0 + 15 * MIN).toISOString(),
    updatedAt: new Date(T0 + 15 * MIN).toISOString(),
    shippingText: 'Standard Shipping',
    paymentStatus: null,
    fulfillmentRequests: [],
    ...overrides,
  };
}

function shipment(overrides: Partial<PortalShipment> = {}): PortalShipment {
  return {
    id: 's1',
    trackingNumber: '1Z999AA10123456784',
    carrier: 'UPS',
    trackingUrl: null,
    shippedAt: null,
    syncError: null,
    suppressed: false,
    syncedToChannel: false,
    ...overrides,
  };
}

const at = (ms: number) => new Date(ms).toISOString();
const FR = [{ id: '9', number: '1001-1', status: 'Processed' }];

describe('stages', () => {
  it('has no stage before an order exists', () => {
    const e = evaluate(emptyRun(), judge());
    expect(e.stage).toBeNull();
    expect(e.lastStage).toBeNull();
    expect(e.steps.map((s) => s.status)).toEqual(['waiting', 'pending', 'pending', 'pending', 'pending', 'pending']);
  });

  it('walks placed → imported → in_portal → authorized → shipped → tracking_synced on the evidence table', () => {
    const run = emptyRun();
    expect(applyObservation(run, { at: at(T0), order: channelOrder() }, judge()).lastStage).toBe('placed');
    expect(applyObservation(run, { at: at(T0 + MIN), importStatus: { imported: true, importedAt: at(T0), heldReason: null } }, judge()).lastStage).toBe(
      'imported',
    );
    expect(applyObservation(run, { at: at(T0 + 2 * MIN), portal: portalOrder() }, judge()).lastStage).toBe('in_portal');
    expect(applyObservation(run, { at: at(T0 + 3 * MIN), portal: portalOrder({ fulfillmentRequests: FR }) }, judge()).lastStage).toBe('authorized');
    expect(applyObservation(run, { at: at(T0 + 4 * MIN), shipments: [shipment()] }, judge()).lastStage).toBe('shipped');
    const done = applyObservation(
      run,
      { at: at(T0 + 5 * MIN), order: channelOrder({ tracking: [{ number: '1z999aa1-0123456784', carrier: 'UPS', url: null }] }) },
      judge(),
    );
    expect(done.lastStage).toBe('tracking_synced');
    expect(done.confirmed).toEqual({ imported: true, routed: true, trackingSynced: true });
    expect(Object.keys(run.stageReachedAt)).toEqual(['placed', 'imported', 'in_portal', 'authorized', 'shipped', 'tracking_synced']);
  });

  it('infers imported when the portal has the order, and can jump several stages at once', () => {
    const run = emptyRun();
    run.order = { ...channelOrder(), total: { amount: '10.28', currency: 'USD' }, observedAt: at(T0) };
    run.portal = { ...portalOrder({ fulfillmentRequests: FR }), firstSeenAt: at(T0), observedAt: at(T0) };
    expect(advanceStage(run)).toBe('authorized');
  });

  it('records when each stage passed on the way was reached, also when one reading jumps several', () => {
    const run = emptyRun();
    applyObservation(run, { at: at(T0), order: channelOrder() }, judge());
    applyObservation(run, { at: at(T0 + 20 * MIN), portal: portalOrder({ fulfillmentRequests: FR }) }, judge());
    expect(run.stageReachedAt).toEqual({ placed: at(T0), imported: at(T0 + 20 * MIN), in_portal: at(T0 + 20 * MIN), authorized: at(T0 + 20 * MIN) });
  });

  it('never goes backwards when evidence disappears', () => {
    const run = emptyRun();
    applyObservation(run, { at: at(T0), order: channelOrder(), portal: portalOrder({ fulfillmentRequests: FR }) }, judge());
    expect(run.lastStage).toBe('authorized');
    const e = applyObservation(run, { at: at(T0 + MIN), portal: portalOrder({ fulfillmentRequests: [] }) }, judge());
    expect(e.lastStage).toBe('authorized');
  });

  it('counts shippedStatus Completed as shipped, and needs every non-suppressed number on the store', () => {
    const run = emptyRun();
    applyObservation(run, { at: at(T0), order: channelOrder(), portal: portalOrder({ fulfillmentRequests: FR, shippedStatus: 'Completed' }) }, judge());
    expect(run.lastStage).toBe('shipped');
    applyObservation(
      run,
      {
        at: at(T0 + MIN),
        shipments: [shipment(), shipment({ id: 's2', trackingNumber: 'X2' }), shipment({ id: 's3', trackingNumber: 'HIDDEN', suppressed: true })],
      },
      judge(),
    );
    const partial = applyObservation(
      run,
      { at: at(T0 + 2 * MIN), order: channelOrder({ tracking: [{ number: '1Z999AA10123456784', carrier: 'UPS', url: null }] }) },
      judge(),
    );
    expect(partial.lastStage).toBe('shipped');
    const all = applyObservation(
      run,
      {
        at: at(T0 + 3 * MIN),
        order: channelOrder({
          tracking: [
            { number: '1Z999AA10123456784', carrier: 'UPS', url: null },
            { number: 'x2', carrier: null, url: null },
          ],
        }),
      },
      judge(),
    );
    expect(all.lastStage).toBe('tracking_synced');
  });
});

describe('problems', () => {
  it('flags address_incomplete below in_portal only', () => {
    const run = emptyRun();
    const e = applyObservation(run, { at: at(T0), order: channelOrder({ address: { present: true, hasZip: true, hasPhone: false } }) }, judge());
    expect(e.stage).toBe('needs_attention');
    expect(e.problem).toBe('address_incomplete');
    expect(e.steps[0].status).toBe('failed');
    const later = applyObservation(run, { at: at(T0 + MIN), portal: portalOrder() }, judge());
    expect(later.problems).not.toContain('address_incomplete');
    expect(later.stage).toBe('in_portal');
  });

  it('flags import_overdue two plan intervals after the order was created, and clears it once in the portal', () => {
    const run = emptyRun();
    expect(applyObservation(run, { at: at(T0), order: channelOrder() }, judge(T0 + 30 * MIN)).problem).toBeNull();
    const overdue = applyObservation(run, { at: at(T0 + 31 * MIN) }, judge(T0 + 31 * MIN));
    expect(overdue.problem).toBe('import_overdue');
    expect(overdue.steps[1].status).toBe('failed');
    const cleared = applyObservation(run, { at: at(T0 + 32 * MIN), portal: portalOrder() }, judge(T0 + 32 * MIN));
    expect(cleared.problem).toBeNull();
    expect(run.events.map((e) => e.kind)).toContain('problem_cleared');
  });

  it('maps Flxpoint status strings to problems with the spec precedence', () => {
    const run = emptyRun();
    applyObservation(run, { at: at(T0), order: channelOrder({ address: { present: true, hasZip: false, hasPhone: true } }) }, judge());
    const e = applyObservation(run, { at: at(T0 + MIN), portal: portalOrder({ orderStatus: 'No Shipping Method' }) }, judge());
    expect(e.problem).toBe('shipping_unmapped');
    expect(e.steps[1].status).toBe('failed');
    const failed = applyObservation(run, { at: at(T0 + 2 * MIN), portal: portalOrder({ orderStatus: 'Failed' }) }, judge());
    expect(failed.problem).toBe('order_failed');
    expect(failed.steps[2].status).toBe('failed');
    const hold = applyObservation(run, { at: at(T0 + 3 * MIN), portal: portalOrder({ orderStatus: 'On Hold' }) }, judge());
    expect(hold.problem).toBe('on_hold');
    const canceled = applyObservation(run, { at: at(T0 + 4 * MIN), portal: portalOrder({ orderStatus: 'Canceled', paymentStatus: 'Declined' }) }, judge());
    expect(canceled.problems).toEqual(['canceled', 'payment_declined']);
    expect(canceled.finished).toBe(true);
  });

  it('flags a failed fulfillment request as order_failed on step 5', () => {
    const run = emptyRun();
    const e = applyObservation(
      run,
      { at: at(T0), order: channelOrder(), portal: portalOrder({ fulfillmentRequests: [{ id: '9', number: '1001-1', status: 'Processing Error' }] }) },
      judge(),
    );
    expect(e.problem).toBe('order_failed');
    expect(e.steps[4].status).toBe('failed');
  });

  it('judges over_auto_authorize_limit on the exact portal total, and not once authorized', () => {
    const run = emptyRun();
    const rule = { autoAuthorize: true, maxOrderTotal: '10.27', source: 'portal' as const };
    const over = applyObservation(run, { at: at(T0), order: channelOrder(), portal: portalOrder(), autoAuthorize: rule }, judge());
    expect(over.problem).toBe('over_auto_authorize_limit');
    expect(over.steps[3].status).toBe('failed');
    const equal = applyObservation(run, { at: at(T0 + MIN), autoAuthorize: { ...rule, maxOrderTotal: '10.28' } }, judge());
    expect(equal.problem).toBeNull();
    const off = applyObservation(run, { at: at(T0 + 2 * MIN), autoAuthorize: { ...rule, autoAuthorize: false } }, judge());
    expect(off.problem).toBeNull();
    const authorized = applyObservation(run, { at: at(T0 + 3 * MIN), autoAuthorize: rule, portal: portalOrder({ fulfillmentRequests: FR }) }, judge());
    expect(authorized.problem).toBeNull();
  });

  it('flags authorization_overdue after --authorize-within from the portal insertedAt', () => {
    const run = emptyRun();
    run.authorizeWithinMs = 60 * MIN;
    const inserted = T0 + 15 * MIN;
    expect(applyObservation(run, { at: at(inserted), order: channelOrder(), portal: portalOrder() }, judge(inserted + 60 * MIN)).problem).toBeNull();
    expect(applyObservation(run, { at: at(inserted + 61 * MIN) }, judge(inserted + 61 * MIN)).problem).toBe('authorization_overdue');
  });

  it('flags payment_declined and tracking_sync_failed', () => {
    const run = emptyRun();
    expect(applyObservation(run, { at: at(T0), order: channelOrder(), portal: portalOrder({ paymentStatus: 'Declined' }) }, judge()).problem).toBe(
      'payment_declined',
    );
    const sync = applyObservation(
      run,
      { at: at(T0 + MIN), portal: portalOrder({ fulfillmentRequests: FR }), shipments: [shipment({ syncError: 'closed' })] },
      judge(),
    );
    expect(sync.problem).toBe('tracking_sync_failed');
    expect(sync.lastStage).toBe('shipped');
    expect(sync.steps[4].status).toBe('failed');
  });
});

describe('steps', () => {
  it('marks step 4 skipped when auto-authorize covered the total and onboard did not authorize', () => {
    const run = emptyRun();
    const e = applyObservation(
      run,
      {
        at: at(T0),
        order: channelOrder(),
        portal: portalOrder({ fulfillmentRequests: FR }),
        autoAuthorize: { autoAuthorize: true, maxOrderTotal: '50.00', source: 'portal' },
      },
      judge(),
    );
    expect(e.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'skipped', 'waiting', 'pending']);
  });

  it('marks step 4 done when onboard authorized, and step 6 done once the report is written', () => {
    const run = emptyRun();
    applyObservation(run, { at: at(T0), order: channelOrder(), portal: portalOrder(), authorizedByOnboard: true }, judge());
    applyObservation(
      run,
      {
        at: at(T0 + MIN),
        portal: portalOrder({ fulfillmentRequests: FR }),
        shipments: [shipment()],
        order: channelOrder({ tracking: [{ number: '1Z999AA10123456784', carrier: 'UPS', url: null }] }),
      },
      judge(),
    );
    expect(evaluate(run, judge()).steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'waiting']);
    applyObservation(run, { at: at(T0 + 2 * MIN), report: { markdown: 'r.md', json: 'r.json' } }, judge());
    expect(evaluate(run, judge()).steps.every((s) => s.status === 'done')).toBe(true);
  });
});

describe('steps agree with the stage', () => {
  it('"No Shipping Method" fails step 2 and holds back step 3; imports are not confirmed while it fails', () => {
    const run = emptyRun();
    const e = applyObservation(run, { at: at(T0), order: channelOrder(), portal: portalOrder({ orderStatus: 'No Shipping Method' }) }, judge());
    expect(e.lastStage).toBe('in_portal');
    expect(e.problem).toBe('shipping_unmapped');
    expect(e.steps.map((s) => s.status)).toEqual(['done', 'failed', 'pending', 'pending', 'pending', 'pending']);
    expect(e.confirmed.imported).toBe(false);
    // once mapped, the steps catch up with the stage
    const mapped = applyObservation(run, { at: at(T0 + MIN), portal: portalOrder({ orderStatus: 'Open' }) }, judge());
    expect(mapped.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'waiting', 'pending', 'pending']);
    expect(mapped.confirmed.imported).toBe(true);
  });
});

describe('merging observations', () => {
  it('keeps the newest snapshot when an older reading arrives later', () => {
    const run = emptyRun();
    applyObservation(run, { at: at(T0), order: channelOrder() }, judge());
    applyObservation(run, { at: at(T0 + 2 * MIN), portal: portalOrder({ orderStatus: 'Closed' }) }, judge());
    applyObservation(run, { at: at(T0 + MIN), portal: portalOrder({ orderStatus: 'Open' }) }, judge());
    expect(run.portal?.orderStatus).toBe('Closed');
  });

  it('records each change once, with its evidence', () => {
    const run = emptyRun();
    applyObservation(run, { at: at(T0), order: channelOrder(), portal: portalOrder({ fulfillmentRequests: FR }) }, judge());
    applyObservation(run, { at: at(T0 + MIN), order: channelOrder(), portal: portalOrder({ fulfillmentRequests: FR }) }, judge());
    expect(run.events.filter((e) => e.kind === 'fulfillment_request')).toHaveLength(1);
    expect(run.events.find((e) => e.kind === 'portal_found')?.evidence).toMatchObject({ portalId: '310001', orderStatus: 'Open' });
  });
});
