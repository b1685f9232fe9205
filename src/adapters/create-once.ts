// Creating an order exactly once, for every sales channel. No vendor onboard speaks to takes an idempotency key
// on its order create, so each channel puts a marker on the order it sends (Shopify: a tag and a note attribute;
// WooCommerce: an order meta field; BigCommerce: staff_notes) and supplies two functions: `send` (one POST, its
// answer mapped) and `findByMarker` (the order carrying the marker, created since a time). This module owns the
// rest, one rule for all three:
//
// - The create may have happened when the request may have reached the vendor and its answer says nothing
//   certain: the connection dropped (reset, no answer), the request timed out, the vendor or a gateway answered
//   5xx, or it answered 2xx with a body that does not read (created, but which order?). A 429, a 4xx or a refused
//   credential was not processed: it is thrown as it is (the HTTP seam already resent a 429 within its budget).
// - After such a failure onboard waits CREATE_SETTLE_MS (a server that failed after the request reached it may
//   still be saving the order), then looks for the order by its marker among the orders created since
//   CREATE_LOOKBACK_MS before the first send (the vendor stamps orders with its own clock, which may be behind).
//   Found: that is the order. A look that fails itself ends the create with an error saying the order may exist.
// - Not found: the create is sent once more (CREATE_MAX_SENDS in all), except when the vendor answered 2xx (it
//   did create something), or when the request may still be running on the vendor's side: a timeout (onboard
//   stopped waiting, the vendor did not) or a 504 (a gateway stopped waiting). A create that completes after the
//   look would then be placed twice; instead the error says so, and running the command again looks for the
//   order by its key (the run's id) before anything is sent (core/services/create-order.ts createOrFindOrder).
//
// The window that remains, and its bound: after a dropped connection or a 5xx other than 504, a vendor that is
// still saving the order more than CREATE_SETTLE_MS after onboard saw the failure is not found by the look, and
// the second send places a second order. That needs the vendor to keep working on a request whose connection it
// has closed or answered with an error, for longer than 5 seconds after it did so.
import type { Clock } from '../core/clock.js';
import { BadInputError, UpstreamError } from '../core/errors.js';
import type { ChannelOrder } from '../core/ports.js';

/** The look reaches back this far before the first send (the vendor's clock may be behind onboard's). */
export const CREATE_LOOKBACK_MS = 15 * 60_000;
/** After a failure that may have created the order, onboard waits this long before it looks for it. */
export const CREATE_SETTLE_MS = 5_000;
/** One create is sent at most this many times. */
export const CREATE_MAX_SENDS = 2;

/** The quantity of the one line of a test order: a whole number of at least 1 (checked before anything is sent). */
export function checkQuantity(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new BadInputError(`--quantity: ${quantity} is not a whole number of at least 1`);
}

/** A failure after which the order may exist: the request may have reached the vendor and been processed. */
export function createMayHaveHappened(error: unknown): error is UpstreamError {
  if (!(error instanceof UpstreamError)) return false;
  if (error.code === 'timeout' || error.code === 'unexpected_response') return true;
  // no status: the connection dropped (or never opened, in which case the look is merely redundant)
  return error.code === 'upstream_error' && (error.status === undefined || error.status >= 500);
}

/** A failure after which the create may still be running on the vendor's side (onboard or a gateway stopped waiting). */
export function createMayStillComplete(error: UpstreamError): boolean {
  return error.code === 'timeout' || error.status === 504;
}

export interface CreateOnceOptions {
  /** the vendor's name for messages: "Shopify" */
  label: string;
  /** the marker the order carries, for messages (the idempotency key) */
  key: string;
  /** where the dealer looks for the order in the vendor's admin: "the Shopify admin under Orders" */
  whereToLook: string;
  /** sends the create once and maps its answer; a 2xx whose body does not read throws unexpected_response */
  send: () => Promise<ChannelOrder>;
  /** the order carrying the marker, created at or after `createdAtMin` (ISO 8601), or null */
  findByMarker: (createdAtMin: string) => Promise<ChannelOrder | null>;
  clock: Clock;
  log?: ((line: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

type FailureCode = 'upstream_error' | 'unexpected_response' | 'timeout';

/** Places the order exactly once (the rules are at the top of this file). */
export async function createOnce(options: CreateOnceOptions): Promise<ChannelOrder> {
  const { label, key, whereToLook, clock, log } = options;
  const lookFrom = new Date(clock.now() - CREATE_LOOKBACK_MS).toISOString();
  for (let sends = 1; ; sends += 1) {
    let failure: UpstreamError;
    try {
      return await options.send();
    } catch (error) {
      if (!createMayHaveHappened(error)) throw error;
      failure = error;
    }
    log?.(`… the answer to the order create was lost (${failure.message}): looking for the order before trying again`);
    await clock.sleep(CREATE_SETTLE_MS, options.signal);
    let found: ChannelOrder | null;
    try {
      found = await options.findByMarker(lookFrom);
    } catch (lookupError) {
      throw new UpstreamError(
        'upstream_error',
        `${label} may or may not have created the test order: the create failed (${failure.message}) and so did looking for it`,
        {
          hint: `Look in ${whereToLook} for a new order to this address before trying again, so that it is not placed twice.`,
          cause: lookupError,
        },
      );
    }
    if (found) return found;
    const code = failure.code as FailureCode;
    if (failure.code === 'unexpected_response') {
      throw new UpstreamError(code, `${failure.message}; no order carrying the key ${key} was found`, {
        status: failure.status,
        hint: `${label} answered the create, so it may have placed the order: look in ${whereToLook} before trying again.`,
        cause: failure,
      });
    }
    if (createMayStillComplete(failure)) {
      throw new UpstreamError(
        code,
        `${failure.message}; ${label} may still be creating the order (none carries the key ${key} yet), so onboard did not send it again`,
        {
          status: failure.status,
          hint: `Run the same command again in a few minutes: it looks for the order by its key before sending anything. Or look in ${whereToLook}.`,
          cause: failure,
        },
      );
    }
    if (sends >= CREATE_MAX_SENDS) {
      throw new UpstreamError(code, `${failure.message} (sent ${sends} times; no order carries the key ${key})`, {
        status: failure.status,
        hint: `No order was created. ${failure.hint ?? 'Try again in a few minutes.'} If in doubt, look in ${whereToLook} first.`,
        cause: failure,
      });
    }
  }
}
