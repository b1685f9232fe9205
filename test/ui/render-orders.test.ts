// `onboard orders` as people read it: each order's time local with its zone, like every other time onboard prints.
import { describe, expect, it } from 'vitest';
import { renderOrders } from '../../src/ui/render.js';

const result = {
  channel: 'shopify' as const,
  since: '2026-11-24T18:05:00.000Z',
  limit: 50,
  warnings: [],
  orders: [
    { number: '1003', name: '#1003', id: '13', createdAt: '2026-12-01T13:41:27.000Z', total: '598.94', currency: 'USD', shippingMethod: 'Express' },
    { number: '1002', name: '#1002', id: '12', createdAt: '2026-06-30T23:10:00.000Z', total: '7.00', currency: 'USD', shippingMethod: null },
  ],
};

describe('renderOrders', () => {
  it('prints the window and every order in local time with the zone', () => {
    const text = renderOrders(result, 'America/Chicago');
    expect(text.split('\n')[0]).toBe('2 orders on shopify since 2026-11-24 12:05 CST:');
    expect(text).toContain('#1003  2026-12-01 07:41 CST  598.94 USD  Express');
    // summer time where the order was placed in summer
    expect(text).toContain('#1002  2026-06-30 18:10 CDT  7.00 USD    (no shipping method)');
  });

  it('says when the list holds only the newest N', () => {
    expect(renderOrders({ ...result, limit: 2 }, 'UTC').split('\n')[0]).toBe(
      '2 orders on shopify since 2026-11-24 18:05 UTC (the newest 2; --limit 0 for all):',
    );
  });
});
