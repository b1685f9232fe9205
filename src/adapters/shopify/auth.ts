// How onboard authenticates to a Shopify store, and what the credential may do.
//
// Two kinds of credential (facts from Shopify's documentation):
// - A Dev Dashboard app's client ID and secret, the only kind a store can create since January 1, 2026
//   ("Starting January 1, 2026, you won't be able to create new legacy custom apps",
//   https://shopify.dev/docs/apps/build/authentication-authorization/access-token-types/generate-app-access-tokens-admin).
//   The ID and secret are under Dev Dashboard → Apps → the app → Settings
//   (https://shopify.dev/docs/apps/build/authentication-authorization/client-secrets). An app of the store's own
//   organization, installed on the store, exchanges them for an access token with the client credentials grant:
//   POST https://{shop}.myshopify.com/admin/oauth/access_token, application/x-www-form-urlencoded,
//   grant_type=client_credentials&client_id=…&client_secret=… → {"access_token","scope","expires_in"}
//   (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/client-credentials-grant).
//   "Client credentials is only available for apps developed by your own organization and installed in stores
//   that you own" (same page). The token lasts about 24 hours (expires_in 86399) and comes with no refresh
//   token: onboard asks again with the ID and secret. Scopes are chosen on an app version in the Dev Dashboard
//   and take effect when the version is released
//   (https://shopify.dev/docs/apps/build/authentication-authorization/manage-access-scopes); an app needs a
//   version before it can be installed (https://shopify.dev/docs/apps/build/dev-dashboard/create-apps-using-dev-dashboard).
//   A refused grant answers an OAuth error code, as JSON {"error","error_description"} or as text
//   "Oauth error CODE: description"; reported in the field: `shop_not_permitted` ("Client credentials cannot be
//   performed on this shop") when the app's organization does not own the store
//   (https://github.com/unopim/shopify-connector/issues/43), and `invalid_client` for a wrong ID or secret.
// - An admin-created ("Develop apps") app's Admin API token (shpat_…), which does not expire
//   (https://shopify.dev/docs/apps/build/authentication-authorization/legacy/admin-custom-apps).
//
// Either way the granted scopes are read from GET /admin/oauth/access_scopes.json →
// {"access_scopes":[{"handle":"read_orders"},…]} (not under /admin/api/{version};
// https://shopify.dev/docs/api/admin-rest/latest/resources/accessscope), and "any scope that writes a resource
// also grants read access to it" (https://shopify.dev/docs/api/usage/access-scopes).
//
// Access tokens from the grant are kept in memory only (never written, never printed), reused while valid,
// renewed shortly before they expire and once when Shopify answers 401.
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { ChannelAccess } from '../../core/ports.js';
import { AuthRejectedError, NotFoundError, UpstreamError, type OnboardError } from '../../core/errors.js';
import { createHttpClient, FormBody, parseWith, type RequestAuth } from '../http/client.js';

export type ShopifyCredentialKind = 'client_credentials' | 'access_token';

/** What each scope is for, in the order onboard shows them. */
export const SHOPIFY_SCOPES = {
  read_orders: 'find and follow orders (required)',
  write_orders: 'test-order --create',
  read_products: 'item suggestions for --create',
  read_all_orders: 'orders older than 60 days',
} as const;
export type ShopifyScope = keyof typeof SHOPIFY_SCOPES;

/** Renew this long before expiry (or a tenth of the token's lifetime, when that is shorter). */
export const RENEW_BEFORE_MS = 5 * 60_000;

/** The Dev Dashboard steps that give a Dev Dashboard app a scope. */
export function devDashboardScopeSteps(scopes: readonly string[]): string {
  return (
    `In the Dev Dashboard open Apps → your app → Versions, create a version whose Admin API scopes include ${scopes.join(', ')}, ` +
    'release it (and approve it on the store if asked), then connect again; the client ID and secret stay the same.'
  );
}

/** The store-admin steps for an admin-created app's token. */
export function adminAppScopeSteps(scopes: readonly string[]): string {
  return (
    `In the store admin open Settings → Apps and sales channels → Develop apps → your app → Configuration, add ${scopes.join(', ')}, ` +
    'save, reinstall the app and copy the new Admin API access token. (Stores without an admin-created app use a Dev Dashboard app and --client-id.)'
  );
}

