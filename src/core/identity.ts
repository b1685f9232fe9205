// Order identity (spec §4): one place that turns user references into lookups and matches a channel order
// to a portal order.
import { BadInputError } from './errors.js';

export type OrderRef = { kind: 'number'; number: string } | { kind: 'portal'; portalId: string };

const ACCEPTED_FORMS = 'Give the store order number (1001 or #1001) or a dealer portal order id as portal:ID (portal:310001).';
/** Store order numbers and names: letters, digits, dash or underscore, with at least one digit (1001, SO-1001). */
/** The longest order number accepted (ORDER_NUMBER's bound). */
const MAX_ORDER_NUMBER = 64;
const ORDER_NUMBER = /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Flxpoint order ids are positive integers. */
const PORTAL_ID = /^[1-9]\d{0,18}$/;

/** Input echoed in a message, cut to a readable length. */
export function clip(text: string, max = 40): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}… (${chars.length} characters)`;
}

/**
 * `<order>` arguments: `1001`, `#1001`, or `portal:ID`. The form is checked here, before any request: a bad
 * one is bad input naming the accepted forms.
 */
export function parseOrderRef(text: string): OrderRef {
  const trimmed = text.trim();
  const bad = (why: string) => new BadInputError(`"${clip(text)}" is not an order reference (${why})`, { hint: ACCEPTED_FORMS });
  const portal = /^portal:(.*)$/is.exec(trimmed);
  if (portal) {
    const id = portal[1].trim();
    if (id === '') throw bad('portal: needs the portal order id after it');
    if (!PORTAL_ID.test(id)) throw bad('a portal order id is a whole number above 0');
    return { kind: 'portal', portalId: id };
  }
  const number = trimmed.replace(/^#/, '').trim();
  if (number === '') throw bad('it is empty');
  if (number.length > MAX_ORDER_NUMBER) throw bad(`too long: an order number has at most ${MAX_ORDER_NUMBER} characters`);
  if (!ORDER_NUMBER.test(number)) throw bad('an order number has at least one digit, and only letters, digits, - and _, like 1001 or #1001');
  if (/^0+$/.test(number)) throw bad('an order number is above 0');
  return { kind: 'number', number: number.toLowerCase() };
}

/** Trimmed, without a leading '#', compared case-insensitively. */
export function normalizeOrderNumber(value: string | null | undefined): string {
  return (value ?? '').trim().replace(/^#/, '').trim().toLowerCase();
}

/**
 * Does a portal order (Flxpoint orderNumber / referenceNumber) belong to this channel order (number and name)?
 * Both sides are trimmed, stripped of '#', and compared case-insensitively.
 */
export function portalOrderMatches(portal: { orderNumber: string | null; referenceNumber: string | null }, channel: { number: string; name: string }): boolean {
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
