// `onboard status`: every tracked order of this profile, its stage, what it waits for, and the earliest time
// a read could show progress. Reads the records only; no vendor is called.
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { evaluate } from '../lifecycle/machine.js';
import { iso, readState } from '../tracker.js';
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

export async function runStatus(ctx: Context): Promise<CommandOutcome<{ orders: StatusRow[] }>> {
  const state = readState(ctx);
  const systems = state.runs.length > 0 ? await ctx.systems() : null;
  const now = systems?.clock.now() ?? Date.now();
  const interval = systems?.orderManager.intervalMs ?? 3_600_000;
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
