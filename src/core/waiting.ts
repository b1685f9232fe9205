// Every wait of the core: a run refreshed until it reaches a stage (waitForRun), and anything looked for until
// it is found (waitUntilFound). Under --sandbox the systems' sleeps are virtual; the HTTP seam paces requests to
// each vendor's limit whatever is asked here. Also what a waiting command says it waits for.
import type { Clock } from './clock.js';
import type { CommandLine } from './command-line.js';
import type { Context, Systems } from './context.js';
import { autoAuthorizeCovers, type Evaluation, type WaitingFor } from './lifecycle/machine.js';
import type { Run } from './lifecycle/record.js';
import { formatClock, formatWhen } from './local-time.js';
import { throwIfCancelled } from './errors.js';
import { refreshRun } from './observe-systems.js';

import { pollDelay } from './poll-plan.js';

/** The next moment the order's state changes by the clock alone (an import falls due or overdue, an authorization overdue). */
export function nextDeadline(run: Run, now: number, planIntervalMs: number): number | null {
  const candidates: number[] = [];
  if (run.order && !run.portal) {
    const created = Date.parse(run.order.createdAt);
    candidates.push(created + planIntervalMs, created + 2 * planIntervalMs + 1);
  }
  if (run.portal && run.portal.fulfillmentRequests.length === 0) {
    candidates.push(Date.parse(run.portal.insertedAt ?? run.portal.firstSeenAt) + run.authorizeWithinMs + 1);
  }
  const future = candidates.filter((t) => Number.isFinite(t) && t > now);
  return future.length ? Math.min(...future) : null;
}

export type WaitOutcome = 'done' | 'problem' | 'timeout' | 'stopped';

/** after a look: look again at once, stop waiting (a "no" was answered), or wait as usual */
export type LookDecision = 'again' | 'stop' | void;

export interface WaitResult {
  run: Run;
  evaluation: Evaluation;
  outcome: WaitOutcome;
}

/**
 * Refreshes the run until `done` holds, a problem holds, or the deadline passes. `onLook` runs after each look
 * (narration, actions such as pressing Order Sync) and decides what happens next.
 */
export async function waitForRun(
  ctx: Context,
  systems: Systems,
  runId: string,
  options: {
    deadline: number | null;
    done: (evaluation: Evaluation, run: Run) => boolean;
    label: (run: Run, evaluation: Evaluation) => string;
    onLook?: (run: Run, evaluation: Evaluation) => Promise<LookDecision> | LookDecision;
  },
): Promise<WaitResult> {
  let looks = 0;
  let lookingFor: WaitingFor | undefined;
  for (;;) {
    const { run, evaluation } = await refreshRun(ctx, systems, runId);
    if (evaluation.problem) return { run, evaluation, outcome: 'problem' };
    if (options.done(evaluation, run)) return { run, evaluation, outcome: 'done' };
    const decision = await options.onLook?.(run, evaluation);
    if (decision === 'again') continue;
    if (decision === 'stop') return { run, evaluation, outcome: 'stopped' };
    const now = systems.clock.now();
    if (options.deadline !== null && now >= options.deadline) return { run, evaluation, outcome: 'timeout' };
    if (evaluation.waitingFor !== lookingFor) {
      lookingFor = evaluation.waitingFor;
      looks = 0;
    }
    let delay = pollDelay(evaluation.waitingFor, looks++, ctx.pollIntervalMs, systems.orderManager.intervalMs);
    // Land just after the next moment the state changes by the clock alone, rather than well past it.
    const deadlineByClock = ctx.pollIntervalMs === null ? nextDeadline(run, now, systems.orderManager.intervalMs) : null;
    if (deadlineByClock !== null) delay = Math.min(delay, deadlineByClock - now);
    await pause(ctx, systems.clock, now, delay, options.deadline, options.label(run, evaluation));
  }
}

/**
 * Looks until `look` finds something (returned) or the deadline passes (null), sleeping `intervalMs` on
 * `clock` between looks: the systems' clock for a wait on a vendor's schedule, `systemClock` for a wait on
 * another onboard process. With a `label` the reporter shows it and the time of the next look.
 */
export async function waitUntilFound<T>(
  ctx: Context,
  options: { clock: Clock; deadline: number | null; intervalMs: number; label?: string; look: () => Promise<T | null | undefined> },
): Promise<T | null> {
  for (;;) {
    throwIfCancelled(ctx.signal);
    const found = await options.look();
    if (found) return found;
    const now = options.clock.now();
    if (options.deadline !== null && now >= options.deadline) return null;
    await pause(ctx, options.clock, now, options.intervalMs, options.deadline, options.label);
  }
}

/** The sleep between two looks: never past the deadline, shown with the next look's time, ended by cancellation. */
async function pause(ctx: Context, clock: Clock, now: number, delay: number, deadline: number | null, label: string | undefined): Promise<void> {
  if (deadline !== null) delay = Math.min(delay, deadline - now);
  if (label !== undefined) ctx.reporter.waiting(label, `next look ${formatClock(now + delay)}`);
  throwIfCancelled(ctx.signal);
  await clock.sleep(delay, ctx.signal);
}

/** Suppliers usually ship within this long of the payment authorization (business days, roughly). */
const USUAL_SHIPPING_MS = 3 * 86_400_000;

/** What a waiting command waits for, in people's words: who the wait is on and, where known, until when. */
export function describeWait(run: Run, evaluation: Evaluation, systems: Systems, cmd: CommandLine): string {
  const om = systems.orderManager;
  const name = run.order?.name ?? 'the order';
  switch (evaluation.waitingFor) {
    case 'order':
      return 'Waiting for a new order on the store';
    case 'import': {
      const due = Date.parse(run.order?.createdAt ?? run.startedAt) + om.intervalMs;
      const plan = `${om.plan}${om.planAssumed ? ' (assumed)' : ''} plan, every ${om.intervalMs / 60_000} min`;
      return `Waiting for Order Manager to import ${name}: due by ${formatClock(due)} (${plan})`;
    }
    case 'authorization':
      return autoAuthorizeCovers(run)
        ? `Waiting for the portal to auto-authorize the payment for ${name}`
        : `Waiting for you: authorize the payment for ${name} ("Authorize Order for Payment" in the dealer portal, or ${cmd('authorize', run.order?.number ?? '<order>')})`;
    case 'shipment': {
      const authorizedAt = Date.parse(run.stageReachedAt.authorized ?? run.lastCheckedAt ?? run.startedAt);
      return `Waiting for the supplier to ship ${name}: suppliers usually ship within 1–3 business days (about ${formatWhen(authorizedAt + USUAL_SHIPPING_MS)})`;
    }
    case 'tracking_sync':
      return `Waiting for Inventory Source to send the tracking to ${name} on the store`;
    default:
      return 'Waiting';
  }
}
