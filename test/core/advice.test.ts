import { describe, expect, it } from 'vitest';
import { adviceFor } from '../../src/core/advice.js';
import { commandLineFor } from '../../src/core/command-line.js';
import { PROBLEMS, runSchema, type Run } from '../../src/core/lifecycle/record.js';
import { storedOrder } from '../helpers/records.js';

const cmd = commandLineFor({ sandbox: false, profileFlag: null, launcher: ['onboard'] });

function run(): Run {
  return runSchema.parse({
    id: 'r',
    startedAt: '2026-11-01T10:00:00.000Z',
    channel: 'shopify',
    order: storedOrder({
      id: '1',
      createdAt: '2026-11-01T10:00:00.000Z',
      total: { amount: '60.00', currency: 'USD' },
      shippingTitle: 'Economy Saver (5-9 days)',
      address: { present: true, hasZip: true, hasPhone: false },
      observedAt: '2026-11-01T10:00:00.000Z',
    }),
    portal: {
      id: '310001',
      orderNumber: '1001',
      referenceNumber: '#1001',
      orderStatus: 'No Shipping Method',
      shippedStatus: 'Not Started',
      orderTotal: '60',
      insertedAt: null,
      updatedAt: null,
      shippingText: null,
      paymentStatus: null,
      fulfillmentRequests: [],
      firstSeenAt: '2026-11-01T10:15:00.000Z',
      observedAt: '2026-11-01T10:15:00.000Z',
    },
    shipments: [
      {
        id: 's',
        trackingNumber: '1Z',
        carrier: 'UPS',
        trackingUrl: null,
        shippedAt: null,
        syncError: 'fulfillment order is closed',
        suppressed: false,
        syncedToChannel: false,
      },
    ],
    autoAuthorize: { autoAuthorize: true, maxOrderTotal: '59.00', source: 'local' },
  });
}

describe('advice for every problem', () => {
  it.each(PROBLEMS)('%s says what happened, why, and what to do', (problem) => {
    const advice = adviceFor(problem, run(), cmd);
    expect(advice.what.length).toBeGreaterThan(20);
    expect(advice.why.length).toBeGreaterThan(20);
    expect(advice.fix.length).toBeGreaterThan(0);
    for (const step of advice.fix) expect(step.trim().length).toBeGreaterThan(10);
  });

  it('shipping_unmapped names the exact shipping title and the Order Manager mapping steps', () => {
    const text = JSON.stringify(adviceFor('shipping_unmapped', run(), cmd));
    expect(text).toContain('Economy Saver (5-9 days)');
    for (const click of ['Order Manager', 'Channels', 'gear', 'Shipping Mapping', 'Add Mapping', 'Update']) expect(text).toContain(click);
    expect(text).toMatch(/supplier/);
  });

  it('shipping_unmapped for an order placed without shipping (BigCommerce "None") says checkout skipped it, and asks for no mapping', () => {
    const skipped = run();
    skipped.order = runSchema.shape.order.parse({ ...skipped.order, shippingTitle: null, shippingSkipped: true });
    expect(skipped.order?.shippingSkipped).toBe(true);
    const text = JSON.stringify(adviceFor('shipping_unmapped', skipped, cmd));
    expect(text).toContain('let the customer skip shipping');
    expect(text).not.toContain('None');
    expect(text).not.toContain('Shipping Mapping');
  });

  it('import_overdue points at RESOLVE, the mapping, zip and phone, and Order Sync', () => {
    const text = JSON.stringify(adviceFor('import_overdue', run(), cmd));
    for (const words of ['RESOLVE', 'Economy Saver (5-9 days)', 'Shipping Mapping', 'zip', 'phone', 'Order Sync']) expect(text).toContain(words);
  });

  it('address_incomplete names what is missing', () => {
    expect(adviceFor('address_incomplete', run(), cmd).what).toContain('phone');
  });

  it('over_auto_authorize_limit shows the exact total and maximum and the command that authorizes', () => {
    const advice = adviceFor('over_auto_authorize_limit', run(), cmd);
    expect(advice.what).toContain('60.00');
    expect(advice.what).toContain('59.00');
    expect(advice.fix.join(' ')).toContain('onboard authorize 1001 --yes');
  });

  it('tracking_sync_failed quotes the portal error', () => {
    expect(adviceFor('tracking_sync_failed', run(), cmd).what).toContain('fulfillment order is closed');
  });

  it('every command in the advice carries the world, the profile and the launcher of the invocation', () => {
    const pasted = commandLineFor({ sandbox: true, profileFlag: 'acme', launcher: ['npx', 'onboard'] });
    for (const problem of PROBLEMS) {
      const fix = adviceFor(problem, run(), pasted).fix.join('\n');
      const commands = /onboard (authorize|track|sync|settings|test-order|doctor|connect)\b/;
      for (const line of fix.split('\n').filter((l) => commands.test(l))) {
        expect(line, problem).toMatch(/npx onboard [a-z-]+ .*--sandbox --profile acme/);
        expect(line, problem).not.toMatch(/(^|[^x] )onboard (authorize|track|sync|settings|test-order|doctor|connect)\b/);
      }
    }
    const over = adviceFor('over_auto_authorize_limit', run(), pasted).fix.join('\n');
    expect(over).toContain('npx onboard authorize 1001 --yes --sandbox --profile acme');
    expect(over).toContain('npx onboard settings --auto-authorize --max 60.00 --sandbox --profile acme');
  });

  it('after a mapping or address fix, the advice says what to run next', () => {
    for (const problem of ['shipping_unmapped', 'address_incomplete'] as const) {
      expect(adviceFor(problem, run(), cmd).fix.at(-1)).toContain('onboard track 1001 --watch');
    }
  });
});
