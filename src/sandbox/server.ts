// The sandbox server (spec §3): one loopback HTTP server that speaks the Shopify Admin REST protocol under
// /admin/api/<pinned version>/, the Flxpoint API at the root, and its own control endpoints under /__sandbox/
// (the dealer's clicks in the vendors' web apps). The production adapters talk to it as they would to the vendors.
//
// Every request loads the profile's world, applies itself and saves it through ProfileStore.update (a locked
// read-modify-write), so several servers and processes on one profile never lose each other's changes. Time
// never moves with the wall clock: only POST /__sandbox/clock/advance moves it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ProfileStore } from '../config/store.js';
import { BadInputError } from '../core/errors.js';
import {
  DEFAULT_SCENARIO,
  SANDBOX_APP_SCOPES,
  SCENARIOS,
  WorldError,
  WorldSchema,
  advanceWorld,
  authorizeOrder,
  createWorld,
  ensureShopifyClient,
  grantShopifyToken,
  shopifyTokenValid,
  findChannelOrder,
  isDecimalText,
  isScenario,
  isoTime,
  nextEventAt,
  orderSync,
  placeApiOrder,
  placeCustomerOrder,
  setPortalSettings,
  settingsForOrder,
  shopifyTime,
  storeProducts,
  type ScenarioName,
  type ShopifyOrder,
  type World,
} from './world.js';
import { createFlxpointProtocol } from './protocols/flxpoint.js';
import { SHOPIFY_ADMIN_PREFIX, answerShopify, shopifyBadBody, type ShopifyStore, type ShopifyView } from './protocols/shopify.js';
import { parseBody, readBodyText, sendReply as send, type ProtocolReply, type ProtocolRequest } from './protocols/http.js';

export interface SandboxServerOptions {
  store: ProfileStore;
  port?: number;
  defaultScenario?: string;
  log?: (line: string) => void;
}

export interface SandboxServer {
  url: string;
  port: number;
  /** token: an admin-created app's (never expires); clientId and clientSecret: a Dev Dashboard app's */
  shopify: { store: string; token: string; clientId: string; clientSecret: string };
  flxpoint: { token: string };
  close(): Promise<void>;
}

const WorldDocumentSchema = z.object({ world: WorldSchema.optional() });

