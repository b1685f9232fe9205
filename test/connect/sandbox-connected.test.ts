// `connect shopify|flxpoint --sandbox --api-url URL` stores a running sandbox server's credentials; `--sandbox`
// commands then use that server.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/store.js';
import { startSandboxServer } from '../../src/sandbox/server.js';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

afterEach(() => removeTempDirs());

it('--sandbox commands use the server stored by connect --sandbox', async () => {
  const dir = tempConfigDir();
  const otherDir = tempConfigDir();
  const server = await startSandboxServer({ store: new ProfileStore(otherDir, 'default') });
  try {
    expect((await cli(['connect', 'shopify', '--sandbox', '--api-url', server.url, '--token', server.shopify.token], { configDir: dir })).code).toBe(0);
    expect((await cli(['connect', 'flxpoint', '--sandbox', '--api-url', server.url, '--token', server.flxpoint.token], { configDir: dir })).code).toBe(0);
    const placed = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir });
    expect(placed.code).toBe(8);
    expect(readFileSync(join(otherDir, 'profiles', 'default', 'sandbox', 'world.json'), 'utf8')).toContain('1001');
    expect(existsSync(join(dir, 'profiles', 'default', 'sandbox', 'world.json'))).toBe(false);
    const orders = await cli(['orders', '--sandbox', '--json'], { configDir: dir });
    expect(orders.json().orders).toHaveLength(1);
  } finally {
    await server.close();
  }
});
