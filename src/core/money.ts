// Exact money: integer units at the vendor's scale, never a binary float.
// Decimal text is parsed digit by digit; a JSON number goes through its shortest round-trip text.

export interface Money {
  /** integer units at `scale` (598.94 at scale 2 → 59894n) */
  readonly units: bigint;
  readonly scale: number;
  readonly currency: string;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Expand a JS number's shortest round-trip text (which may use an exponent) into plain decimal text. */
function numberToDecimalText(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
  const text = String(value);
  const match = /^(-)?(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', intPart, fracPart = '', expText] = match;
  const exp = Number(expText);
  const digits = intPart + fracPart;
  const pointAt = intPart.length + exp;
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return `${sign}${digits}${'0'.repeat(pointAt - digits.length)}`;
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

export function parseMoney(value: string | number, currency: string): Money {
  const text = typeof value === 'number' ? numberToDecimalText(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(whole + fraction) * (sign === '-' ? -1n : 1n);
  return { units, scale: fraction.length, currency: currency.toUpperCase() };
}

function rescale(units: bigint, from: number, to: number): bigint {
  return to >= from ? units * 10n ** BigInt(to - from) : units / 10n ** BigInt(from - to);
}

/** -1, 0, 1. Exact across scales. */
export function compareMoney(a: Money, b: Money): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a.units, a.scale, scale);
  const y = rescale(b.units, b.scale, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function subtractMoney(a: Money, b: Money): Money {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a.units, a.scale, scale) - rescale(b.units, b.scale, scale), scale, currency: a.currency };
}

/** Digits a currency shows (ISO 4217 minor units for the common zero- and three-decimal ones). */
export function currencyDigits(currency: string): number {
  const zero = ['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF', 'PYG', 'RWF'];
  const three = ['BHD', 'KWD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD'];
  if (zero.includes(currency)) return 0;
  if (three.includes(currency)) return 3;
  return 2;
}

/** Display text at the currency's digits, rounded half-up (away from zero), for display only. */
export function formatMoney(money: Money, digits = currencyDigits(money.currency)): string {
  const negative = money.units < 0n;
  let units = negative ? -money.units : money.units;
  if (money.scale > digits) {
    const divisor = 10n ** BigInt(money.scale - digits);
    const remainder = units % divisor;
    units = units / divisor + (remainder * 2n >= divisor ? 1n : 0n);
  } else {
    units = units * 10n ** BigInt(digits - money.scale);
  }
  const text = units.toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative && units !== 0n ? '-' : ''}${whole}${fraction}`;
}

/** Exact decimal text at the stored scale, for persistence ("598.9400" stays four decimals). */
export function moneyToExactText(money: Money): string {
  if (money.scale === 0) return money.units.toString();
  const negative = money.units < 0n;
  const text = (negative ? -money.units : money.units).toString().padStart(money.scale + 1, '0');
  return `${negative ? '-' : ''}${text.slice(0, -money.scale)}.${text.slice(-money.scale)}`;
}

export interface StoredMoney {
  amount: string;
  currency: string;
}

export function storeMoney(money: Money): StoredMoney {
  return { amount: moneyToExactText(money), currency: money.currency };
}

export function loadMoney(stored: StoredMoney): Money {
  return parseMoney(stored.amount, stored.currency);
}
