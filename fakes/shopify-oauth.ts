// Shopify's OAuth side of the Shopify fake (shopify.ts), the store behind the shared protocol's OAuth endpoints
// (src/sandbox/protocols/shopify.ts): the client credentials grant (→ {access_token, scope, expires_in}), access tokens that expire on the fake's clock and are then answered 401 like any unknown
// token, and GET /admin/oauth/access_scopes.json. Refusals as reported: `invalid_client` (JSON, RFC 6749 §5.2),
// `shop_not_permitted` as Shopify's "Oauth error …" text page, and an app that is not installed.
import type { ShopifyGrantAnswer } from '../src/sandbox/protocols/shopify.js';

export const CLIENT_ID = 'fakeclient0123456789abcdef012345';
export const CLIENT_SECRET = 'shpss_PLANTED_client_secret_5d1c0e77';
export const ALL_SCOPES = ['read_orders', 'write_orders', 'read_products'];

const INVALID_TOKEN = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

export type GrantRefusal = 'invalid_client' | 'shop_not_permitted' | 'app_not_installed';

export interface OauthReply {
  status: number;
  /** an object is JSON; a string is sent as an HTML page */
  body: unknown;
}

export interface ShopifyOauth {
  /** the scopes the app's released version grants (change them mid-test) */
  scopes: string[];
  /** expires_in of the next tokens */
  lifetimeSec: number;
  /** the next grants are refused this way */
  refuse: GrantRefusal | null;
  /** every token issued, with its expiry on the fake's clock */
  issued: { token: string; expiresAt: number }[];
  /** requests refused because their token had expired */
  expiredRejections: number;
  /** the bodies of every grant request (to check what was sent; the store records them as they arrive) */
  grantBodies: string[];
  /** the grant, from the request's fields (the Shopify protocol reads the form or JSON body) */
  grantFields(fields: { grantType?: string; clientId?: string; clientSecret?: string }): ShopifyGrantAnswer;
  /** an X-Shopify-Access-Token: accepted, expired, or unknown */
  check(token: string | undefined): 'ok' | 'expired' | 'unknown';
  /** the 401 for a token that is not accepted (counting expired ones) */
  deny(token: string | undefined): OauthReply;
  accessScopes(token: string | undefined): OauthReply;
}

export function createShopifyOauth(options: { now: () => number; legacyToken?: string; lifetimeSec?: number; scopes?: string[] }): ShopifyOauth {
  let counter = 0;
  const oauth: ShopifyOauth = {
    scopes: [...(options.scopes ?? ALL_SCOPES)],
    lifetimeSec: options.lifetimeSec ?? 86_399,
    refuse: null,
    issued: [],
    expiredRejections: 0,
    grantBodies: [],
    grantFields(fields) {
      if (fields.grantType !== 'client_credentials')
        return { ok: false, status: 400, error: 'unsupported_grant_type', description: 'The grant type is not supported.' };
      if (oauth.refuse === 'shop_not_permitted') {
        return {
          ok: false,
          status: 400,
          page: '<html><body><p>Oauth error shop_not_permitted: Client credentials cannot be performed on this shop.</p></body></html>',
        };
      }
      if (oauth.refuse === 'app_not_installed') {
        return { ok: false, status: 400, error: 'invalid_request', description: 'The app is not installed on this shop.' };
      }
      if (oauth.refuse === 'invalid_client' || fields.clientId !== CLIENT_ID || fields.clientSecret !== CLIENT_SECRET) {
        return { ok: false, status: 401, error: 'invalid_client', description: 'Client authentication failed due to unknown client or wrong client secret.' };
      }
      counter += 1;
      const token = `shpat_PLANTED_access_${String(counter).padStart(4, '0')}_${Math.random().toString(16).slice(2, 10)}`;
      oauth.issued.push({ token, expiresAt: options.now() + oauth.lifetimeSec * 1000 });
      return { ok: true, accessToken: token, scope: oauth.scopes.join(','), expiresIn: oauth.lifetimeSec };
    },
    check(token) {
      if (token === undefined) return 'unknown';
      if (options.legacyToken !== undefined && token === options.legacyToken) return 'ok';
      const found = oauth.issued.find((issued) => issued.token === token);
      if (!found) return 'unknown';
      return options.now() < found.expiresAt ? 'ok' : 'expired';
    },
    deny(token) {
      if (oauth.check(token) === 'expired') oauth.expiredRejections += 1;
      return { status: 401, body: INVALID_TOKEN };
    },
    accessScopes(token) {
      if (oauth.check(token) !== 'ok') return oauth.deny(token);
      return { status: 200, body: { access_scopes: oauth.scopes.map((handle) => ({ handle })) } };
    },
  };
  return oauth;
}
