// `onboard status` reads the profile's records only: against the real systems it takes the clock and the
// Order Manager's plan from what is stored, and builds no adapter (so a credential that could not even be
// turned into an adapter does not stop it).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

afterEach(() => removeTempDirs());

describe('status against the real systems', () => {
  it('lists the tracked orders from the records, without building the adapters of the stored credentials', async () => {
    const dir = tempConfigDir();
    const wizard = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir });
    expect(wizard.code, wizard.stderr).toBe(8);
    const profile = join(dir, 'profiles', 'default');
    mkdirSync(join(profile, 'real'), { recursive: true });
    copyFileSync(join(profile, 'sandbox', 'state.json'), join(profile, 'real', 'state.json'));
    // An API address the Shopify adapter refuses to be built with.
    writeFileSync(
      join(profile, 'real', 'credentials.json'),
      JSON.stringify({ shopify: { store: 'dealer.myshopify.com', token: 'shpat_x', apiUrl: 'not an address' }, 'inventory-source': { plan: 'plus' } }),
    );
    // a command that builds adapters names the damaged file (config_error, exit 1)
    expect((await cli(['orders', '--json'], { configDir: dir })).code).toBe(1);

    const status = await cli(['status', '--json'], { configDir: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(status.json().orders).toHaveLength(1);
    expect(status.json().orders[0]).toMatchObject({ number: '1001', abandoned: false });
    expect(status.json().orders[0].waitingFor).not.toBeNull();
  });
});
