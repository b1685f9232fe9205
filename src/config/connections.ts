// The real systems, built from stored credentials (secrets from the environment win and are never stored).
import { z } from 'zod';
import { systemClock } from '../core/clock.js';
import type { Systems } from '../core/context.js';
import { PLAN_INTERVAL_MS, type Plan } from '../core/ports.js';
import type { ProfileStore } from './store.js';

export const credentialsSchema = z.object({
  shopify: z.object({ store: z.string(), token: z.string().optional(), apiUrl: z.string().optional() }).optional(),
  flxpoint: z
    .object({ token: z.string().optional(), apiUrl: z.string().optional(), portalUrl: z.string().optional(), supplierEmail: z.string().optional() })
    .optional(),
  'inventory-source': z.object({ plan: z.enum(['basic', 'plus', 'vip']) }).optional(),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export async function connectReal(input: { store: ProfileStore; env: NodeJS.ProcessEnv; log?: (line: string) => void }): Promise<Systems> {
  const { store, env, log } = input;
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
  const shopifyToken = env.ONBOARD_SHOPIFY_TOKEN || credentials.shopify?.token;
  if (credentials.shopify && shopifyToken) {
    const { createShopifyChannel } = await import('../adapters/shopify/client.js');
    systems.channel = createShopifyChannel({ store: credentials.shopify.store, token: shopifyToken, apiUrl: credentials.shopify.apiUrl, clock, log });
  }
  const flxpointToken = env.ONBOARD_FLXPOINT_TOKEN || credentials.flxpoint?.token;
  if (flxpointToken) {
    const { createFlxpointPortal } = await import('../adapters/flxpoint/client.js');
    systems.portal = createFlxpointPortal({ token: flxpointToken, apiUrl: credentials.flxpoint?.apiUrl, portalUrl: credentials.flxpoint?.portalUrl, clock, log });
  }
  return systems;
}
