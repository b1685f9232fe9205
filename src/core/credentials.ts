// The credential model: what each system's connection stores, which secrets it takes (flag, environment
// variable, stored field) and how they are looked up (flag > environment > stored). Only one sales channel is
// connected at a time. Plain data and functions; src/config stores the document, src/systems.ts builds adapters.
import * as z from 'zod/mini';
import { validateBaseUrl } from './inputs.js';
import type { ChannelSystem, Plan, SystemName } from './ports.js';
import type { DocumentStore, Namespace } from './store.js';

// zod/mini (tree-shakable, same validation as full zod): reading credentials loads a small part of zod.
const optionalString = () => z.optional(z.string());

/** Whether an address stored by connect is one connect would accept (a hand-edited file may hold another). */
function usableAddress(value: string): boolean {
  try {
    validateBaseUrl(value, 'address');
    return true;
  } catch {
    return false;
  }
}
/** An address: https (plain http for loopback only), without user, query or fragment, as connect checks it. */
const address = () => z.string().check(z.refine(usableAddress, 'not an address onboard accepts'));
const optionalAddress = () => z.optional(address());

/** When onboard last checked the credential against the system, and the account it answered with. */
const checkedFields = {
  account: z.optional(z.nullable(z.string())),
  checkedAt: z.optional(z.nullable(z.string())),
};

export const credentialsSchema = z.object({
  // Shopify: an admin-created app's `token`, or a Dev Dashboard app's `clientId` with its `clientSecret` (stored
  // only when given on stdin or argv). Access tokens from the client credentials grant are kept in memory, never here.
  shopify: z.optional(
    z.object({
      store: z.string(),
      token: optionalString(),
      clientId: optionalString(),
      clientSecret: optionalString(),
      apiUrl: optionalAddress(),
      ...checkedFields,
    }),
  ),
  woocommerce: z.optional(z.object({ url: address(), consumerKey: optionalString(), consumerSecret: optionalString(), ...checkedFields })),
  bigcommerce: z.optional(z.object({ storeHash: z.string(), token: optionalString(), apiUrl: optionalAddress(), ...checkedFields })),
  flxpoint: z.optional(
    z.object({
      token: optionalString(),
      apiUrl: optionalAddress(),
      portalUrl: optionalAddress(),
      supplierEmail: optionalString(),
      ...checkedFields,
    }),
  ),
  'inventory-source': z.optional(z.object({ plan: z.enum(['basic', 'plus', 'vip']) })),
});
export type Credentials = z.infer<typeof credentialsSchema>;

/** Only the stored Inventory Source plan: what `status` needs, readable whatever the other connections hold. */
export const storedPlanSchema = z.object({ 'inventory-source': credentialsSchema.shape['inventory-source'] });

export const CHANNEL_SYSTEMS: readonly ChannelSystem[] = ['shopify', 'woocommerce', 'bigcommerce'];
export const PLANS: readonly Plan[] = ['basic', 'plus', 'vip'];

export function isChannelSystem(name: string): name is ChannelSystem {
  return (CHANNEL_SYSTEMS as readonly string[]).includes(name);
}

/** One secret of a system: the stored field, the flag that gives it, and the environment variable that may instead. */
export interface SecretSpec {
  field: string;
  flag: string;
  env: string;
}

export const SHOPIFY_TOKEN_SECRET: SecretSpec = { field: 'token', flag: '--token', env: 'ONBOARD_SHOPIFY_TOKEN' };
export const SHOPIFY_CLIENT_SECRET: SecretSpec = { field: 'clientSecret', flag: '--client-secret', env: 'ONBOARD_SHOPIFY_CLIENT_SECRET' };

/**
 * Every secret each system may take (Shopify: an access token, or a client secret with --client-id). Which ones
 * a connection uses: `secretSpecsOf`.
 */
export const SECRETS: Record<SystemName, readonly SecretSpec[]> = {
  shopify: [SHOPIFY_TOKEN_SECRET, SHOPIFY_CLIENT_SECRET],
  woocommerce: [
    { field: 'consumerKey', flag: '--consumer-key', env: 'ONBOARD_WOOCOMMERCE_KEY' },
    { field: 'consumerSecret', flag: '--consumer-secret', env: 'ONBOARD_WOOCOMMERCE_SECRET' },
  ],
  bigcommerce: [{ field: 'token', flag: '--token', env: 'ONBOARD_BIGCOMMERCE_TOKEN' }],
  flxpoint: [{ field: 'token', flag: '--token', env: 'ONBOARD_FLXPOINT_TOKEN' }],
  'inventory-source': [],
};

/** The secrets a connection uses, in flag order (the order of `--token-stdin` lines): Shopify's depend on the kind. */
export function secretSpecsOf(system: SystemName, clientCredentials: boolean): readonly SecretSpec[] {
  if (system === 'shopify') return [clientCredentials ? SHOPIFY_CLIENT_SECRET : SHOPIFY_TOKEN_SECRET];
  return SECRETS[system];
}

/** Whether the stored Shopify connection is a Dev Dashboard app (client ID and secret). */
export function isShopifyClient(credentials: Credentials): boolean {
  return Boolean(credentials.shopify?.clientId);
}

export function readCredentials(store: DocumentStore, namespace: Namespace): Credentials {
  return store.read(namespace, 'credentials', credentialsSchema);
}

/** The stored sales channel (connect keeps at most one; a hand-edited file with several prefers this order). */
export function connectedChannel(credentials: Credentials): ChannelSystem | null {
  return CHANNEL_SYSTEMS.find((system) => credentials[system] !== undefined) ?? null;
}

