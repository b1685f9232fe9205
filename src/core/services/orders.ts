// `onboard orders [--since DURATION] [--limit N]`: the sales channel's orders created since then, every
// status, newest first (ChannelPort.listOrders). Reads only; nothing is recorded.
import type { Context } from '../context.js';
import { BadInputError, EXIT } from '../errors.js';
import { notConnected } from '../not-connected.js';
import { formatMoney } from '../money.js';
import type { ChannelSystem } from '../ports.js';
import type { CommandOutcome } from './outcome.js';

export const DEFAULT_SINCE_MS = 7 * 86_400_000;
export const DEFAULT_LIMIT = 50;
/** Shopify shows only the last 60 days of orders without the read_all_orders scope. */
export const SHOPIFY_WINDOW_MS = 60 * 86_400_000;

export interface OrderRow {
  number: string;
  name: string;
  id: string;
  /** ISO-8601 UTC */
  createdAt: string;
  /** decimal text at the currency's digits */
  total: string;
  currency: string;
  shippingMethod: string | null;
}

export interface OrdersResult {
  orders: OrderRow[];
  channel: ChannelSystem;
  since: string;
  limit: number;
  warnings: string[];
}

/** `--limit`: a non-negative integer (0 = all). */
export function parseLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const text = String(value).trim();
  const limit = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(limit)) {
    throw new BadInputError(`--limit: "${String(value)}" is not a non-negative whole number`, { hint: 'Give a count such as 50, or 0 for every order.' });
  }
  return limit;
}

export async function runOrders(ctx: Context, options: { sinceMs: number; limit: number }): Promise<CommandOutcome<OrdersResult>> {
  const systems = await ctx.systems();
  const channel = systems.channel;
  if (!channel) throw notConnected(ctx, { channel: true, portal: false }, ctx.commandLine('test-order', '--sandbox'));
  const now = systems.clock.now();
  const since = new Date(now - options.sinceMs).toISOString();
  const warnings: string[] = [];
  if (channel.system === 'shopify' && options.sinceMs > SHOPIFY_WINDOW_MS) {
    warnings.push(
      'Shopify shows only the last 60 days of orders unless the access token has the read_all_orders scope: older orders are invisible without it.',
    );
  }
  for (const warning of warnings) ctx.reporter.warn(warning);
  const summaries = await channel.listOrders({ createdAtMin: since, limit: options.limit });
  const sorted = [...summaries].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const limited = options.limit > 0 ? sorted.slice(0, options.limit) : sorted;
  const orders = limited.map((order): OrderRow => ({
    number: order.number,
    name: order.name,
    id: order.id,
    createdAt: new Date(order.createdAt).toISOString(),
    total: formatMoney(order.total),
    currency: order.currency,
    shippingMethod: order.shippingMethod,
  }));
  return { result: { orders, channel: channel.system, since, limit: options.limit, warnings }, exitCode: EXIT.ok };
}
