// One create-exactly-once rule for every sales channel (src/adapters/create-once.ts), shown per vendor through the
// test-only fault proxy in front of each vendor's fake: a reset after the fake processed the create, a reset
// before it saw it, a gateway 502 page, a truncated 2xx answer, a 429 storm, and a create that completes only
// after onboard stopped waiting (the proxy passes the POST on late). Never two orders.
import { afterEach, describe, expect, it } from 'vitest';
import { createBigCommerceChannel } from '../../src/adapters/bigcommerce/client.js';
import { CREATE_LOOKBACK_MS, CREATE_SETTLE_MS, createMayHaveHappened, createOnce } from '../../src/adapters/create-once.js';
import { MAX_TRIES } from '../../src/adapters/http/client.js';
import { createShopifyChannel } from '../../src/adapters/shopify/client.js';
import { createWooCommerceChannel, IDEMPOTENCY_META_KEY } from '../../src/adapters/woocommerce/client.js';
import { AuthRejectedError, BadInputError, UpstreamError } from '../../src/core/errors.js';
import { parseMoney } from '../../src/core/money.js';
import type { ChannelOrder, ChannelPort, CreateOrderInput } from '../../src/core/ports.js';
import { createRecordingClock, startFaultProxy, type FaultKind, type RecordingClock } from '../helpers/fake-server.js';
import { startFakeBigCommerce } from '../../fakes/bigcommerce.js';
import { STORE_TOKEN, startFakeStore } from '../../fakes/shopify.js';
import { startFakeWooCommerce } from '../../fakes/woocommerce.js';

const START = Date.parse('2026-01-15T12:00:00.000Z');
/** the adapters' per-request deadline here (real time) */
const TIMEOUT_MS = 1_000;
/** how late the late proxy lets the fake process the create (real time, well past the deadline) */
const LATE_MS = 2_500;

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

interface Opened {
  /** the channel at `url` (a proxy in front of the fake) */
  channel: (url: string) => ChannelPort;
  url: string;
  /** how many orders carry the key on the fake */
  withKey: (key: string) => number;
  /** the vendor's create path, as the proxy sees it */
  createPath: RegExp;
  rateLimitHeaders: Record<string, string>;
  /** the name on the shipping address of the last create the fake received */
  sentName: () => unknown;
  /** the fake's own switch: the next `count` creates drop the connection before anything is saved */
  dropBeforeCreate: (count: number) => void;
  close: () => Promise<unknown>;
}

interface Vendor {
  name: string;
  variantId: string;
  open(clock: RecordingClock): Promise<Opened>;
}

