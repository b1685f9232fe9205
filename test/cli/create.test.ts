// `test-order --create`: the order placed by API, once per run.
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

afterEach(() => removeTempDirs());

describe('test-order --create', () => {
  it('on the sandbox needs no flags: the order is created by API and followed to tracking_synced', async () => {
    const configDir = tempConfigDir();
    const result = await cli(['test-order', '--sandbox', '--create', '--yes', '--json'], { configDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ stage: 'tracking_synced', order: { number: '1001', shippingTitle: 'Standard Shipping' } });
    expect(result.stderr).toContain('by API');
  });

  it('with flags, places exactly what they say (the shipping title reaches the order)', async () => {
    const configDir = tempConfigDir();
    const result = await cli(
      ['test-order', '--sandbox', '--create', '--yes', '--json', '--shipping-title', 'Economy Saver (5-9 days)', '--shipping-price', '1.50', '--quantity', '2'],
      { configDir },
    );
    // Only "Standard Shipping" is mapped on the sandbox: another title stops at "No Shipping Method".
    expect(result.code).toBe(3);
    expect(result.json()).toMatchObject({ problem: 'shipping_unmapped', order: { shippingTitle: 'Economy Saver (5-9 days)' } });
    expect(JSON.stringify(result.json().advice)).toContain('Economy Saver (5-9 days)');
  });

  it('rejects a bad flag value before touching anything', async () => {
    const configDir = tempConfigDir();
    const result = await cli(['test-order', '--sandbox', '--create', '--yes', '--json', '--ship-country', 'USA'], { configDir });
    expect(result.code).toBe(2);
    expect(result.json().error).toMatchObject({ code: 'bad_input', message: expect.stringContaining('--ship-country') });
    expect((await cli(['status', '--sandbox', '--json'], { configDir })).json().orders).toEqual([]);
  });

  it('while a run is unfinished, --create names --restart', async () => {
    const configDir = tempConfigDir();
    expect((await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir })).code).toBe(8);
    const again = await cli(['test-order', '--sandbox', '--create', '--yes', '--json'], { configDir });
    expect(again.code).toBe(2);
    expect(again.json().error.message + again.json().error.hint).toContain('--restart');
  });

  it('--vendor matches part of a vendor name in any case; a vendor that matches nothing is said (exit 2, nothing changed)', async () => {
    const configDir = tempConfigDir();
    const none = await cli(['test-order', '--sandbox', '--create', '--vendor', 'Nobody', '--yes', '--json'], { configDir });
    expect(none.code).toBe(2);
    expect(none.json().error.message).toContain('"Nobody"');
    expect(none.json().error.hint).toContain('Acme Supply');
    expect((await cli(['status', '--sandbox', '--json'], { configDir })).json().orders).toEqual([]);

    const acme = await cli(['test-order', '--sandbox', '--create', '--vendor', 'acme', '--yes', '--timeout', '0', '--json'], { configDir });
    expect(acme.code, acme.stderr).toBe(8);
    expect(acme.stderr).toContain('Acme Canvas Tote');
    expect(acme.stderr).not.toContain('Onboard Test Sticker');
    // the cheapest Acme item (11.99) plus the test shipping (0.01)
    expect(acme.json().order.total).toBe('12.00');
  });

  it('an unknown variant is refused by the store: exit 2, and no run is left behind', async () => {
    const configDir = tempConfigDir();
    const result = await cli(['test-order', '--sandbox', '--create', '--variant', '99999', '--yes', '--json'], { configDir });
    expect(result.code).toBe(2);
    expect((await cli(['status', '--sandbox', '--json'], { configDir })).json().orders).toEqual([]);
    const plain = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir });
    expect(plain.code, plain.stderr).toBe(8);
    expect(plain.stderr).not.toContain('Another onboard process');
  });
});
