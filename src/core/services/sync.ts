// `onboard sync`: every tracked order brought up to date from the three systems in one pass.
import type { Context } from '../context.js';
import { EXIT, OnboardError } from '../errors.js';
import { notConnected } from '../not-connected.js';
import { iso } from '../clock.js';
import { announceCompletion } from '../narrate.js';
import { evaluateNow, recordObservation, refreshRun } from '../observe-systems.js';
import { readState } from '../state.js';
import type { CommandOutcome } from './outcome.js';

export const ORDER_SYNC_HOW =
  'Inventory Source publishes no API for Order Sync: open Inventory Source → Order Manager and press "Order Sync" to import waiting orders now.';

export interface SyncResult {
  orders: { number: string; name: string; stage: string | null; problem: string | null; runId: string }[];
  forced: boolean;
  forceSync: { how: string } | null;
  errors: { system: string; order: string | null; code: string; message: string }[];
}

export async function runSync(ctx: Context, options: { force: boolean }): Promise<CommandOutcome<SyncResult>> {
  const systems = await ctx.systems();
  if (!systems.channel && !systems.portal) {
    throw notConnected(ctx, { channel: true, portal: true }, ctx.commandLine('test-order', '--sandbox'));
  }
  const result: SyncResult = { orders: [], forced: false, forceSync: null, errors: [] };
  // half connected: what can be read is read, and the missing side is said (not skipped in silence)
  if (!systems.channel || !systems.portal) {
    const missing = notConnected(ctx, { channel: !systems.channel, portal: !systems.portal }, ctx.commandLine('test-order', '--sandbox'));
    ctx.reporter.warn(`${missing.message}: sync reads ${systems.channel ? 'the store' : 'the dealer portal'} only. ${missing.hint ?? ''}`.trim());
    result.errors.push({ system: systems.channel ? 'flxpoint' : 'channel', order: null, code: missing.code, message: missing.message });
  }
  if (options.force) {
    if (systems.orderManager.forceSync) {
      await systems.orderManager.forceSync();
      result.forced = true;
    } else {
      result.forceSync = { how: ORDER_SYNC_HOW };
    }
  }
  let reads = 0;
  const runs = readState(ctx).runs.filter((r) => !r.abandoned && r.order);
  for (const stored of runs) {
    let run = stored;
    let evaluation = evaluateNow(run, systems);
    if (!evaluation.finished) {
      try {
        if (result.forced && !run.forceSyncPressedAt) await recordObservation(ctx, systems, run.id, { at: iso(systems.clock.now()), forceSyncPressed: true });
        ({ run, evaluation } = await refreshRun(ctx, systems, run.id, { ignoreCache: options.force }));
        reads += 1;
        announceCompletion(ctx, stored, run, { email: false });
      } catch (error) {
        if (!(error instanceof OnboardError) || error.code === 'cancelled') throw error;
        result.errors.push({ system: systemOf(error), order: run.order?.number ?? null, code: error.code, message: error.message });
      }
    }
    result.orders.push({ number: run.order?.number ?? '', name: run.order?.name ?? '', stage: evaluation.stage, problem: evaluation.problem, runId: run.id });
  }
  const failedEverything = runs.length > 0 && reads === 0 && result.errors.length > 0;
  return { result, exitCode: failedEverything ? EXIT.failed : EXIT.ok };
}

function systemOf(error: OnboardError): string {
  return (error as { system?: string }).system ?? 'unknown';
}
