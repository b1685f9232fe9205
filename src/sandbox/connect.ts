// Under --sandbox: use the profile's running `onboard sandbox serve` when there is one, else start the world
// in-process on a loopback port. Either way the production adapters talk HTTP to it.
import { z } from 'zod';
import { createHttpClient } from '../adapters/http/client.js';
import { credentialsSchema, type ChannelCredentials } from '../core/credentials.js';
import type { ProfileStore } from '../config/store.js';
import { systemClock } from '../core/clock.js';
import type { Systems } from '../core/context.js';
import { createSandboxClock, createSandboxControls, createSandboxOrderManager, placeSandboxOrder, readSandboxClock } from './control-client.js';
import { startSandboxServer } from './server.js';

export const serverRecordSchema = z.object({
  url: z.string().optional(),
  pid: z.number().optional(),
  shopify: z.object({ store: z.string(), token: z.string(), clientId: z.string().optional(), clientSecret: z.string().optional() }).optional(),
  flxpoint: z.object({ token: z.string() }).optional(),
  scenario: z.string().optional(),
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function answers(url: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const probe = createHttpClient({ system: 'sandbox', baseURL: url, clock: systemClock, timeoutMs: 1_000, maxRetries: 0, signal });
    await probe.get('/__sandbox/health');
    return true;
  } catch (error) {
    if (signal?.aborted) throw error;
    return false;
  }
}

/** The profile's `sandbox serve`, when its process is alive and it answers. */
async function runningServer(store: ProfileStore, signal?: AbortSignal) {
  const record = store.read('sandbox', 'server', serverRecordSchema);
  if (!record.url || !record.pid || !record.shopify || !record.flxpoint || !alive(record.pid)) return null;
  if (!(await answers(record.url, signal))) return null;
  return { url: record.url, shopify: record.shopify, flxpoint: record.flxpoint };
}

/**
 * The server that `connect shopify|flxpoint --sandbox --api-url URL` stored, when it answers; a token not
 * stored is completed from the `sandbox serve` record of the same URL.
 */
async function connectedServer(store: ProfileStore, signal?: AbortSignal) {
  const stored = store.read('sandbox', 'credentials', credentialsSchema);
  const shopifyUrl = stored.shopify?.apiUrl;
  const flxpointUrl = stored.flxpoint?.apiUrl;
  const url = shopifyUrl ?? flxpointUrl;
  if (!url || (shopifyUrl && flxpointUrl && shopifyUrl !== flxpointUrl)) return null;
  const record = store.read('sandbox', 'server', serverRecordSchema);
  const announced = record.url === url ? record : null;
  const shopify: SandboxShopify | undefined =
    stored.shopify?.clientId && stored.shopify.clientSecret
      ? { store: stored.shopify.store, clientId: stored.shopify.clientId, clientSecret: stored.shopify.clientSecret }
      : stored.shopify?.token
        ? { store: stored.shopify.store, token: stored.shopify.token }
        : announced?.shopify;
  const flxpoint = stored.flxpoint?.token ? { token: stored.flxpoint.token } : announced?.flxpoint;
  if (!shopify || !flxpoint || !(await answers(url, signal))) return null;
  return { url, shopify, flxpoint };
}

/** The sandbox store's credentials: the Dev Dashboard app's client ID and secret when known, else the admin token. */
type SandboxShopify = { store: string; token?: string; clientId?: string; clientSecret?: string };

/** Like a dealer who starts today, the sandbox connects through the client credentials grant when it can. */
function shopifyAuth(shopify: SandboxShopify): { token: string } | { clientId: string; clientSecret: string } {
  if (shopify.clientId && shopify.clientSecret) return { clientId: shopify.clientId, clientSecret: shopify.clientSecret };
  return { token: shopify.token as string };
}

/**
 * The sandbox's vendors as the production adapters reach them (the composition root, src/systems.ts, builds those
 * adapters), and what only the sandbox has: its clock, the hands that click in the vendors' web apps, its orders.
 */
export interface SandboxConnection {
  systems: Omit<Systems, 'channel' | 'portal'>;
  shopify: ChannelCredentials & { system: 'shopify' };
  flxpoint: { token: string; apiUrl: string; portalUrl: string };
  orderNotes: { name: string; value: string }[];
  close: () => Promise<void>;
}

export async function connectSandbox(input: {
  store: ProfileStore;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  defaultScenario: string | null;
  /** the command's abort signal: every request to the sandbox, and every wait, ends when it fires */
  signal?: AbortSignal;
}): Promise<SandboxConnection> {
  const { store, env, log, signal } = input;
  let close = async () => undefined;
  let endpoint: { url: string; shopify: SandboxShopify; flxpoint: { token: string } } | null =
    (await connectedServer(store, signal)) ?? (await runningServer(store, signal));
  if (!endpoint) {
    const server = await startSandboxServer({ store, defaultScenario: input.defaultScenario ?? 'happy' });
    endpoint = { url: server.url, shopify: server.shopify, flxpoint: server.flxpoint };
    close = async () => {
      await server.close();
    };
  }
  const control = createHttpClient({ system: 'sandbox', baseURL: endpoint.url, clock: systemClock, timeoutMs: 10_000, log, signal });
  const realWaitMs = Number.parseInt(env.ONBOARD_SANDBOX_WAIT_MS ?? '0', 10);
  const startMs = (await readSandboxClock(control)).nowMs;
  const clock = createSandboxClock(control, { realWaitMs: Number.isFinite(realWaitMs) && realWaitMs > 0 ? realWaitMs : 0, startMs });
  const url = endpoint.url;
  const systems: SandboxConnection['systems'] = {
    clock,
    portalControls: createSandboxControls(control),
    orderManager: createSandboxOrderManager(control, 'plus'),
    supplierEmail: store.read('sandbox', 'credentials', credentialsSchema).flxpoint?.supplierEmail ?? null,
    sandbox: {
      url,
      placeOrder: async (scenario) => {
        const placed = await placeSandboxOrder(control, scenario ?? input.defaultScenario ?? undefined);
        return { number: placed.number, scenario: placed.scenario ?? null };
      },
    },
  };
  return {
    systems,
    shopify: { system: 'shopify', store: endpoint.shopify.store, ...shopifyAuth(endpoint.shopify), apiUrl: url },
    flxpoint: { token: endpoint.flxpoint.token, apiUrl: url, portalUrl: `${url}/__sandbox/portal` },
    // API-created sandbox orders take the command's --scenario (else the server's default)
    orderNotes: input.defaultScenario ? [{ name: 'onboard_scenario', value: input.defaultScenario }] : [],
    close,
  };
}
