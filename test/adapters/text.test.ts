// The text rules every sales channel shares (src/adapters/text.ts).
import { describe, expect, it } from 'vitest';
import { nonEmpty, orderNumberKey, productAndVariant, splitName, toIsoUtc } from '../../src/adapters/text.js';

describe('splitName: one rule for every channel', () => {
  it('the last word is the last name, the words before it the first name', () => {
    expect(splitName('Jamie Lee Rivera')).toEqual({ first_name: 'Jamie Lee', last_name: 'Rivera' });
    expect(splitName("Dana O'Neil")).toEqual({ first_name: 'Dana', last_name: "O'Neil" });
  });

  it('white space is folded: around, between and of any kind', () => {
    expect(splitName('  Jamie \t Lee\n Rivera  ')).toEqual({ first_name: 'Jamie Lee', last_name: 'Rivera' });
  });

  it('a one-word name is the last name; an empty name is two empty fields', () => {
    expect(splitName('Cher')).toEqual({ first_name: '', last_name: 'Cher' });
    expect(splitName('  Cher ')).toEqual({ first_name: '', last_name: 'Cher' });
    expect(splitName('')).toEqual({ first_name: '', last_name: '' });
    expect(splitName('   ')).toEqual({ first_name: '', last_name: '' });
  });
});

describe('the other shared text rules', () => {
  it('nonEmpty: something besides white space', () => {
    expect(nonEmpty('x')).toBe(true);
    expect(nonEmpty(' \t')).toBe(false);
    expect(nonEmpty(null)).toBe(false);
    expect(nonEmpty(undefined)).toBe(false);
  });

  it('orderNumberKey: "#1001 " is 1001, case folded', () => {
    expect(orderNumberKey(' #1001 ')).toBe('1001');
    expect(orderNumberKey('# WC-1001')).toBe('wc-1001');
    expect(orderNumberKey('1001')).toBe(orderNumberKey('#1001'));
  });

  it('toIsoUtc: ISO with an offset and RFC 2822 alike', () => {
    expect(toIsoUtc('2026-01-15T07:00:00-05:00')).toBe('2026-01-15T12:00:00.000Z');
    expect(toIsoUtc('Thu, 15 Jan 2026 12:00:00 +0000')).toBe('2026-01-15T12:00:00.000Z');
  });

  it('productAndVariant: "123" or "123:456", else null', () => {
    expect(productAndVariant(' 123 ')).toEqual({ productId: 123, variantId: null });
    expect(productAndVariant('123:456')).toEqual({ productId: 123, variantId: 456 });
    expect(productAndVariant('gid://shopify/ProductVariant/1')).toBeNull();
    expect(productAndVariant('123:')).toBeNull();
    expect(productAndVariant('')).toBeNull();
  });
});
