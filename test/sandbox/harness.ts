// Test harness: a real sandbox server on port 0 over a ProfileStore in a temp dir, and thin fetch helpers
// for its three faces (Shopify, Flxpoint, control). Tests speak HTTP directly, never through the adapters.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileStore } from '../../src/config/store.js';
import { SHOPIFY_API_VERSION } from '../../src/adapters/shopify/version.js';
import { startSandboxServer } from '../../src/sandbox/server.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

async function answer<T>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  let body: any = text;
  if ((response.headers.get('content-type') ?? '').includes('application/json')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body, text };
}

export type Sandbox = Awaited<ReturnType<typeof openSandbox>>;

const cleanups: (() => Promise<void>)[] = [];

/** Closes every server and removes every temp dir opened by the current test. */
export async function closeAll(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()?.();
}

export function tempStore(): ProfileStore {
  const root = mkdtempSync(join(tmpdir(), 'onboard-sandbox-'));
  cleanups.unshift(async () => rmSync(root, { recursive: true, force: true }));
  return new ProfileStore(root, 'default');
}

export async function openSandbox(store: ProfileStore = tempStore(), defaultScenario?: string) {
  const server = await startSandboxServer({ store, defaultScenario });
  cleanups.push(() => server.close());
  const url = (path: string, params: Record<string, string | number> = {}) => {
    const target = new URL(path, server.url);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, String(value));
    return target.toString();
  };

  const shopify = async <T = any>(resource: string, params: Record<string, string | number> = {}, token: string | null = server.shopify.token) =>
    answer<T>(
      await fetch(url(`/admin/api/${SHOPIFY_API_VERSION}/${resource}`, params), { headers: token === null ? {} : { 'X-Shopify-Access-Token': token } }),
    );
  const shopifyUrl = async <T = any>(absolute: string, token = server.shopify.token) =>
    answer<T>(await fetch(absolute, { headers: { 'X-Shopify-Access-Token': token } }));
  const flx = async <T = any>(path: string, params: Record<string, string | number> = {}, token: string | null = server.flxpoint.token) =>
    answer<T>(await fetch(url(path, params), { headers: token === null ? {} : { 'X-API-TOKEN': token } }));
  const control = async <T = any>(method: string, path: string, body?: unknown) =>
    answer<T>(
      await fetch(url(`/__sandbox/${path}`), {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );

  const checkout = async (scenario?: string) => {
    const reply = await control('POST', 'store/checkout', scenario === undefined ? {} : { scenario });
    if (reply.status !== 201) throw new Error(`checkout failed: ${reply.status} ${reply.text}`);
    return reply.body.order as { id: string; number: string; name: string; total: string };
  };
  const advance = async (ms: number) => (await control('POST', 'clock/advance', { ms })).body as { now: string; nowMs: number };
  const clock = async () => (await control('GET', 'clock')).body as { now: string; nowMs: number; nextEventAt: string | null };
  const portalOrders = async (params: Record<string, string | number> = {}) => (await flx('/orders', params)).body as any[];
  const portalOrderFor = async (number: string) => (await portalOrders()).find((order) => order.orderNumber === number);
  const authorize = async (portalId: number | string) => (await control('POST', `portal/orders/${portalId}/authorize`)).body;
  const shipmentsOf = async (portalId: number | string) => (await flx('/shipments', { findByOrderId: portalId })).body as any[];
  const channelOrder = async (id: string) => (await shopify(`orders/${id}.json`)).body.order;

  return { server, store, shopify, shopifyUrl, flx, control, checkout, advance, clock, portalOrders, portalOrderFor, authorize, shipmentsOf, channelOrder };
}
