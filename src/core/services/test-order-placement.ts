// Step 1 of test-order: the order. Under --sandbox a customer places it; with --create onboard places it by
// API, exactly once; otherwise the person places one and onboard looks for the first new order on the store.
// One process of the profile claims the placing; another resuming the same run waits for that order instead.
import type { Context, Systems } from '../context.js';
import { systemClock } from '../clock.js';
import { OnboardError, UsageError } from '../errors.js';
import type { Run } from '../lifecycle/record.js';
import { SYSTEM_LABELS, type ChannelOrder, type CreateOrderInput } from '../ports.js';
import { updateRun, updateState } from '../state.js';
import { waitUntilFound } from '../waiting.js';
import { createOrFindOrder } from './create-order.js';

/** A claim older than this is a crashed process's: another may place the order instead. */
const PLACEMENT_CLAIM_STALE_MS = 30_000;

/** How often a store is looked at for the order a customer places, when no --poll-interval is given. */
const NEW_ORDER_LOOK_MS = 15_000;

/**
 * The sandbox's customer places the order (or another process's placing is waited for), or the person places
 * one; then the first order created on the store since the run began, or null when the deadline passes.
 */
export async function placeOrFindOrder(ctx: Context, systems: Systems, run: Run, deadline: number | null): Promise<ChannelOrder | null> {
  const channel = systems.channel;
  if (!channel) throw new UsageError('No sales channel is connected');
  const findNew = () => channel.findFirstOrderSince(run.startedAt);
  if (systems.sandbox && (await claimPlacement(ctx, run.id))) {
    const placed = await systems.sandbox.placeOrder(run.scenario);
    const scenario = placed.scenario ?? run.scenario;
    await updateRun(ctx, run.id, (stored) => {
      stored.scenario = scenario;
    });
    ctx.reporter.info(`A customer placed order #${placed.number} on the sandbox store${scenario && scenario !== 'happy' ? ` (scenario ${scenario})` : ''}.`);
  } else if (systems.sandbox) {
    ctx.reporter.info('Another onboard process is placing the test order; waiting for it on the store.');
    const found = await waitForClaimant(ctx, 100, findNew);
    if (found) return found;
  } else {
    ctx.reporter.info('Place a small, low-dollar order on your store now, as a customer would (it will really ship).');
    ctx.reporter.info('onboard watches for the first order created after this run began.');
  }
  return waitUntilFound(ctx, {
    clock: systems.clock,
    deadline,
    intervalMs: ctx.pollIntervalMs ?? NEW_ORDER_LOOK_MS,
    label: 'Waiting for a new order on the store',
    look: findNew,
  });
}

/**
 * --create: one process claims the placement; a resumed run first looks for the order it placed before.
 * When the store refuses the order nothing was placed, so nothing of this invocation is kept: a run it started
 * is removed (and the run it replaced restored), a resumed run's claim is released.
 */
export async function createTestOrder(
  ctx: Context,
  systems: Systems,
  run: Run,
  input: CreateOrderInput,
  replaced: Run | null,
  startedHere: boolean,
): Promise<ChannelOrder | null> {
  if (await claimPlacement(ctx, run.id)) {
    ctx.reporter.info(`Placing the test order on ${SYSTEM_LABELS[systems.channel!.system]} by API (once: a retry looks for it first).`);
    try {
      return await createOrFindOrder(systems, input, run.startedAt);
    } catch (error) {
      if (error instanceof OnboardError && (error.code === 'bad_input' || error.code === 'usage')) {
        await updateState(ctx, (state) => {
          const index = state.runs.findIndex((r) => r.id === run.id);
          if (index < 0) return;
          if (!startedHere) {
            state.runs[index].placementClaimedAt = null;
            return;
          }
          state.runs.splice(index, 1);
          if (!replaced) return;
          const kept = state.runs.find((r) => r.id === replaced.id);
          if (kept) kept.abandoned = replaced.abandoned;
          else state.runs.push(replaced);
        });
      }
      throw error;
    }
  }
  ctx.reporter.info('Another onboard process is placing this test order; waiting for it on the store.');
  return waitForClaimant(ctx, 250, async () => (await systems.channel!.findCreatedOrder?.(run.id, run.startedAt)) ?? null);
}

/**
 * The claimant places the order within moments: look again in real time (not on the systems' possibly virtual
 * clock) until it shows, or until the claim would be stale.
 */
function waitForClaimant(ctx: Context, intervalMs: number, look: () => Promise<ChannelOrder | null>): Promise<ChannelOrder | null> {
  return waitUntilFound(ctx, { clock: systemClock, deadline: systemClock.now() + PLACEMENT_CLAIM_STALE_MS, intervalMs, look });
}

/**
 * Claims, under the profile lock, the placing of this run's order. Only the claimant places it; concurrent
 * wizards resuming the same run wait for that order on the store instead of placing a second one.
 */
async function claimPlacement(ctx: Context, runId: string): Promise<boolean> {
  const claimed = await updateRun(ctx, runId, (stored) => {
    if (stored.order) return false;
    const now = Date.now();
    if (stored.placementClaimedAt !== null && now - stored.placementClaimedAt < PLACEMENT_CLAIM_STALE_MS) return false;
    stored.placementClaimedAt = now;
    return true;
  });
  return claimed ?? false;
}