export function scopeSteps(kind: ShopifyCredentialKind, scopes: readonly string[]): string {
  return kind === 'client_credentials' ? devDashboardScopeSteps(scopes) : adminAppScopeSteps(scopes);
}

/**
 * The granted scopes against what onboard does: read_orders is required (with the steps to add it, and
 * write_orders with it for --create); the others are named with what they are for.
 */
export function judgeAccess(kind: ShopifyCredentialKind, scopes: string[] | null): ChannelAccess {
  if (scopes === null) return { credential: kind, scopes, missing: [], requiredFix: null };
  const missing = (Object.keys(SHOPIFY_SCOPES) as ShopifyScope[])
    .filter((scope) => !hasScope(scopes, scope))
    .map((scope) => ({ scope, neededFor: SHOPIFY_SCOPES[scope], required: scope === 'read_orders' }));
  const requiredFix = hasScope(scopes, 'read_orders')
    ? null
    : scopeSteps(kind, ['read_orders', ...(hasScope(scopes, 'write_orders') ? [] : ['write_orders (for --create)'])]);
  return { credential: kind, scopes, missing, requiredFix };
}

/** Whether `scope` is granted: listed, or implied by the write scope of the same resource. */
export function hasScope(granted: readonly string[], scope: string): boolean {
  if (granted.includes(scope)) return true;
  return scope.startsWith('read_') && granted.includes(`write_${scope.slice('read_'.length)}`);
}

export function parseScopeList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
}

const grantSchema = z.object({
  access_token: z.string().min(1),
  scope: z.string().optional(),
  expires_in: z.number().positive().optional(),
});

export const accessScopesSchema = z.object({ access_scopes: z.array(z.object({ handle: z.string() })) });

/** The OAuth error code and description of a refused grant (JSON or "Oauth error CODE: description" text). */
export function grantErrorOf(bodyText: string): { code: string | null; description: string | null } {
  try {
    const body = JSON.parse(bodyText) as Record<string, unknown>;
    if (body && typeof body === 'object') {
      const code = typeof body.error === 'string' ? body.error : null;
      const description =
        typeof body.error_description === 'string'
          ? body.error_description
          : typeof body.errors === 'string'
            ? body.errors
            : body.errors !== undefined
              ? JSON.stringify(body.errors)
              : null;
      if (code || description) return { code, description };
    }
  } catch {
    // not JSON: Shopify answers some OAuth errors as a page of text
  }
  const text = bodyText
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const match = /oauth error ([a-z_]+):?\s*([^<]*)/i.exec(text);
  if (match) return { code: (match[1] as string).toLowerCase(), description: (match[2] ?? '').trim() || null };
  const bare = /\b(invalid_client|invalid_request|unauthorized_client|unsupported_grant_type|shop_not_permitted|invalid_scope|app_not_installed)\b/i.exec(text);
  return { code: bare ? (bare[1] as string).toLowerCase() : null, description: text === '' ? null : text.slice(0, 200) };
}

const CREDENTIALS_PLACE = 'Dev Dashboard → Apps → your app → Settings (Client ID and Secret)';

