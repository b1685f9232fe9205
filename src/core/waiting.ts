// How long a waiting command sleeps before it looks again, and the wait loop itself. Under --sandbox the
// sleeps are virtual; the HTTP seam paces requests to each vendor's limit whatever is asked here.
import type { Context, Systems } from './context.js';
import type { Evaluation, WaitingFor } from './lifecycle/machine.js';
import type { Run } from './lifecycle/record.js';
import { iso, refreshRun, throwIfCancelled } from './tracker.js';

const MINUTE = 60_000;
/** Never look more often than this, whatever --poll-interval asks (each look is a few requests). */
export const MIN_POLL_MS = 2_000;

interface PollPlan {
  first: number;
  factor: number;
  max: number;
}

/**
 * The default polling plan per thing waited for: start soon, then look less often the longer it takes
 * (authorization is a click away; shipping takes hours to days). Each look is a few requests, paced by the
 * HTTP seam within each vendor's rate limit.
 */
function pollPlan(waitingFor: WaitingFor, planIntervalMs: number): PollPlan {
  switch (waitingFor) {
    case 'order':
      return { first: 15_000, factor: 1.5, max: 5 * MINUTE };
    case 'import':
      // soon at first (the dealer may press Order Sync any moment), then a third of the plan interval
      return { first: MINUTE, factor: 1.5, max: Math.min(planIntervalMs / 3, 5 * MINUTE) };
    case 'authorization':
      return { first: MINUTE, factor: 1.5, max: 30 * MINUTE };
    case 'shipment':
      return { first: 5 * MINUTE, factor: 1.5, max: 60 * MINUTE };
    case 'tracking_sync':
      return { first: 5 * MINUTE, factor: 1.5, max: 30 * MINUTE };
    default:
      return { first: MINUTE, factor: 1, max: MINUTE };
  }
}

/** The delay before look number `look` (0-based) of one wait; --poll-interval fixes it (never below MIN_POLL_MS). */
export function pollDelay(waitingFor: WaitingFor, look: number, requested: number | null, planIntervalMs: number): number {
  if (requested !== null) return Math.max(requested, MIN_POLL_MS);
  const plan = pollPlan(waitingFor, planIntervalMs);
  return Math.round(Math.min(plan.first * plan.factor ** look, plan.max));
}

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
    if (options.deadline !== null) delay = Math.min(delay, options.deadline - now);
    ctx.reporter.waiting(options.label(run, evaluation), `next look ${formatClock(now + delay)}`);
    throwIfCancelled(ctx);
    await systems.clock.sleep(delay, ctx.signal);
  }
}

export function formatClock(ms: number): string {
  return `${iso(ms).slice(11, 16)} UTC`;
}

export function formatWhen(ms: number): string {
  return `${iso(ms).slice(0, 10)} ${formatClock(ms)}`;
}
