// The sandbox-only client that does what the dealer's hand would do in the vendors' web apps (spec §3): press
// Order Sync, click "Authorize Order for Payment", change the auto-authorize settings, and move the world's
// virtual clock while a command waits. It talks HTTP to the sandbox server's /__sandbox/ endpoints only; the
// vendor protocols are left to the production adapters.
import { z } from 'zod';
import { createHttpClient, parseWith, type HttpClient } from '../adapters/http/client.js';
import { realSleep, systemClock, type Clock } from '../core/clock.js';
import { BadInputError, NotFoundError, UpstreamError } from '../core/errors.js';
import { PLAN_INTERVAL_MS, type AutoAuthorizeSettings, type ImportStatus, type OrderManagerPort, type Plan, type PortalControls } from '../core/ports.js';

const SYSTEM = 'sandbox';

/**
 * An HTTP client for the control endpoints. Its own pacing uses the system clock: the virtual clock is built on
 * top of this client, and control calls are never paced anyway. A 400/404 from the sandbox carries its reason
 * as {"error": "..."}, which becomes the error's message.
 */
export function createSandboxHttpClient(baseURL: string, options: { timeoutMs?: number; log?: (line: string) => void } = {}): HttpClient {
  return createHttpClient({
    system: SYSTEM,
    baseURL,
    clock: systemClock,
    timeoutMs: options.timeoutMs,
    log: options.log,
    describeStatusError: (status, bodyText) => {
      let reason: string | undefined;
      try {
        const parsed = z.object({ error: z.string() }).safeParse(JSON.parse(bodyText));
        reason = parsed.success ? parsed.data.error : undefined;
      } catch {
        reason = undefined;
      }
      if (reason === undefined) return undefined;
      if (status === 404) return new NotFoundError(`The sandbox says: ${reason}`);
      if (status === 400) return new BadInputError(`The sandbox says: ${reason}`);
      return new UpstreamError('upstream_error', `The sandbox says: ${reason}`, { status });
    },
  });
}

const ClockSchema = z.object({ now: z.string(), nowMs: z.number(), nextEventAt: z.string().nullable().optional() });
const SettingsSchema = z.object({ autoAuthorize: z.boolean(), maxOrderTotal: z.string().nullable() });
const AuthorizeSchema = z.object({ alreadyAuthorized: z.boolean(), paymentStatus: z.string().optional() });
const SyncSchema = z.object({ imported: z.array(z.union([z.string(), z.number()]).transform(String)) });
const ImportStatusSchema = z.object({
  imported: z.boolean(),
  importedAt: z.string().nullable(),
  heldReason: z.string().nullable(),
  portalOrderId: z.union([z.string(), z.number()]).transform(String).nullable().optional(),
});
const CheckoutSchema = z.object({
  order: z.object({
    id: z.union([z.string(), z.number()]).transform(String),
    number: z.union([z.string(), z.number()]).transform(String),
    name: z.string(),
    createdAt: z.string().optional(),
    total: z.string().optional(),
    scenario: z.string().optional(),
  }),
});
const HealthSchema = z.object({ ok: z.boolean(), scenario: z.string() });

export interface SandboxClockReading {
  /** ISO-8601 UTC */
  now: string;
  nowMs: number;
  /** when the world's next scheduled event happens (ISO), or null when idle */
  nextEventAt: string | null;
}

/** The world's clock as the server has it now. */
export async function readSandboxClock(client: HttpClient): Promise<SandboxClockReading> {
  const response = await client.get<unknown>('/__sandbox/clock');
  const clock = parseWith(ClockSchema, response.data, 'its clock', SYSTEM);
  return { now: clock.now, nowMs: clock.nowMs, nextEventAt: clock.nextEventAt ?? null };
}

/** Is a sandbox server answering at this client's base URL? Returns its default scenario. */
export async function readSandboxHealth(client: HttpClient): Promise<{ ok: boolean; scenario: string }> {
  const response = await client.get<unknown>('/__sandbox/health');
  return parseWith(HealthSchema, response.data, 'its health', SYSTEM);
}

/**
 * The virtual clock of spec §3. now() is the last world time this process knew; sleep(ms) moves the world by
 * `ms` (every scheduled event on the way happens) and learns the new time. With realWaitMs > 0 each wait also
 * takes that many real milliseconds first, so tests can interrupt a wait; an interrupted wait leaves the world
 * where it was.
 */
