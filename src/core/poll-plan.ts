// How long a waiting command sleeps before it looks again. Kept apart from the wait loop (waiting.ts), which
// reads the systems (observe-systems.ts): status and the CLI context need only the plan and its floor.
import type { WaitingFor } from './lifecycle/machine.js';

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
