// Every vendor through the faults a real network and a vendor's edge produce (the test-only fault proxy of
// test/helpers/fake-server.ts in front of each vendor's fake): gateway 502 pages, truncated JSON, resets before
// and after the request is processed, slow answers, a 429 storm and always-503. Whatever the fault: a typed
// error with a plain message (no stack trace), nothing invented, at most 6 tries for one request.
import { afterEach, describe, expect, it } from 'vitest';
import { createBigCommerceChannel } from '../../src/adapters/bigcommerce/client.js';
import { createFlxpointPortal } from '../../src/adapters/flxpoint/client.js';
import { MAX_TRIES } from '../../src/adapters/http/client.js';
import { createShopifyChannel } from '../../src/adapters/shopify/client.js';
import { createWooCommerceChannel } from '../../src/adapters/woocommerce/client.js';
import { OnboardError, UpstreamError } from '../../src/core/errors.js';
import { startFakeFlxpoint, FLX_TOKENS } from '../../fakes/flxpoint.js';
import { createRecordingClock, startFaultProxy, type FaultKind, type FaultPlan, type FaultProxy, type RecordingClock } from '../helpers/fake-server.js';
import { startFakeBigCommerce } from '../../fakes/bigcommerce.js';
import { STORE_TOKEN, startFakeStore } from '../../fakes/shopify.js';
import { startFakeWooCommerce } from '../../fakes/woocommerce.js';

const START = Date.parse('2026-01-15T12:00:00.000Z');
/** short, so a slow answer is a timeout in real milliseconds */
const TIMEOUT_MS = 1_500;

interface Vendor {
  name: string;
  /** the vendor's 429 headers in a storm */
  rateLimitHeaders: Record<string, string>;
  /** starts the fake; `read(url)` is one read through an adapter at `url`, giving what the fake holds */
  start(clock: RecordingClock): Promise<{ url: string; read: (url: string) => Promise<unknown>; close: () => Promise<unknown> }>;
}

