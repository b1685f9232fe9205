// `sandbox serve --port N` on a port another program holds: the user's to choose again (exit 2), not a bug report.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs } from '../helpers/cli.js';

let holder: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
  holder = null;
  removeTempDirs();
});

describe('sandbox serve --port', () => {
  it('a port in use exits 2 naming it, with how to choose another', async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    const result = await cli(['sandbox', 'serve', '--port', String(port), '--json']);
    expect(result.code).toBe(2);
    const { error } = result.json();
    expect(error.message).toBe(`--port: port ${port} on 127.0.0.1 is in use by another program`);
    expect(error.hint).toMatch(/leave --port out/);
    expect(JSON.stringify(error)).not.toMatch(/report it|unexpected/i);
  });
});
