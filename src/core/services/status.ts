// `onboard status`: every tracked order of this profile, its stage, what it waits for, and the earliest time
// a read could show progress. Reads the records only; no vendor is called.
import { readCredentials } from '../../config/connections.js';
import { systemClock } from '../clock.js';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { evaluate } from '../lifecycle/machine.js';
import { iso, readState } from '../tracker.js';
import { PLAN_INTERVAL_MS } from '../ports.js';
import { pollDelay } from '../waiting.js';
import type { CommandOutcome } from './test-order.js';

export interface StatusRow {
  number: string | null;
  name: string | null;
  stage: string | null;
  problem: string | null;
  waitingFor: string | null;
  nextCheckAt: string | null;
  abandoned: boolean;
  startedAt: string;
  lastCheckedAt: string | null;
  runId: string;
}

/**
 * The clock and the Order Manager's interval. Against the real systems they are the system clock and the stored
 * plan's interval, so no adapter is built (building them loads axios and full zod: most of a state command's
 * startup). The sandbox's clock is its simulated world's.
 */
async function timing(ctx: Context): Promise<{ now: number; interval: number }> {
  if (ctx.sandbox) {
    const systems = await ctx.systems();
    return { now: systems.clock.now(), interval: systems.orderManager.intervalMs };
  }
  const plan = readCredentials(ctx.store, ctx.namespace)['inventory-source']?.plan ?? 'basic';
  return { now: systemClock.now(), interval: PLAN_INTERVAL_MS[plan] };
}

export async function runStatus(ctx: Context): Promise<CommandOutcome<{ orders: StatusRow[] }>> {
  const state = readState(ctx);
  const { now, interval } = state.runs.length > 0 ? await timing(ctx) : { now: Date.now(), interval: 3_600_000 };
  const orders = state.runs.map((run): StatusRow => {
    const evaluation = evaluate(run, { now, planIntervalMs: interval });
    let nextCheckAt: string | null = null;
    if (!run.abandoned && evaluation.waitingFor && evaluation.waitingFor !== 'person') {
      const base = Math.max(now, run.lastCheckedAt ? Date.parse(run.lastCheckedAt) : now);
      let next = Date.parse(run.lastCheckedAt ?? iso(now)) + pollDelay(evaluation.waitingFor, 0, ctx.pollIntervalMs, interval);
      if (evaluation.waitingFor === 'import' && run.order) next = Math.max(next, Date.parse(run.order.createdAt) + interval);
      nextCheckAt = iso(Math.max(next, base));
    }
    return {
      number: run.order?.number ?? null,
      name: run.order?.name ?? null,
      stage: evaluation.stage,
      problem: evaluation.problem,
      waitingFor: run.abandoned ? null : evaluation.waitingFor,
      nextCheckAt,
      abandoned: run.abandoned,
      startedAt: run.startedAt,
      lastCheckedAt: run.lastCheckedAt,
      runId: run.id,
    };
  });
  return { result: { orders: orders.reverse() }, exitCode: EXIT.ok };
}
