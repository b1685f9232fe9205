// Small text rules every sales channel applies the same way: names on the addresses onboard sends, order numbers
// as people type them, vendors' timestamps, blank fields.

/**
 * A person's name as the first_name and last_name every channel's address asks for (none takes a full name).
 * The rule: white space is folded, the last word is the last name and the words before it the first name
 * ("Jamie Lee Rivera" → "Jamie Lee" + "Rivera"); a one-word name is the last name, with first_name empty
 * ("Cher" → "" + "Cher"), because a last name is what Shopify's checkout requires and what order lists show;
 * an empty name is two empty fields.
 */
export function splitName(name: string): { first_name: string; last_name: string } {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const last = words.pop() ?? '';
  return { first_name: words.join(' '), last_name: last };
}

/** True when `text` has something besides white space. */
export function nonEmpty(text: string | null | undefined): text is string {
  return typeof text === 'string' && text.trim() !== '';
}

/** An order number as compared: "#1001 " → "1001", case folded ("wc-1001" = "WC-1001"). */
export function orderNumberKey(text: string): string {
  return text.trim().replace(/^#/, '').trim().toLowerCase();
}

/** A vendor's timestamp (ISO 8601 with an offset, or RFC 2822) as ISO 8601 UTC. */
export function toIsoUtc(timestamp: string): string {
  return new Date(Date.parse(timestamp)).toISOString();
}

/**
 * An item id as WooCommerce and BigCommerce suggestions show it: "123" (a product) or "123:456" (variant or
 * variation 456 of product 123), white space around it allowed; null when it is neither.
 */
export function productAndVariant(text: string): { productId: number; variantId: number | null } | null {
  const match = /^\s*(\d+)(?::(\d+))?\s*$/.exec(text);
  if (!match) return null;
  return { productId: Number(match[1]), variantId: match[2] === undefined ? null : Number(match[2]) };
}