const vendors: Vendor[] = [
  {
    name: 'Shopify',
    variantId: '9002',
    async open(clock) {
      const store = await startFakeStore({
        orders: 3,
        now: clock.now,
        bucket: false,
        products: [{ id: 102, title: 'Pin', vendor: 'US Direct', variants: [{ id: 9002, title: 'Gold', price: '3.50', sku: 'PIN-G' }] }],
      });
      return {
        url: store.url,
        channel: (url) => createShopifyChannel({ store: 'once.myshopify.com', token: STORE_TOKEN, apiUrl: url, clock, timeoutMs: TIMEOUT_MS }),
        withKey: (key) => store.created.filter((order) => JSON.stringify(order['note_attributes'] ?? []).includes(`"value":"${key}"`)).length,
        createPath: /\/orders\.json$/,
        rateLimitHeaders: { 'Retry-After': '1.0' },
        sentName: () => pick(JSON.parse(store.requestsTo('POST', '/orders.json').at(-1)?.body ?? '{}').order.shipping_address),
        dropBeforeCreate: (count) => store.faults.create.push(...Array.from({ length: count }, () => 'drop-before-create' as const)),
        close: () => store.close(),
      };
    },
  },
  {
    name: 'WooCommerce',
    variantId: '504:5041',
    async open(clock) {
      const fake = await startFakeWooCommerce({ orderCount: 3, now: () => clock.now() });
      return {
        url: fake.url,
        channel: (url) => createWooCommerceChannel({ url, consumerKey: fake.consumerKey, consumerSecret: fake.consumerSecret, clock, timeoutMs: TIMEOUT_MS }),
        withKey: (key) =>
          fake
            .allOrders()
            .filter((order) =>
              ((order['meta_data'] as { key: string; value: unknown }[]) ?? []).some((meta) => meta.key === IDEMPOTENCY_META_KEY && meta.value === key),
            ).length,
        createPath: /\/wc\/v3\/orders$/,
        rateLimitHeaders: { 'Retry-After': '1' },
        sentName: () => pick(JSON.parse(fake.requestsTo('/wp-json/wc/v3/orders', 'POST').at(-1)?.body ?? '{}').shipping),
        dropBeforeCreate: (count) => fake.set({ dropConnectionBeforeCreate: count }),
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'BigCommerce',
    variantId: '111',
    async open(clock) {
      const fake = await startFakeBigCommerce({ orderCount: 10, now: () => clock.now() });
      return {
        url: fake.url,
        channel: (url) => createBigCommerceChannel({ storeHash: fake.storeHash, token: fake.token, apiUrl: url, clock, timeoutMs: TIMEOUT_MS }),
        withKey: (key) => fake.created.filter((order) => JSON.stringify(order).includes(key)).length,
        createPath: /\/v2\/orders$/,
        rateLimitHeaders: { 'X-Rate-Limit-Time-Reset-Ms': '1000', 'X-Rate-Limit-Requests-Left': '0' },
        sentName: () => pick(JSON.parse(fake.requestsTo('POST', '/v2/orders').at(-1)?.body ?? '{}').shipping_addresses[0]),
        dropBeforeCreate: (count) => fake.dropBeforeCreate(count),
        close: () => fake.close(),
      };
    },
  },
];

function pick(address: { first_name?: unknown; last_name?: unknown }) {
  return { first_name: address.first_name, last_name: address.last_name };
}

function input(variantId: string, key: string): CreateOrderInput {
  return {
    variantId,
    quantity: 1,
    email: 'dealer@example.com',
    shipping: { name: 'Dana Q Dealer', address1: '12 Test Lane', city: 'Louisville', province: 'KY', zip: '40202', country: 'us', phone: '+1 502 555 0100' },
    shippingTitle: 'Standard Shipping',
    shippingPrice: parseMoney('5.00', 'USD'),
    idempotencyKey: key,
  };
}

/** Waits (real time) until `predicate` holds, or fails naming `what`. */
async function until(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const started = Date.now(); !predicate();) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function open(vendor: Vendor) {
  const clock = createRecordingClock(START);
  const opened = await vendor.open(clock);
  cleanup.push(opened.close);
  return { clock, ...opened };
}

async function throughFault(vendor: Vendor, kind: FaultKind, times = 1, delayMs?: number) {
  const opened = await open(vendor);
  const proxy = await startFaultProxy(opened.url);
  cleanup.push(() => proxy.close());
  const channel = opened.channel(proxy.url);
  proxy.setFault({ kind, times, delayMs, headers: kind === '429' ? opened.rateLimitHeaders : undefined });
  const posts = () => proxy.arrivals.filter((arrival) => arrival.method === 'POST' && opened.createPath.test(arrival.path));
  return { ...opened, proxy, channel, posts };
}

for (const vendor of vendors) {
  describe(`${vendor.name}: the create happens exactly once`, () => {
    it('a reset after the fake created the order: found by its marker, one POST, one order', async () => {
      const { channel, posts, withKey, clock } = await throughFault(vendor, 'reset-after');
      const order = await channel.createOrder!(input(vendor.variantId, 'once-reset-after'));
      expect(posts()).toHaveLength(1);
      expect(withKey('once-reset-after')).toBe(1);
      expect(order.channel).toBe(vendor.name.toLowerCase());
      // it gave the server time before it looked
      expect(clock.sleeps[0]).toBe(CREATE_SETTLE_MS);
    });

    it('the name is split by the one rule: the last word is the last name, a one-word name is the last name', async () => {
      const { channel, sentName } = await throughFault(vendor, 'reset-before', 0);
      await channel.createOrder!(input(vendor.variantId, 'name-3'));
      expect(sentName()).toEqual({ first_name: 'Dana Q', last_name: 'Dealer' });
      const one = input(vendor.variantId, 'name-1');
      await channel.createOrder!({ ...one, shipping: { ...one.shipping, name: ' Cher ' } });
      expect(sentName()).toEqual({ first_name: '', last_name: 'Cher' });
    });

    it('a reset before the fake saw the create: looked for, not found, sent once more, one order', async () => {
      const { channel, posts, withKey } = await throughFault(vendor, 'reset-before');
      await channel.createOrder!(input(vendor.variantId, 'once-reset-before'));
      expect(posts()).toHaveLength(2);
      expect(withKey('once-reset-before')).toBe(1);
    });

    it('a gateway 502 page: looked for, sent once more, one order', async () => {
      const { channel, posts, withKey } = await throughFault(vendor, 'gateway-502');
      await channel.createOrder!(input(vendor.variantId, 'once-502'));
      expect(posts()).toHaveLength(2);
      expect(withKey('once-502')).toBe(1);
    });

    it('a truncated 2xx answer (created, but which order?): found by its marker, never sent again', async () => {
      const { channel, posts, withKey } = await throughFault(vendor, 'truncated');
      const order = await channel.createOrder!(input(vendor.variantId, 'once-truncated'));
      expect(posts()).toHaveLength(1);
      expect(withKey('once-truncated')).toBe(1);
      expect(order.channel).toBe(vendor.name.toLowerCase());
    });

    it("dropped on every send (the fake's own switch; the looks pass): two POSTs at most, a clear error, no order", async () => {
      const { channel, posts, withKey, dropBeforeCreate } = await throughFault(vendor, 'reset-before', 0);
      dropBeforeCreate(3);
      const error = await channel.createOrder!(input(vendor.variantId, 'once-twice')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as Error).message).toMatch(/sent 2 times; no order carries the key once-twice/);
      expect((error as UpstreamError).hint).toMatch(/^No order was created/);
      expect(posts()).toHaveLength(2);
      expect(withKey('once-twice')).toBe(0);
    });

    it('a 429 storm on the create: rate_limited after at most 6 tries, nothing looked for, no second round', async () => {
      const { channel, posts, proxy, withKey } = await throughFault(vendor, '429', 100);
      const error = await channel.createOrder!(input(vendor.variantId, 'once-429')).catch((e: unknown) => e);
      expect((error as UpstreamError).code).toBe('rate_limited');
      expect(posts()).toHaveLength(MAX_TRIES);
      expect(proxy.arrivals.filter((arrival) => arrival.method === 'GET')).toHaveLength(0);
      expect(withKey('once-429')).toBe(0);
    });

    it('a create that completes after onboard stopped waiting: not sent again, one order, found when run again', async () => {
      const { channel, posts, withKey, proxy } = await throughFault(vendor, 'late', 1, LATE_MS);
      const error = await channel.createOrder!(input(vendor.variantId, 'once-late')).catch((e: unknown) => e);
      expect((error as UpstreamError).code).toBe('timeout');
      expect((error as Error).message).toMatch(/may still be creating the order/);
      expect((error as UpstreamError).hint).toMatch(/looks for the order by its key before sending anything/);
      expect(proxy.arrivals[0]).toMatchObject({ method: 'POST', fault: 'late' });
      // the held create reaches the fake after onboard stopped waiting: one order, never a second
      await until(() => withKey('once-late') === 1, 'the late create');
      expect(posts()).toHaveLength(1);
      // running again looks first (createOrFindOrder): the late order is there
      const found = await channel.findCreatedOrder!('once-late', new Date(START - CREATE_LOOKBACK_MS).toISOString());
      expect(found).not.toBeNull();
    }, 15_000);
  });
}

describe('createOnce: the one rule', () => {
  const order = { id: '1' } as ChannelOrder;

  it('what "may have happened" means: a dropped connection, a timeout, a 5xx, an unreadable 2xx; never a 429, a 4xx or a refusal', () => {
    expect(createMayHaveHappened(new UpstreamError('upstream_error', 'could not reach'))).toBe(true);
    expect(createMayHaveHappened(new UpstreamError('timeout', 'no answer'))).toBe(true);
    expect(createMayHaveHappened(new UpstreamError('upstream_error', '502', { status: 502 }))).toBe(true);
    expect(createMayHaveHappened(new UpstreamError('unexpected_response', 'truncated'))).toBe(true);
    expect(createMayHaveHappened(new UpstreamError('rate_limited', '429', { status: 429 }))).toBe(false);
    expect(createMayHaveHappened(new UpstreamError('upstream_error', '400', { status: 400 }))).toBe(false);
    expect(createMayHaveHappened(new AuthRejectedError('shopify', 'no'))).toBe(false);
    expect(createMayHaveHappened(new BadInputError('no'))).toBe(false);
    expect(createMayHaveHappened(new Error('bug'))).toBe(false);
  });

  it('looks from CREATE_LOOKBACK_MS before the first send, after CREATE_SETTLE_MS; a 504 is not sent again', async () => {
    const clock = createRecordingClock(START);
    const looks: string[] = [];
    let sends = 0;
    const error = await createOnce({
      label: 'Vendor',
      key: 'k',
      whereToLook: 'Orders',
      clock,
      send: async () => {
        sends += 1;
        throw new UpstreamError('upstream_error', 'Vendor answered 504', { status: 504 });
      },
      findByMarker: async (since) => {
        looks.push(since);
        return null;
      },
    }).catch((e: unknown) => e);
    expect(sends).toBe(1);
    expect(looks).toEqual([new Date(START - CREATE_LOOKBACK_MS).toISOString()]);
    expect(clock.sleeps).toEqual([CREATE_SETTLE_MS]);
    expect((error as UpstreamError).status).toBe(504);
  });

  it('a look that fails says the order may exist, and nothing is sent again', async () => {
    const clock = createRecordingClock(START);
    let sends = 0;
    const error = await createOnce({
      label: 'Vendor',
      key: 'k',
      whereToLook: 'Orders',
      clock,
      send: async () => {
        sends += 1;
        if (sends === 1) throw new UpstreamError('upstream_error', 'could not reach');
        return order;
      },
      findByMarker: async () => {
        throw new UpstreamError('upstream_error', 'look failed');
      },
    }).catch((e: unknown) => e);
    expect(sends).toBe(1);
    expect((error as Error).message).toMatch(/may or may not have created the test order/);
    expect((error as UpstreamError).hint).toMatch(/Look in Orders/);
  });
});
