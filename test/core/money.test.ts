import { describe, expect, it } from 'vitest';
import { compareMoney, formatMoney, moneyToExactText, parseMoney } from '../../src/core/money.js';

describe('money', () => {
  it('parses decimal text into integer units at the vendor scale, never through a float', () => {
    expect(parseMoney('598.94', 'usd')).toEqual({ units: 59894n, scale: 2, currency: 'USD' });
    expect(parseMoney('12.3400', 'USD')).toEqual({ units: 123400n, scale: 4, currency: 'USD' });
    expect(parseMoney('0.1', 'USD').units + parseMoney('0.2', 'USD').units).toBe(3n);
  });

  it('reads a JSON number through its shortest round-trip text', () => {
    expect(moneyToExactText(parseMoney(17.05, 'USD'))).toBe('17.05');
    expect(moneyToExactText(parseMoney(0.1 + 0.2, 'USD'))).toBe('0.30000000000000004');
    expect(moneyToExactText(parseMoney(1e21, 'USD'))).toBe('1000000000000000000000');
    expect(moneyToExactText(parseMoney(1.5e-7, 'USD'))).toBe('0.00000015');
  });

  it('rejects what is not a decimal amount', () => {
    for (const bad of ['', 'abc', '1,00', '1.2.3', 'NaN']) expect(() => parseMoney(bad, 'USD')).toThrow(RangeError);
    expect(() => parseMoney(Number.NaN, 'USD')).toThrow(RangeError);
  });

  it('compares exactly across scales', () => {
    expect(compareMoney(parseMoney('50', 'USD'), parseMoney('50.0000', 'USD'))).toBe(0);
    expect(compareMoney(parseMoney('50.0001', 'USD'), parseMoney('50.00', 'USD'))).toBe(1);
    expect(compareMoney(parseMoney('49.99', 'USD'), parseMoney('50', 'USD'))).toBe(-1);
  });

  it('shows the currency digits, rounding half-up for display only', () => {
    expect(formatMoney(parseMoney('598.9400', 'USD'))).toBe('598.94');
    expect(formatMoney(parseMoney('0.005', 'USD'))).toBe('0.01');
    expect(formatMoney(parseMoney('0.0049', 'USD'))).toBe('0.00');
    expect(formatMoney(parseMoney('50', 'USD'))).toBe('50.00');
    expect(formatMoney(parseMoney('1234.5', 'JPY'))).toBe('1235');
    expect(formatMoney(parseMoney('-2.345', 'USD'))).toBe('-2.35');
  });
});
