// The redaction the support bundle relies on: secrets removed from any JSON value, customer data masked.
import { describe, expect, it } from 'vitest';
import { collectSecretValues, maskCustomerData, maskText, redactSecrets, redactString } from '../../src/core/redact.js';

describe('redactSecrets', () => {
  it('replaces the values of secret-looking keys at any depth, keeping null as "not set"', () => {
    const input = {
      shopify: { store: 'a.myshopify.com', token: 'shpat_1' },
      woocommerce: { consumerKey: 'ck_1', consumer_secret: 'cs_1', url: 'https://x.example' },
      headers: { Authorization: 'Basic abc', 'X-API-TOKEN': 'fxp', 'X-Shopify-Access-Token': 'shpat_2', Accept: 'application/json' },
      list: [{ apiKey: 'k1' }, { api_key: 'k2' }, { 'api-key': 'k3' }, { password: 'p' }],
      flxpoint: { token: null },
      tokens: { shopify: { token: 'x' } },
    };
    const out = redactSecrets(input);
    expect(out.shopify).toEqual({ store: 'a.myshopify.com', token: '[redacted]' });
    expect(out.woocommerce).toEqual({ consumerKey: '[redacted]', consumer_secret: '[redacted]', url: 'https://x.example' });
    expect(out.headers).toEqual({
      Authorization: '[redacted]',
      'X-API-TOKEN': '[redacted]',
      'X-Shopify-Access-Token': '[redacted]',
      Accept: 'application/json',
    });
    expect(out.list).toEqual([{ apiKey: '[redacted]' }, { api_key: '[redacted]' }, { 'api-key': '[redacted]' }, { password: '[redacted]' }]);
    expect(out.flxpoint).toEqual({ token: null });
    expect(out.tokens).toBe('[redacted]');
    // the input is not changed
    expect(input.shopify.token).toBe('shpat_1');
  });

  it('scrubs key-like query parameters in any URL, keeping the others', () => {
    const text =
      'GET https://s.example/wp-json/wc/v3/orders?consumer_key=ck_abc&consumer_secret=cs_def&page=2 and https://x.example/a?token=t1&api_key=k&access_token=a&key=sandbox&sig=zz#frag';
    const out = redactString(text);
    expect(out).toBe(
      'GET https://s.example/wp-json/wc/v3/orders?consumer_key=[redacted]&consumer_secret=[redacted]&page=2 and https://x.example/a?token=[redacted]&api_key=[redacted]&access_token=[redacted]&key=[redacted]&sig=[redacted]#frag',
    );
    expect(redactString('https://x.example/a?consumer%5Fkey=ck_1')).toBe('https://x.example/a?consumer%5Fkey=[redacted]');
  });

  it('scrubs written-out auth headers and every listed secret value (also URL-encoded) anywhere in strings', () => {
    const secret = 'se cret/+=value';
    const out = redactSecrets(
      { message: `failed with ${secret} and ${encodeURIComponent(secret)}; Authorization: Bearer abcdefgh123`, [`key ${secret}`]: 1 },
      { secrets: [secret, '', null, 'ab'] },
    );
    expect(JSON.stringify(out)).not.toContain('cret');
    expect(out.message).toBe('failed with [redacted] and [redacted]; Authorization: Bearer [redacted]');
    // too short to be a secret: not scrubbed everywhere
    expect(redactString('about', { secrets: ['ab'] })).toBe('about');
  });

  it('collectSecretValues finds every string whose key is secret', () => {
    expect(
      collectSecretValues({ a: { token: 't1' }, tokens: { shopify: { store: 's', token: 't2' } }, b: ['x'], c: { token: null }, apiKeys: ['k1', 'k2'] }).sort(),
    ).toEqual(['k1', 'k2', 't1', 't2']);
  });
});

describe('maskCustomerData', () => {
  it('keeps the first character and the shape', () => {
    expect(maskText('Jane Smith')).toBe('J*** S****');
    expect(maskText('jane.doe@example.com')).toBe('j***.***@*******.***');
    expect(maskText('+1 555-867-5309')).toBe('+* 5**-***-****');
    expect(maskText('+1 555-867-5309', true)).toBe('+* ***-***-****');
  });

  it('masks names, emails, phones and street addresses under personal keys and inside address objects, and wherever they recur', () => {
    const input = {
      order: { name: '#1001', number: '1001', address: { present: true, hasZip: true, hasPhone: false } },
      evidence: {
        customer: { first_name: 'Jane', last_name: 'Smithers', email: 'jane@example.org', phone: '+1 (555) 867-5309', note: 'VIP' },
        shipping_address: {
          name: 'Jane Smithers',
          address1: '42 Wallaby Way',
          address2: 'Unit 3',
          company: 'Acme',
          city: 'Sydney',
          zip: '2000',
          country_code: 'AU',
        },
        customerName: 'Jane Smithers',
      },
      message: 'No phone for Jane Smithers (5558675309), write to jane@example.org or other@example.net; shipped via Standard Shipping',
    };
    const out = maskCustomerData(input);
    expect(out.order).toEqual(input.order);
    expect(out.evidence.customer).toEqual({ first_name: 'J***', last_name: 'S*******', email: 'j***@*******.***', phone: '+* (***) ***-****', note: 'VIP' });
    expect(out.evidence.shipping_address).toEqual({
      name: 'J*** S*******',
      address1: '4* W****** W**',
      address2: 'U*** 3',
      company: 'A***',
      city: 'Sydney',
      zip: '2***',
      country_code: 'AU',
    });
    expect(out.evidence.customerName).toBe('J*** S*******');
    expect(out.message).toBe('No phone for J*** S******* (5*********), write to j***@*******.*** or o****@*******.***; shipped via Standard Shipping');
  });
});
