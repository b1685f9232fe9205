import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/core/errors.js';
import { normalizeTrackingNumber, parseOrderRef, portalOrderMatches } from '../../src/core/identity.js';

describe('order references', () => {
  it('accepts 1001, #1001 and portal:ID', () => {
    expect(parseOrderRef('1001')).toEqual({ kind: 'number', number: '1001' });
    expect(parseOrderRef(' #1001 ')).toEqual({ kind: 'number', number: '1001' });
    expect(parseOrderRef('portal:310001')).toEqual({ kind: 'portal', portalId: '310001' });
  });

  it('accepts store order names with letters (SO-1001) and portal: in any case', () => {
    expect(parseOrderRef('SO-1001')).toEqual({ kind: 'number', number: 'so-1001' });
    expect(parseOrderRef('PORTAL:42')).toEqual({ kind: 'portal', portalId: '42' });
  });

  it('rejects a reference of the wrong form before anything is looked up', () => {
    for (const ref of ['portal:', 'portal:abc', 'portal:0', 'portal:-3', '0', '000', '-1', '1001.5', 'abc', '1001/2']) {
      expect(() => parseOrderRef(ref), ref).toThrow(BadInputError);
    }
  });

  it('cuts long input in the message', () => {
    const error = (() => {
      try {
        parseOrderRef('9'.repeat(5000) + '.');
      } catch (caught) {
        return caught as BadInputError;
      }
      throw new Error('not refused');
    })();
    expect(error.message).toContain('… (5001 characters)');
    expect(error.message.length).toBeLessThan(160);
  });

  it('says a long reference is too long rather than calling its letters wrong', () => {
    expect(() => parseOrderRef('x'.repeat(3000))).toThrow(/too long: an order number has at most 64 characters/);
    expect(parseOrderRef('9'.repeat(64))).toEqual({ kind: 'number', number: '9'.repeat(64) });
  });

  it('rejects an empty or spaced reference', () => {
    expect(() => parseOrderRef('#')).toThrow(BadInputError);
    expect(() => parseOrderRef('10 01')).toThrow(BadInputError);
  });
});

describe('matching a portal order to a channel order', () => {
  const channel = { number: '1001', name: '#1001' };
  it('matches orderNumber or referenceNumber, trimmed, without #, case-insensitively', () => {
    expect(portalOrderMatches({ orderNumber: '1001', referenceNumber: null }, channel)).toBe(true);
    expect(portalOrderMatches({ orderNumber: null, referenceNumber: ' #1001 ' }, channel)).toBe(true);
    expect(portalOrderMatches({ orderNumber: 'SO-7', referenceNumber: '#1001' }, channel)).toBe(true);
    expect(portalOrderMatches({ orderNumber: 'AB12', referenceNumber: null }, { number: 'ab12', name: '#AB12' })).toBe(true);
  });

  it('does not match other numbers or empty values', () => {
    expect(portalOrderMatches({ orderNumber: '10010', referenceNumber: '#100' }, channel)).toBe(false);
    expect(portalOrderMatches({ orderNumber: '', referenceNumber: null }, channel)).toBe(false);
    expect(portalOrderMatches({ orderNumber: '#', referenceNumber: ' ' }, { number: '', name: '#' })).toBe(false);
  });

  it('compares tracking numbers without spaces or dashes, case-insensitively', () => {
    expect(normalizeTrackingNumber('1z 999-aa1')).toBe(normalizeTrackingNumber('1Z999AA1'));
  });
});