export function createSandboxClock(client: HttpClient, options: { realWaitMs: number; startMs: number }): Clock {
  let knownMs = options.startMs;
  return {
    virtual: true,
    now: () => knownMs,
    async sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) throw signal.reason;
      if (options.realWaitMs > 0) await realSleep(options.realWaitMs, signal);
      const response = await client.send<unknown>('POST', '/__sandbox/clock/advance', { ms: Math.max(0, Math.round(ms)) });
      const clock = parseWith(ClockSchema, response.data, 'its clock', SYSTEM);
      // Another process may have moved the world further; never let this process's view go backwards.
      knownMs = Math.max(knownMs, clock.nowMs);
      if (signal?.aborted) throw signal.reason;
    },
  };
}

/** The dealer portal's clicks: authorize one order, read and change the auto-authorize settings. */
export function createSandboxControls(client: HttpClient): PortalControls {
  const orderPath = (portalOrderId: string) => `/__sandbox/portal/orders/${encodeURIComponent(portalOrderId)}`;
  return {
    async authorize(portalOrderId: string) {
      const response = await client.send<unknown>('POST', `${orderPath(portalOrderId)}/authorize`);
      const result = parseWith(AuthorizeSchema, response.data, 'the authorization result', SYSTEM);
      return { alreadyAuthorized: result.alreadyAuthorized };
    },
    async getSettings(): Promise<AutoAuthorizeSettings> {
      const response = await client.get<unknown>('/__sandbox/portal/settings');
      return parseWith(SettingsSchema, response.data, 'the portal settings', SYSTEM);
    },
    async setSettings(settings: AutoAuthorizeSettings): Promise<AutoAuthorizeSettings> {
      const response = await client.send<unknown>('PUT', '/__sandbox/portal/settings', {
        autoAuthorize: settings.autoAuthorize,
        maxOrderTotal: settings.maxOrderTotal,
      });
      return parseWith(SettingsSchema, response.data, 'the portal settings', SYSTEM);
    },
    async settingsForOrder(portalOrderId: string): Promise<AutoAuthorizeSettings> {
      const response = await client.get<unknown>(`${orderPath(portalOrderId)}/settings`);
      return parseWith(SettingsSchema, response.data, "the order's auto-authorize rule", SYSTEM);
    },
  };
}

/** Inventory Source's Order Manager as the sandbox drives it: Order Sync can be pressed and imports read. */
export function createSandboxOrderManager(client: HttpClient, plan: Plan = 'plus'): OrderManagerPort {
  return {
    system: 'inventory-source',
    plan,
    planAssumed: false,
    intervalMs: PLAN_INTERVAL_MS[plan],
    async forceSync(): Promise<void> {
      const response = await client.send<unknown>('POST', '/__sandbox/order-manager/sync');
      parseWith(SyncSchema, response.data, 'the Order Sync result', SYSTEM);
    },
    async importStatus(channelOrderId: string): Promise<ImportStatus> {
      const response = await client.get<unknown>(`/__sandbox/order-manager/orders/${encodeURIComponent(channelOrderId)}`);
      const status = parseWith(ImportStatusSchema, response.data, 'the import status', SYSTEM);
      return { imported: status.imported, importedAt: status.importedAt, heldReason: status.heldReason };
    },
  };
}

export interface PlacedSandboxOrder {
  /** the Shopify order id, as a string */
  id: string;
  /** the order number without '#' */
  number: string;
  /** "#1001" */
  name: string;
  createdAt: string | null;
  total: string | null;
  scenario: string | null;
}

/** A customer checks out on the sandbox store (scenario defaults to the server's). */
export async function placeSandboxOrder(client: HttpClient, scenario?: string): Promise<PlacedSandboxOrder> {
  const response = await client.send<unknown>('POST', '/__sandbox/store/checkout', scenario === undefined ? {} : { scenario });
  const { order } = parseWith(CheckoutSchema, response.data, 'the placed order', SYSTEM);
  return {
    id: order.id,
    number: order.number,
    name: order.name,
    createdAt: order.createdAt ?? null,
    total: order.total ?? null,
    scenario: order.scenario ?? null,
  };
}
