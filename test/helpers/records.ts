// A stored order snapshot as the profile's records hold it (state.json), for tests that start from a run already
// under way. Each test overrides what it is about.
export function storedOrder(overrides: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  return {
    channel: 'shopify',
    id: '1001',
    number: '1001',
    name: '#1001',
    createdAt: now,
    total: { amount: '10.00', currency: 'USD' },
    currency: 'USD',
    shippingTitle: 'Standard',
    address: { present: true, hasZip: true, hasPhone: true },
    cancelled: false,
    tracking: [],
    observedAt: now,
    ...overrides,
  };
}

/** A run whose order was placed and is not finished (the state a `sync` or `track` finds something to read in). */
export function placedRun(id: string, order: ReturnType<typeof storedOrder>) {
  return { id, startedAt: order.observedAt, channel: order.channel, order, lastStage: 'placed', stageReachedAt: { placed: order.observedAt } };
}
