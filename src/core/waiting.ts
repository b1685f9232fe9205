// How long a waiting command sleeps before it looks again, and the wait loop itself. Under --sandbox the
// sleeps are virtual; the HTTP seam paces requests to each vendor's limit whatever is asked here.
import type { Context, Systems } from './context.js';
import type { Evaluation, WaitingFor } from './lifecycle/machine.js';
import type { Run } from './lifecycle/record.js';
import { iso, refreshRun, throwIfCancelled } from './tracker.js';

const MINUTE = 60_000;
/** Never look more often than this, whatever --poll-interval asks (each look is a few requests). */
export const MIN_POLL_MS = 2_000;

/**
 * Default look-again delay per thing waited for. Imports follow the plan schedule; authorization is a click
 * away; shipping takes hours to days, so the delay grows with the time already waited (capped at 30 min).
 */
export function pollDelay(waitingFor: WaitingFor, waitedMs: number, requested: number | null, planIntervalMs: number): number {
  if (requested !== null) return Math.max(requested, MIN_POLL_MS);
  switch (waitingFor) {
    case 'order':
      return 15_000;
    case 'import':
      return Math.min(planIntervalMs / 3, 5 * MINUTE);
    case 'authorization':
      return MINUTE;
    case 'shipment':
    case 'tracking_sync':
      return Math.min(5 * MINUTE * Math.max(1, Math.floor(waitedMs / (2 * 60 * MINUTE)) + 1), 30 * MINUTE);
    default:
      return MINUTE;
  }
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
  const started = systems.clock.now();
  for (;;) {
    const { run, evaluation } = await refreshRun(ctx, systems, runId);
    if (evaluation.problem) return { run, evaluation, outcome: 'problem' };
    if (options.done(evaluation, run)) return { run, evaluation, outcome: 'done' };
    const decision = await options.onLook?.(run, evaluation);
    if (decision === 'again') continue;
    if (decision === 'stop') return { run, evaluation, outcome: 'stopped' };
    const now = systems.clock.now();
    if (options.deadline !== null && now >= options.deadline) return { run, evaluation, outcome: 'timeout' };
    let delay = pollDelay(evaluation.waitingFor, now - started, ctx.pollIntervalMs, systems.orderManager.intervalMs);
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
