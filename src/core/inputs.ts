// Parsers for the two value types of spec §5: DURATION and AMOUNT. Bad input → BadInputError (exit 2).
import { BadInputError } from './errors.js';
import { compareMoney, parseMoney, type Money } from './money.js';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `0`, or integers with units s/m/h/d, optionally compound (`1h30m`). Returns milliseconds. */
export function parseDuration(text: string, flag = 'duration'): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!/^(\d+[smhd])+$/.test(trimmed)) {
    throw new BadInputError(`${flag}: "${text}" is not a duration`, {
      hint: 'Use 0 or a number with a unit s, m, h or d, for example 90s, 15m, 1h30m, 2d.',
    });
  }
  let total = 0;
  for (const [, count, unit] of trimmed.matchAll(/(\d+)([smhd])/g)) {
    total += Number(count) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  if (!Number.isSafeInteger(total)) throw new BadInputError(`${flag}: "${text}" is too long`);
  return total;
}

const AMOUNT = /^\$?(0|[1-9][0-9]{0,6})(\.[0-9]{1,2})?$/;
const AMOUNT_MAX = parseMoney('1000000', 'USD');

/** An AMOUNT of spec §5: above 0, at most 1,000,000, at most two decimals, an optional `$`. */
export function parseAmount(text: string, flag = '--max', currency = 'USD'): Money {
  const trimmed = text.trim();
  const bad = (why: string) =>
    new BadInputError(`${flag}: "${text}" is not a valid amount (${why})`, {
      hint: "Give an amount above 0 and at most 1,000,000 with up to two decimals, for example 50, 50.00 or '$49.99'.",
    });
  if (!AMOUNT.test(trimmed)) throw bad('expected digits with up to two decimals');
  const money = parseMoney(trimmed.replace(/^\$/, ''), currency);
  if (money.units <= 0n) throw bad('it must be above 0');
  if (compareMoney(money, AMOUNT_MAX) > 0) throw bad('it must be at most 1,000,000');
  return money;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** spec §2: plain http only for loopback (127.0.0.0/8, ::1, localhost); anything else → BadInputError */
export function validateBaseUrl(url: string, flag: string): string {
  const text = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new BadInputError(`${flag}: "${url}" is not a URL`, {
      hint: 'Give a full address such as https://example.com (with https://).',
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new BadInputError(`${flag}: "${url}" must start with https://`);
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    throw new BadInputError(`${flag}: plain http is only accepted for loopback addresses, not "${parsed.host}"`, {
      hint: 'Use https://, or 127.0.0.1 / localhost for a local test server.',
    });
  }
  if (parsed.username || parsed.password) {
    throw new BadInputError(`${flag}: the URL must not carry a user name or password`);
  }
  if (parsed.search || parsed.hash) {
    throw new BadInputError(`${flag}: the URL must not carry a query or fragment ("${parsed.search}${parsed.hash}")`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}
