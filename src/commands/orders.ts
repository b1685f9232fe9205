// `onboard orders [--since DURATION] [--limit N]`: the sales channel's recent orders, newest first.
import { parseDuration } from '../core/inputs.js';
import { zoneFromEnv } from '../core/local-time.js';
import { DEFAULT_SINCE_MS, parseLimit, runOrders } from '../core/services/orders.js';
import { renderOrders } from '../ui/render.js';
import type { CommandModule } from './types.js';

const orders: CommandModule = async (ctx, _positional, options) => {
  const sinceMs = typeof options.since === 'string' ? parseDuration(options.since, '--since') : DEFAULT_SINCE_MS;
  const limit = parseLimit(options.limit);
  const outcome = await runOrders(ctx, { sinceMs, limit });
  return { ...outcome, render: () => renderOrders(outcome.result, zoneFromEnv(ctx.env)) };
};
export default orders;
