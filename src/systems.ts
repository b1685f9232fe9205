// The composition root: the one place that turns credentials into adapters. It builds the real systems from the
// stored credentials, the sandbox's through src/sandbox/connect.ts, and the adapters `connect` checks credentials
// with before storing them. Adapter modules load only here, and only the ones a command needs.
import { join } from 'node:path';
import { systemClock } from './core/clock.js';
import type { Adapters, Systems } from './core/context.js';
import { channelCredentials, credentialsSchema, SECRETS, secretValue, type SecretSpec } from './core/credentials.js';
import { PLAN_INTERVAL_MS, type Plan } from './core/ports.js';
import type { ProfileStore } from './config/store.js';

interface Wiring {
  store: ProfileStore;
  env: NodeJS.ProcessEnv;
  /** --verbose: one line per request */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** The systems of this invocation: the sandbox's (embedded or `sandbox serve`) or the real ones. */
export async function buildSystems(
  input: Wiring & { sandbox: boolean; scenario: string | null },
): Promise<{ systems: Systems; close: (() => Promise<void>) | null }> {
  if (input.sandbox) {
    const { connectSandbox } = await import('./sandbox/connect.js');
    const sandbox = await connectSandbox({ store: input.store, env: input.env, log: input.log, defaultScenario: input.scenario, signal: input.signal });
    // the production adapters, talking HTTP to the sandbox's vendors as to the real ones
    const deps = { clock: sandbox.systems.clock, log: input.log, signal: input.signal };
    const [{ createChannel }, { createFlxpointPortal }] = await Promise.all([import('./adapters/channels.js'), import('./adapters/flxpoint/client.js')]);
    const systems: Systems = {
      ...sandbox.systems,
      channel: await createChannel(sandbox.shopify, { ...deps, createOrderNoteAttributes: sandbox.orderNotes }),
      portal: createFlxpointPortal({ ...sandbox.flxpoint, ...deps }),
    };
    return { systems, close: sandbox.close };
  }
  return { systems: await buildRealSystems(input), close: null };
}

/**
 * The real systems from the stored credentials; secrets from the environment win over stored ones. Only the
 * connected channel's adapter is built (connect keeps at most one), and only when its secrets are at hand.
 */
export async function buildRealSystems(input: Wiring): Promise<Systems> {
  const { store, env, log, signal } = input;
  const credentials = store.read('real', 'credentials', credentialsSchema);
  const clock = systemClock;
  const plan: Plan = credentials['inventory-source']?.plan ?? 'basic';
  const systems: Systems = {
    clock,
    channel: null,
    portal: null,
    portalControls: null,
    supplierEmail: credentials.flxpoint?.supplierEmail ?? null,
    sandbox: null,
    orderManager: {
      system: 'inventory-source',
      plan,
      planAssumed: !credentials['inventory-source'],
      intervalMs: PLAN_INTERVAL_MS[plan],
    },
  };
  // Each token's pace is kept together with every other onboard process of the profile (Flxpoint, Shopify).
  const { createFilePacingStore } = await import('./adapters/http/shared-pacing.js');
  const pacing = createFilePacingStore(join(store.namespaceDir('real'), 'pacing.json'));
  const channel = channelCredentials(credentials, env);
  if (channel) {
    const { createChannel } = await import('./adapters/channels.js');
    systems.channel = await createChannel(channel, { clock, log, signal, pacing });
  }
  const flxpointToken = secretValue(credentials, env, 'flxpoint', SECRETS.flxpoint[0] as SecretSpec).value;
  if (flxpointToken) {
    const { createFlxpointPortal } = await import('./adapters/flxpoint/client.js');
    systems.portal = createFlxpointPortal({
      token: flxpointToken,
      apiUrl: credentials.flxpoint?.apiUrl,
      portalUrl: credentials.flxpoint?.portalUrl,
      clock,
      log,
      signal,
      pacing,
    });
  }
  return systems;
}

/** Adapters for credentials `connect` was given and has not stored yet: it checks them with these first. */
export function createAdapters(input: Omit<Wiring, 'store' | 'env'>): Adapters {
  const deps = { clock: systemClock, log: input.log, signal: input.signal };
  return {
    async channel(credentials) {
      const { createChannel } = await import('./adapters/channels.js');
      return createChannel(credentials, deps);
    },
    async portal(credentials) {
      const { createFlxpointPortal } = await import('./adapters/flxpoint/client.js');
      return createFlxpointPortal({ ...credentials, ...deps });
    },
    async sandboxStoreDomain() {
      const { SANDBOX_SHOP_DOMAIN } = await import('./sandbox/world.js');
      return SANDBOX_SHOP_DOMAIN;
    },
  };
}