/** A refused grant as an error with its fix (exit 4 for every refusal). */
export function grantRefusal(store: string, status: number, bodyText: string): OnboardError {
  const { code, description } = grantErrorOf(bodyText);
  const said = description ? `: ${description.slice(0, 200)}` : '';
  const named = code ? ` (${code})` : ` (${status})`;
  if (code === 'shop_not_permitted') {
    return new AuthRejectedError('shopify', `Shopify does not let this app get access tokens for ${store}${named}${said}`, {
      hint:
        `The client credentials grant works only for an app made by the organization that owns ${store}. ` +
        `Sign in to the Dev Dashboard as the store's owner (or a member of its organization), create the app there, install it on ${store} and use its client ID and secret. ` +
        'If the store still has an admin-created app (Settings → Apps and sales channels → Develop apps), its Admin API access token works too: connect with --token instead.',
    });
  }
  const notInstalled = code === 'app_not_installed' || /not\s+installed|install(ed|ation)?\b.*\b(app|shop|store)/i.test(description ?? '');
  if (notInstalled) {
    return new AuthRejectedError('shopify', `Shopify says the app is not installed on ${store}${named}${said}`, {
      hint: `In the Dev Dashboard open Apps → your app → Install app and choose ${store}; then connect again.`,
    });
  }
  if (code === 'invalid_client' || code === 'unauthorized_client' || status === 401) {
    return new AuthRejectedError('shopify', `Shopify refused the client ID or client secret for ${store}${named}${said}`, {
      hint: `Copy both again from the ${CREDENTIALS_PLACE}; a secret that was rotated there replaces the old one. The app must be installed on ${store}.`,
    });
  }
  if (status === 404) {
    return new NotFoundError(`Shopify has no store at ${store} (the token endpoint answered 404)`, {
      hint: 'Give the store as its myshopify.com address, for example my-store.myshopify.com.',
    });
  }
  if (status >= 400 && status < 500) {
    return new AuthRejectedError('shopify', `Shopify refused to issue an access token for ${store}${named}${said}`, {
      hint: `Check the client ID and secret (${CREDENTIALS_PLACE}) and that the app is installed on ${store} with a released version.`,
    });
  }
  return new UpstreamError('upstream_error', `Shopify could not issue an access token for ${store} (${status})${said}`, {
    status,
    hint: 'Shopify had a problem on its side; try again in a few minutes.',
  });
}

export interface ShopifyTokenSourceOptions {
  store: string;
  /** the store's origin, or --api-url */
  baseURL: string;
  clientId: string;
  clientSecret: string;
  clock: Clock;
  log?: (line: string) => void;
  timeoutMs?: number;
  /** the command's abort signal: ends a grant in flight */
  signal?: AbortSignal;
}

export interface ShopifyTokenSource extends RequestAuth {
  /** the scopes the last grant answered with (null before the first grant) */
  grantedScope(): string[] | null;
  /** how many grants were made (for tests and --verbose) */
  grants(): number;
}

/** Access tokens from the client credentials grant: asked for when needed, reused while valid, renewed before expiry and on a 401. */
export function createShopifyTokenSource(options: ShopifyTokenSourceOptions): ShopifyTokenSource {
  const { store, clock, log } = options;
  const http = createHttpClient({
    system: 'shopify',
    baseURL: options.baseURL,
    secrets: [options.clientSecret],
    timeoutMs: options.timeoutMs,
    clock,
    log,
    signal: options.signal,
    // a grant is cheap and changes nothing: a network failure is not retried here, the next request asks again
    maxRetries: 1,
    describeStatusError: (status, bodyText) => (status === 429 ? undefined : grantRefusal(store, status, bodyText)),
  });
  let current: { token: string; scopes: string[]; renewAtMs: number } | null = null;
  let pending: Promise<string> | null = null;
  let count = 0;

  async function grant(): Promise<string> {
    const startedAt = clock.now();
    const response = await http.send(
      'POST',
      '/admin/oauth/access_token',
      new FormBody({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret }),
    );
    const body = parseWith(grantSchema, response.data, 'an access token', 'shopify');
    count += 1;
    // no expires_in: treat it as Shopify's documented day
    const lifetimeMs = (body.expires_in ?? 86_399) * 1000;
    const margin = Math.min(RENEW_BEFORE_MS, Math.floor(lifetimeMs / 10));
    current = { token: body.access_token, scopes: parseScopeList(body.scope ?? ''), renewAtMs: startedAt + lifetimeMs - margin };
    log?.(`… Shopify access token obtained (valid about ${Math.round(lifetimeMs / 60_000)} min)`);
    return body.access_token;
  }

  function fresh(): Promise<string> {
    pending ??= grant().finally(() => {
      pending = null;
    });
    return pending;
  }

  return {
    async headers() {
      const token = current !== null && clock.now() < current.renewAtMs ? current.token : await fresh();
      return { 'X-Shopify-Access-Token': token };
    },
    async renew() {
      current = null;
      await fresh();
      return true;
    },
    grantedScope: () => (current ? [...current.scopes] : null),
    grants: () => count,
  };
}