/** A secret: the environment's value, else the stored one, else undefined. */
export function secretValue(
  credentials: Credentials,
  env: NodeJS.ProcessEnv,
  system: SystemName,
  spec: SecretSpec,
): { value: string | undefined; source: 'env' | 'stored' | 'missing' } {
  const fromEnv = env[spec.env]?.trim();
  if (fromEnv) return { value: fromEnv, source: 'env' };
  const record = credentials[system] as Record<string, unknown> | undefined;
  const stored = record?.[spec.field];
  if (typeof stored === 'string' && stored !== '') return { value: stored, source: 'stored' };
  return { value: undefined, source: 'missing' };
}

/** A connected sales channel's target and secrets: what the composition root builds its adapter from. */
export type ChannelCredentials =
  | { system: 'shopify'; store: string; apiUrl?: string; token?: string; clientId?: string; clientSecret?: string }
  | { system: 'woocommerce'; url: string; consumerKey: string; consumerSecret: string }
  | { system: 'bigcommerce'; storeHash: string; token: string; apiUrl?: string };

export interface Connection {
  system: SystemName;
  /** a record is stored (false: only an environment secret connects it, as ONBOARD_FLXPOINT_TOKEN alone can) */
  stored: boolean;
  secrets: { flag: string; env: string; source: 'env' | 'stored' | 'missing' }[];
}

/** The connected systems: a stored record, or Flxpoint through ONBOARD_FLXPOINT_TOKEN alone (its API has one address). */
export function connectionsOf(credentials: Credentials, env: NodeJS.ProcessEnv): Connection[] {
  const connections: Connection[] = [];
  const channel = connectedChannel(credentials);
  const systems: SystemName[] = [...(channel ? [channel] : []), 'flxpoint', 'inventory-source'];
  for (const system of systems) {
    const stored = credentials[system] !== undefined;
    const specs = secretSpecsOf(system, system === 'shopify' && isShopifyClient(credentials));
    const secrets = specs.map((spec) => ({ flag: spec.flag, env: spec.env, source: secretValue(credentials, env, system, spec).source }));
    const envOnly = system === 'flxpoint' && !stored && secrets.every((s) => s.source === 'env');
    if (stored || envOnly) connections.push({ system, stored, secrets });
  }
  return connections;
}

/** The connected channel's credentials with its secrets (environment first), or null when not connected or a secret is missing. */
export function channelCredentials(credentials: Credentials, env: NodeJS.ProcessEnv): ChannelCredentials | null {
  const secret = (system: ChannelSystem, index: number) => secretValue(credentials, env, system, SECRETS[system][index] as SecretSpec).value;
  switch (connectedChannel(credentials)) {
    case 'shopify': {
      const shopify = credentials.shopify;
      if (!shopify) return null;
      if (shopify.clientId) {
        const clientSecret = secretValue(credentials, env, 'shopify', SHOPIFY_CLIENT_SECRET).value;
        return clientSecret ? { system: 'shopify', store: shopify.store, clientId: shopify.clientId, clientSecret, apiUrl: shopify.apiUrl } : null;
      }
      const token = secretValue(credentials, env, 'shopify', SHOPIFY_TOKEN_SECRET).value;
      return token ? { system: 'shopify', store: shopify.store, token, apiUrl: shopify.apiUrl } : null;
    }
    case 'woocommerce': {
      const consumerKey = secret('woocommerce', 0);
      const consumerSecret = secret('woocommerce', 1);
      return credentials.woocommerce && consumerKey && consumerSecret
        ? { system: 'woocommerce', url: credentials.woocommerce.url, consumerKey, consumerSecret }
        : null;
    }
    case 'bigcommerce': {
      const token = secret('bigcommerce', 0);
      return credentials.bigcommerce && token
        ? { system: 'bigcommerce', storeHash: credentials.bigcommerce.storeHash, token, apiUrl: credentials.bigcommerce.apiUrl }
        : null;
    }
    default:
      return null;
  }
}

/**
 * The connect flags that name a stored system's target (store, URL, hash, API base; Flxpoint's portal address and
 * supplier email), so a printed `connect … --token-stdin` stores the secret again for the same target.
 */
export function storedTargetFlags(system: string, credentials: Credentials): string[] {
  const apiUrl = (url: string | null | undefined) => (url ? ['--api-url', url] : []);
  if (system === 'shopify') {
    const shopify = credentials.shopify;
    return ['--store', shopify?.store ?? 'NAME.myshopify.com', ...(shopify?.clientId ? ['--client-id', shopify.clientId] : []), ...apiUrl(shopify?.apiUrl)];
  }
  if (system === 'woocommerce') return ['--url', credentials.woocommerce?.url ?? 'https://shop.example.com'];
  if (system === 'bigcommerce') return ['--store-hash', credentials.bigcommerce?.storeHash ?? 'HASH', ...apiUrl(credentials.bigcommerce?.apiUrl)];
  if (system === 'flxpoint') {
    // connect replaces the stored record: the portal address and supplier email go along, or they would be lost
    const flxpoint = credentials.flxpoint;
    return [
      ...apiUrl(flxpoint?.apiUrl),
      ...(flxpoint?.portalUrl ? ['--portal-url', flxpoint.portalUrl] : []),
      ...(flxpoint?.supplierEmail ? ['--supplier-email', flxpoint.supplierEmail] : []),
    ];
  }
  return [];
}