type Reply = ProtocolReply;
type Request = ProtocolRequest;

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const defaultScenario = options.defaultScenario ?? DEFAULT_SCENARIO;
  if (!isScenario(defaultScenario)) {
    throw new WorldError('bad_input', `Unknown scenario "${defaultScenario}"; known scenarios: ${SCENARIOS.join(', ')}`);
  }
  const serverScenario: ScenarioName = defaultScenario;
  const { store, log } = options;

  // The tokens this server announced. If the world is deleted while it runs (`onboard sandbox reset`), the fresh
  // world keeps them, so credentials already handed out stay valid.
  let announcedTokens: World['tokens'] | null = null;

  /** Locked read-modify-write of the world, created on first use. `apply` must be synchronous. */
  async function changeWorld<R>(apply: (world: World) => R): Promise<R> {
    const { result } = await store.update('sandbox', 'world', WorldDocumentSchema, (document) => {
      if (!document.world) {
        document.world = createWorld(Date.now());
        if (announcedTokens) document.world.tokens = structuredClone(announcedTokens);
      }
      return apply(document.world);
    });
    return result;
  }

  /** A snapshot for read-only requests (creating the world on first use). */
  async function readWorld(): Promise<World> {
    const document = store.read('sandbox', 'world', WorldDocumentSchema);
    const world = document.world ?? (await changeWorld((fresh) => structuredClone(fresh)));
    advanceWorld(world, world.now); // no-op by design: reads never move time
    return world;
  }

  const tokens = await changeWorld((world) => (ensureShopifyClient(world), structuredClone(world.tokens)));
  announcedTokens = tokens;

  const server = http.createServer((req, res) => {
    handle(req)
      .then((reply) => send(res, reply))
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        send(res, { status: 500, json: { error: `Sandbox failure: ${message}` } });
      })
      .finally(() => log?.(`${req.method ?? '?'} ${(req.url ?? '').split('?')[0]} → ${res.statusCode}`));
  });

  async function handle(req: http.IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = `http://${req.headers.host ?? `127.0.0.1:${port}`}`;
    let body: unknown;
    try {
      body = parseBody(await readBodyText(req), req.headers['content-type']);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (url.pathname.startsWith('/__sandbox/')) return { status: 400, json: { error: message } };
      if (url.pathname.startsWith(SHOPIFY_ADMIN_PREFIX)) return shopifyBadBody(message);
      return { status: 400, text: message };
    }
    const request: Request = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body, origin };
    try {
      if (request.path === '/__sandbox' || request.path.startsWith('/__sandbox/')) return await handleControl(request);
      const shopify = await answerShopify(request, shopifyStore);
      if (shopify) return shopify;
      return await handleFlxpoint(request);
    } catch (error) {
      if (error instanceof WorldError) {
        const status = error.kind === 'not_found' ? 404 : 400;
        if (request.path.startsWith('/__sandbox')) return { status, json: { error: error.message } };
        return { status, text: error.message };
      }
      throw error;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Control endpoints: what the dealer's hand does in the vendors' web apps

  async function handleControl(request: Request): Promise<Reply> {
    const { method, path } = request;
    const ok = (json: unknown): Reply => ({ status: 200, json });
    const bad = (error: string): Reply => ({ status: 400, json: { error } });
    const route = `${method} ${path}`;
    const clockReply = (world: World) => ({ now: isoTime(world.now), nowMs: world.now, nextEventAt: nullableIso(nextEventAt(world)) });

    if (route === 'GET /__sandbox/health') return ok({ ok: true, scenario: defaultScenario });
    if (route === 'GET /__sandbox/clock') return ok(clockReply(await readWorld()));
    if (route === 'POST /__sandbox/clock/advance') {
      const parsed = z
        .object({
          ms: z
            .number()
            .finite()
            .min(0)
            .max(366 * 86_400_000),
        })
        .safeParse(request.body);
      if (!parsed.success) return bad('Body must be {"ms": N} with N a number of milliseconds from 0 to one year');
      const ms = Math.round(parsed.data.ms);
      return ok(await changeWorld((world) => (advanceWorld(world, world.now + ms), clockReply(world))));
    }
    if (route === 'POST /__sandbox/store/checkout') {
      const parsed = z
        .object({ scenario: z.string().optional(), variantId: z.number().int().optional(), quantity: z.number().int().optional() })
        .safeParse(request.body ?? {});
      if (!parsed.success) return bad('Body must be {"scenario"?: NAME, "variantId"?: ID, "quantity"?: N}');
      const scenario = parsed.data.scenario ?? defaultScenario;
      if (!isScenario(scenario)) return bad(`Unknown scenario "${scenario}"; known scenarios: ${SCENARIOS.join(', ')}`);
      const order = await changeWorld((world) => {
        const placed = placeCustomerOrder(world, { scenario, variantId: parsed.data.variantId, quantity: parsed.data.quantity });
        return {
          id: String(placed.id),
          number: String(placed.order_number),
          name: placed.name,
          createdAt: placed.created_at,
          total: placed.total_price,
          scenario,
        };
      });
      return { status: 201, json: { order } };
    }
    if (route === 'POST /__sandbox/order-manager/sync') return ok(await changeWorld((world) => orderSync(world)));

    const importMatch = /^\/__sandbox\/order-manager\/orders\/([^/]+)$/.exec(path);
    if (importMatch && method === 'GET') {
      const world = await readWorld();
      const channelOrderId = decodeURIComponent(importMatch[1]);
      if (!findChannelOrder(world, channelOrderId)) return { status: 404, json: { error: `No order ${channelOrderId} on the sandbox store` } };
      const record = world.orderManager.records[channelOrderId];
      return ok({
        imported: record?.importedAt != null,
        importedAt: nullableIso(record?.importedAt ?? null),
        heldReason: record?.heldReason ?? null,
        portalOrderId: record?.portalOrderId != null ? String(record.portalOrderId) : null,
      });
    }

    const authorizeMatch = /^\/__sandbox\/portal\/orders\/([^/]+)\/authorize$/.exec(path);
    if (authorizeMatch && method === 'POST') {
      return ok(await changeWorld((world) => authorizeOrder(world, decodeURIComponent(authorizeMatch[1]))));
    }
    const orderSettingsMatch = /^\/__sandbox\/portal\/orders\/([^/]+)\/settings$/.exec(path);
    if (orderSettingsMatch && method === 'GET') {
      return ok(settingsForOrder(await readWorld(), decodeURIComponent(orderSettingsMatch[1])));
    }
    if (route === 'GET /__sandbox/portal/settings') return ok({ ...(await readWorld()).portal.settings });
    if (route === 'PUT /__sandbox/portal/settings') {
      const parsed = z.object({ autoAuthorize: z.boolean(), maxOrderTotal: z.string().nullable() }).safeParse(request.body);
      if (!parsed.success) return bad('Body must be {"autoAuthorize": true|false, "maxOrderTotal": null or decimal text such as "50.00"}');
      if (parsed.data.maxOrderTotal !== null && !isDecimalText(parsed.data.maxOrderTotal)) {
        return bad(`maxOrderTotal must be null or decimal text such as "50.00", not ${JSON.stringify(parsed.data.maxOrderTotal)}`);
      }
      const settings = parsed.data;
      return ok(await changeWorld((world) => setPortalSettings(world, settings)));
    }
    if (route === 'GET /__sandbox/events') return ok({ events: (await readWorld()).events });
    return bad(`The sandbox has no control endpoint ${method} ${path}`);
  }

  // -------------------------------------------------------------------------------------------------------
  // Shopify Admin REST and OAuth: ./protocols/shopify.ts over the world's store (no rate limit: a fluctuating
  // bucket would make adapters pace themselves, and under --sandbox their pacing sleeps move the virtual clock)

  const shopifyStore: ShopifyStore = {
    read: async () => shopifyView(await readWorld()),
    createOrder: (body) => changeWorld((world) => placeApiOrder(world, body, serverScenario)),
    grant: (request) => changeWorld((world) => grantShopifyToken(world, request)),
  };

  // -------------------------------------------------------------------------------------------------------
  // Flxpoint API: ./protocols/flxpoint.ts over the world's portal (one reseller channel token; no rate limit)

  const flxpoint = createFlxpointProtocol();

  async function handleFlxpoint(request: Request): Promise<Reply> {
    const world = await readWorld();
    return flxpoint.answer(request, {
      tokenType: (token) => (token === world.tokens.flxpoint.token ? 'reseller' : null),
      orders: () => world.portal.orders,
      shipments: () => world.portal.shipments,
    });
  }

  // -------------------------------------------------------------------------------------------------------

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      // a port taken by another program is the user's to choose again, not a fault of onboard
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        const why = error.code === 'EADDRINUSE' ? 'is in use by another program' : 'may not be used by this user';
        reject(
          new BadInputError(`--port: port ${options.port} on 127.0.0.1 ${why}`, {
            hint: 'Choose another with --port (1024-65535), or leave --port out and the sandbox picks a free one.',
          }),
        );
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    shopify: {
      store: tokens.shopify.store,
      token: tokens.shopify.token,
      clientId: tokens.shopify.clientId as string,
      clientSecret: tokens.shopify.clientSecret as string,
    },
    flxpoint: { token: tokens.flxpoint.token },
    // Idempotent: a signal handler and a finally block may both close it.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// HTTP plumbing

function nullableIso(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}

// ---------------------------------------------------------------------------------------------------------
// The world's store as the Shopify protocol reads it

function shopifyView(world: World): ShopifyView<ShopifyOrder> {
  return {
    tokenValid: (token) => shopifyTokenValid(world, token),
    scopes: () => SANDBOX_APP_SCOPES,
    shop: () => shopOf(world),
    orders: () => world.channel.orders,
    times: (order) => {
      const meta = world.channel.meta[String(order.id)];
      return { createdAtMs: meta?.createdAtMs ?? Date.parse(order.created_at), updatedAtMs: meta?.updatedAtMs ?? Date.parse(order.updated_at) };
    },
    products: () => storeProducts(world),
  };
}

function shopOf(world: World): Record<string, unknown> {
  const created = shopifyTime(world.createdAt);
  return {
    id: 60_000_000_001,
    name: 'Onboard Sandbox Store',
    email: 'owner@onboard-sandbox.example',
    domain: world.tokens.shopify.store,
    myshopify_domain: world.tokens.shopify.store,
    province: 'Kentucky',
    country: 'US',
    country_code: 'US',
    country_name: 'United States',
    currency: 'USD',
    enabled_presentment_currencies: ['USD'],
    money_format: '${{amount}}',
    timezone: '(GMT-05:00) Etc/GMT+5',
    iana_timezone: 'Etc/GMT+5',
    plan_name: 'basic',
    plan_display_name: 'Basic',
    shop_owner: 'Sandbox Dealer',
    primary_locale: 'en',
    created_at: created,
    updated_at: created,
  };
}
