// Order identity (spec §4): one place that turns user references into lookups and matches a channel order
// to a portal order.
import { BadInputError } from './errors.js';

export type OrderRef = { kind: 'number'; number: string } | { kind: 'portal'; portalId: string };

/** `<order>` arguments: `1001`, `#1001`, or `portal:ID`. */
export function parseOrderRef(text: string): OrderRef {
  const trimmed = text.trim();
  const portal = /^portal:(\S+)$/i.exec(trimmed);
  if (portal) return { kind: 'portal', portalId: portal[1] };
  const number = normalizeOrderNumber(trimmed);
  if (!number || /\s/.test(number)) {
    throw new BadInputError(`"${text}" is not an order reference`, {
      hint: 'Give the store order number (1001 or #1001) or a portal order id as portal:ID.',
    });
  }
  return { kind: 'number', number };
}

/** Trimmed, without a leading '#', compared case-insensitively. */
export function normalizeOrderNumber(value: string | null | undefined): string {
  return (value ?? '').trim().replace(/^#/, '').trim().toLowerCase();
}

/**
 * Does a portal order (Flxpoint orderNumber / referenceNumber) belong to this channel order (number and name)?
 * Both sides are trimmed, stripped of '#', and compared case-insensitively.
 */
export function portalOrderMatches(
  portal: { orderNumber: string | null; referenceNumber: string | null },
  channel: { number: string; name: string },
): boolean {
  const wanted = new Set([normalizeOrderNumber(channel.number), normalizeOrderNumber(channel.name)].filter(Boolean));
  return [portal.orderNumber, portal.referenceNumber].some((value) => {
    const candidate = normalizeOrderNumber(value);
    return candidate !== '' && wanted.has(candidate);
  });
}

/** Tracking numbers compare without spaces or dashes, case-insensitively. */
export function normalizeTrackingNumber(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase();
}
