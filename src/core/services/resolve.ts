// Turning an `<order>` argument into a tracked run, recording an untracked order when asked.
import type { Context, Systems } from '../context.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { OrderRef } from '../identity.js';
import type { Run } from '../lifecycle/record.js';
import type { ChannelOrder } from '../ports.js';
import { applyObservation } from '../lifecycle/observe.js';
import { iso } from '../clock.js';
import { judgeContext, recordObservation } from '../observe-systems.js';
import { findTrackedRun, newRun } from '../runs.js';
import { readRun, readState, updateState } from '../state.js';

/** Orders older than this are not searched by number unless asked (Shopify's default window is 60 days). */
export const ORDER_SEARCH_WINDOW_MS = 60 * 86_400_000;

export async function resolveChannelOrder(ctx: Context, systems: Systems, ref: OrderRef): Promise<ChannelOrder> {
  const channel = systems.channel;
  if (!channel) throw new UsageError('No sales channel is connected');
  const since = iso(systems.clock.now() - ORDER_SEARCH_WINDOW_MS);
  let number: string;
  if (ref.kind === 'portal') {
    if (!systems.portal) throw new UsageError('portal:ID needs the dealer portal connected', { next: [ctx.commandLine('connect', 'flxpoint')] });
    const portalOrder = await systems.portal.getOrder(ref.portalId);
    number = (portalOrder.orderNumber ?? portalOrder.referenceNumber ?? '').replace(/^#/, '').trim();
    if (!number) throw new NotFoundError(`Portal order ${ref.portalId} carries no store order number`);
  } else {
    number = ref.number;
  }
  const order = await channel.findOrderByNumber(number, since);
  if (!order) {
    throw new NotFoundError(`Order ${ref.kind === 'portal' ? `portal:${ref.portalId}` : `#${number}`} was not found on ${channel.system} in the last 60 days`, {
      hint: 'Check the number on the store (Orders), or give the portal order as portal:ID.',
    });
  }
  return order;
}

/**
 * The run for `<order>`: a tracked one, else the channel order read afresh. With `record`, an untracked
 * order becomes a tracked run; without it a transient run is returned (shown, never stored).
 */
export async function runForOrder(ctx: Context, systems: Systems, ref: OrderRef, options: { record: boolean }): Promise<{ run: Run; tracked: boolean }> {
  const tracked = findTrackedRun(readState(ctx), ref);
  if (tracked) return { run: tracked, tracked: true };
  const order = await resolveChannelOrder(ctx, systems, ref);
  const again = findTrackedRun(readState(ctx), { kind: 'number', number: order.number.toLowerCase() });
  if (again) return { run: again, tracked: true };
  const run = newRun(systems, ctx, {});
  run.scenario = null;
  run.startedAt = order.createdAt;
  if (!options.record) {
    applyObservation(run, { at: iso(systems.clock.now()), order }, judgeContext(systems));
    return { run, tracked: false };
  }
  await updateState(ctx, (state) => {
    state.runs.push(run);
  });
  await recordObservation(ctx, systems, run.id, { at: iso(systems.clock.now()), order });
  return { run: readRun(ctx, run.id) as Run, tracked: true };
}
