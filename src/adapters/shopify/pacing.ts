// Pacing for Shopify's leaky bucket (REST Admin API). Every response carries
// `X-Shopify-Shop-Api-Call-Limit: used/size` (size 40, leaking 2 calls a second on standard plans, 20 on Plus;
// research §1.6). onboard itself never starts more than 2 requests a second (the standard plan's documented
// rate), so on its own it never fills the bucket; other apps on the same store share it, though, and the header
// counts their calls too. Once it is nearly full (used ≥ size − 2) the next request waits about one second per
// call above that mark, which lets the bucket drain below it again. Every wait goes through the Clock, so
// under --sandbox it is virtual (and, as before, each paced request moves the sandbox's virtual clock).
import type { Clock } from '../../core/clock.js';
import type { RequestPacer } from '../http/client.js';

export const CALL_LIMIT_HEADER = 'x-shopify-shop-api-call-limit';

export interface CallLimit {
  used: number;
  size: number;
}

/** "32/40" → {used: 32, size: 40}; anything else → undefined. */
export function parseCallLimit(value: string | undefined): CallLimit | undefined {
  if (value === undefined) return undefined;
  // a duplicated header arrives joined by ", ": the first reading is as good as any
  const match = /^\s*(\d+)\s*\/\s*(\d+)/.exec(value);
  if (!match) return undefined;
  const used = Number(match[1]);
  const size = Number(match[2]);
  if (!(size > 0)) return undefined;
  return { used, size };
}

export interface PacerOptions {
  /** calls kept free in the bucket (default 2: slow down from 38/40 on) */
  headroom?: number;
  /** wait per call at or above the mark (default 1000 ms: twice what the standard leak of 2/s needs) */
  msPerExcessCall?: number;
  /** at least this long between request starts, whatever the bucket says (default 500 ms: 2 requests a second) */
  minIntervalMs?: number;
  /** wait after a 429 that carried no Retry-After (default 2000 ms) */
  throttledWaitMs?: number;
  log?: (line: string) => void;
  /** the command's abort signal: ends a pacing pause at once */
  signal?: AbortSignal;
  /** the 2-a-second slots shared with the profile's other processes on the same app and store (replaces minIntervalMs) */
  shared?: RequestPacer;
}

export interface ShopifyPacer {
  /** waits (through the clock) until the next request may start; the HTTP seam asks before every attempt */
  beforeRequest(signal?: AbortSignal): Promise<void>;
  /** reads the call-limit header of a response (success or error) */
  observe(headers: Record<string, string>): void;
  /** Shopify refused with 429: hold off for `retryAfterMs` (or the default) */
  throttled(retryAfterMs: number | undefined): void;
  /** the last reading, for tests and --verbose */
  readonly last: CallLimit | undefined;
}

export function createShopifyPacer(clock: Clock, options: PacerOptions = {}): ShopifyPacer {
  const headroom = options.headroom ?? 2;
  const msPerExcessCall = options.msPerExcessCall ?? 1_000;
  const minIntervalMs = options.minIntervalMs ?? 500;
  const throttledWaitMs = options.throttledWaitMs ?? 2_000;
  let waitUntil = Number.NEGATIVE_INFINITY;
  let lastStart = Number.NEGATIVE_INFINITY;
  let last: CallLimit | undefined;

  return {
    get last() {
      return last;
    },
    async beforeRequest(signal) {
      const now = clock.now();
      const target = options.shared ? waitUntil : Math.max(waitUntil, lastStart + minIntervalMs);
      if (target > now) await clock.sleep(target - now, signal ?? options.signal);
      if (options.shared) await options.shared.beforeRequest(signal ?? options.signal);
      lastStart = clock.now();
    },
    observe(headers) {
      const reading = parseCallLimit(headers[CALL_LIMIT_HEADER]);
      if (!reading) return;
      last = reading;
      const excess = reading.used - (reading.size - headroom) + 1;
      if (excess > 0) {
        const wait = excess * msPerExcessCall;
        waitUntil = Math.max(waitUntil, clock.now() + wait);
        options.log?.(`… Shopify call bucket at ${reading.used}/${reading.size}: next request in ${wait}ms`);
      }
    },
    throttled(retryAfterMs) {
      waitUntil = Math.max(waitUntil, clock.now() + (retryAfterMs ?? throttledWaitMs));
    },
  };
}
