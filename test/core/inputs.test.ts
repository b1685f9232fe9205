import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/core/errors.js';
import { parseAmount, parseDuration } from '../../src/core/inputs.js';
import { formatMoney } from '../../src/core/money.js';

describe('DURATION', () => {
  it('accepts 0 and integers with s, m, h, d, also compound', () => {
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
  });

  it('rejects everything else as bad input', () => {
    for (const bad of ['', '5', '5x', '1.5h', '-1h', 'h', '1h 30m', '0s0']) {
      expect(() => parseDuration(bad, '--timeout')).toThrow(BadInputError);
    }
  });
});

describe('AMOUNT', () => {
  it('accepts amounts above 0 up to 1,000,000 with up to two decimals and an optional $', () => {
    expect(formatMoney(parseAmount('50'))).toBe('50.00');
    expect(formatMoney(parseAmount(' $49.99 '))).toBe('49.99');
    expect(formatMoney(parseAmount('0.01'))).toBe('0.01');
    expect(formatMoney(parseAmount('1000000'))).toBe('1000000.00');
  });

  it('rejects every malformed or out-of-range amount', () => {
    for (const bad of ['0', '0.00', '-5', 'abc', '1000001', '1000000.01', '50.123', '$', '1e3', '01', '', ' ', '5,00', '$$5', '.5', '5.']) {
      expect(() => parseAmount(bad), bad).toThrow(BadInputError);
    }
  });
});