const vendors: Vendor[] = [
  {
    name: 'shopify',
    rateLimitHeaders: { 'retry-after': '2.0' },
    async start(clock) {
      const store = await startFakeStore({ orders: 3, now: clock.now, bucket: false });
      return {
        url: store.url,
        read: (url) =>
          createShopifyChannel({ store: 'faults.myshopify.com', token: STORE_TOKEN, apiUrl: url, clock, timeoutMs: TIMEOUT_MS }).findFirstOrderSince(
            '2020-01-01T00:00:00Z',
          ),
        close: () => store.close(),
      };
    },
  },
  {
    name: 'woocommerce',
    rateLimitHeaders: { 'retry-after': '3' },
    async start(clock) {
      const fake = await startFakeWooCommerce({ orderCount: 3, now: () => clock.now() });
      return {
        url: fake.url,
        read: (url) =>
          createWooCommerceChannel({
            url,
            consumerKey: fake.consumerKey,
            consumerSecret: fake.consumerSecret,
            clock,
            timeoutMs: TIMEOUT_MS,
          }).findFirstOrderSince('2020-01-01T00:00:00Z'),
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'bigcommerce',
    rateLimitHeaders: { 'x-rate-limit-time-reset-ms': '15000', 'x-rate-limit-requests-left': '0' },
    async start(clock) {
      const fake = await startFakeBigCommerce({ orderCount: 10, now: () => clock.now() });
      return {
        url: fake.url,
        read: (url) => createBigCommerceChannel({ storeHash: fake.storeHash, token: fake.token, apiUrl: url, clock, timeoutMs: TIMEOUT_MS }).getOrder('105'),
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'flxpoint',
    // Flxpoint documents no Retry-After
    rateLimitHeaders: {},
    async start(clock) {
      const fake = await startFakeFlxpoint({ now: () => clock.now(), rateLimitPerSecond: 1_000 });
      const order = fake.addOrder({ orderNumber: 'FX-1001', orderTotal: 69.84 });
      return {
        url: fake.url,
        read: (url) => createFlxpointPortal({ token: FLX_TOKENS.reseller, apiUrl: url, clock, timeoutMs: TIMEOUT_MS }).getOrder(String(order.id)),
        close: () => fake.close(),
      };
    },
  },
];

/** What a fault that never ends must come to: the error code, and how many tries one request may take. */
const lasting: { kind: FaultKind; code: string; tries: number; message: RegExp }[] = [
  { kind: 'gateway-502', code: 'upstream_error', tries: MAX_TRIES, message: /502 Bad Gateway/ },
  { kind: 'truncated', code: 'unexpected_response', tries: 1, message: /not JSON/ },
  { kind: 'reset-before', code: 'upstream_error', tries: MAX_TRIES, message: /could not reach/ },
  { kind: 'reset-after', code: 'upstream_error', tries: MAX_TRIES, message: /could not reach/ },
  { kind: 'slow', code: 'timeout', tries: 1, message: /did not answer .* within 1500 ms/ },
  { kind: '429', code: 'rate_limited', tries: MAX_TRIES, message: /429/ },
  { kind: '503', code: 'upstream_error', tries: MAX_TRIES, message: /503/ },
];

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanup) await close();
  cleanup = [];
});

async function open(vendor: Vendor, plan: FaultPlan | null) {
  const clock = createRecordingClock(START);
  const fake = await vendor.start(clock);
  const proxy: FaultProxy = await startFaultProxy(fake.url, plan);
  cleanup.push(() => proxy.close(), fake.close);
  return { clock, fake, proxy };
}

function planFor(vendor: Vendor, kind: FaultKind, times?: number): FaultPlan {
  return { kind, times, headers: kind === '429' ? vendor.rateLimitHeaders : undefined, delayMs: kind === 'slow' ? TIMEOUT_MS * 3 : undefined };
}

for (const vendor of vendors) {
  describe(`${vendor.name} through faults`, () => {
    for (const fault of lasting) {
      it(`always ${fault.kind}: ${fault.code} in plain words after at most ${fault.tries} ${fault.tries === 1 ? 'try' : 'tries'}, nothing invented`, async () => {
        const { fake, proxy } = await open(vendor, planFor(vendor, fault.kind));
        const outcome = await fake.read(proxy.url).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        // nothing invented: no answer at all rather than one made up from a broken exchange
        expect(outcome).not.toHaveProperty('value');
        const error = (outcome as { error: unknown }).error;
        expect(error).toBeInstanceOf(OnboardError);
        expect((error as UpstreamError).code).toBe(fault.code);
        expect((error as Error).message).toMatch(fault.message);
        // a plain message: no stack trace, no HTML, no "[object Object]"
        expect((error as Error).message).not.toMatch(/\n\s+at |<html|<\/|\[object/i);
        expect(proxy.arrivals.length).toBeLessThanOrEqual(MAX_TRIES);
        expect(proxy.arrivals).toHaveLength(fault.tries);
      });
    }

    for (const kind of ['gateway-502', 'reset-before', 'reset-after', '429', '503'] as const) {
      it(`a passing ${kind} (2 requests) is absorbed: the answer is the fake's own`, async () => {
        const clean = await open(vendor, null);
        const expected = await clean.fake.read(clean.proxy.url);
        const { fake, proxy } = await open(vendor, planFor(vendor, kind, 2));
        expect(await fake.read(proxy.url)).toEqual(expected);
        expect(proxy.arrivals.map((arrival) => arrival.fault).slice(0, 3)).toEqual([kind, kind, null]);
      });
    }

    it('a slow answer inside the deadline is waited for', async () => {
      const clean = await open(vendor, null);
      const expected = await clean.fake.read(clean.proxy.url);
      const { fake, proxy } = await open(vendor, { kind: 'slow', delayMs: 100 });
      expect(await fake.read(proxy.url)).toEqual(expected);
    });
  });
}
