// The sandbox-only control client against a real server: the dealer's clicks and the virtual clock.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSandboxClock,
  createSandboxControls,
  createSandboxHttpClient,
  createSandboxOrderManager,
  placeSandboxOrder,
  readSandboxClock,
  readSandboxHealth,
} from '../../src/sandbox/control-client.js';
import { MINUTE, closeAll, openSandbox } from './harness.js';

afterEach(closeAll);

describe('sandbox control client', () => {
  it('places an order, presses Order Sync, reads the import, authorizes once, and changes settings', async () => {
    const sb = await openSandbox();
    const client = createSandboxHttpClient(sb.server.url);
    expect(await readSandboxHealth(client)).toEqual({ ok: true, scenario: 'happy' });

    const placed = await placeSandboxOrder(client);
    expect(placed).toMatchObject({ number: '1001', name: '#1001', scenario: 'happy' });
    const manager = createSandboxOrderManager(client, 'plus');
    expect(manager).toMatchObject({ system: 'inventory-source', plan: 'plus', planAssumed: false, intervalMs: 15 * MINUTE });
    expect(await manager.importStatus?.(placed.id)).toEqual({ imported: false, importedAt: null, heldReason: null });
    await manager.forceSync?.();
    const status = await manager.importStatus?.(placed.id);
    expect(status?.imported).toBe(true);

    const portalId = String((await sb.portalOrderFor('1001')).id);
    const controls = createSandboxControls(client);
    expect(await controls.settingsForOrder(portalId)).toEqual({ autoAuthorize: false, maxOrderTotal: null });
    expect(await controls.authorize(portalId)).toEqual({ alreadyAuthorized: false });
    expect(await controls.authorize(portalId)).toEqual({ alreadyAuthorized: true });
    expect(await controls.setSettings({ autoAuthorize: true, maxOrderTotal: '25.00' })).toEqual({ autoAuthorize: true, maxOrderTotal: '25.00' });
    expect(await controls.getSettings()).toEqual({ autoAuthorize: true, maxOrderTotal: '25.00' });

    await expect(placeSandboxOrder(client, 'nope')).rejects.toMatchObject({ code: 'bad_input' });
    await expect(controls.authorize('1')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('the virtual clock moves the world while it sleeps, and an aborted real wait leaves it still', async () => {
    const sb = await openSandbox();
    const client = createSandboxHttpClient(sb.server.url);
    const start = await readSandboxClock(client);
    const clock = createSandboxClock(client, { realWaitMs: 0, startMs: start.nowMs });
    expect(clock.virtual).toBe(true);
    expect(clock.now()).toBe(start.nowMs);
    await clock.sleep(3 * 86_400_000);
    expect(clock.now()).toBe(start.nowMs + 3 * 86_400_000);
    expect((await readSandboxClock(client)).nowMs).toBe(clock.now());

    const slow = createSandboxClock(client, { realWaitMs: 10_000, startMs: clock.now() });
    const controller = new AbortController();
    const sleeping = slow.sleep(60_000, controller.signal);
    controller.abort(new Error('interrupted'));
    await expect(sleeping).rejects.toThrow('interrupted');
    expect((await readSandboxClock(client)).nowMs).toBe(clock.now());
  });
});
