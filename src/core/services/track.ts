// `onboard track <order>`: one order across the three systems. An untracked order is shown, and recorded
// only with --watch, which waits until tracking_synced or a problem. An abandoned test order says so.
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { notConnected } from '../not-connected.js';
import { parseOrderRef } from '../identity.js';
import type { Evaluation } from '../lifecycle/machine.js';
import type { Run } from '../lifecycle/record.js';
import { formatSpan } from '../local-time.js';
import { announceCompletion } from '../narrate.js';
import { refreshRun, refreshTransientRun } from '../observe-systems.js';
import { followAgainCommand } from '../runs.js';
import { readRun, updateRun } from '../state.js';
import { orderResult } from '../views.js';
import { describeWait, waitForRun } from '../waiting.js';
import { runForOrder } from './resolve.js';
import type { CommandOutcome } from './outcome.js';

export async function runTrack(
  ctx: Context,
  options: { order: string; watch: boolean; authorizeWithinMs?: number },
): Promise<CommandOutcome<ReturnType<typeof orderResult> & { tracked: boolean; abandoned: boolean }>> {
  const ref = parseOrderRef(options.order);
  const systems = await ctx.systems();
  if (!systems.channel) {
    throw notConnected(ctx, { channel: true, portal: false }, ctx.commandLine('test-order', '--sandbox'));
  }
  const { run: found, tracked } = await runForOrder(ctx, systems, ref, { record: options.watch });
  if (tracked && options.authorizeWithinMs !== undefined) {
    await updateRun(ctx, found.id, (stored) => {
      stored.authorizeWithinMs = options.authorizeWithinMs as number;
    });
  }
  // an abandoned run is shown as it is now, never followed: nothing is recorded on it and nothing waits on it
  const following = tracked && !found.abandoned;
  const before = following ? (readRun(ctx, found.id) ?? null) : null;
  let run: Run;
  let evaluation: Evaluation;
  if (!following) ({ run, evaluation } = await refreshTransientRun(ctx, systems, found));
  else ({ run, evaluation } = await refreshRun(ctx, systems, found.id));

  if (run.abandoned) {
    ctx.reporter.warn(
      `${run.order?.name ?? 'This order'} was abandoned: another test order replaced it, and onboard no longer follows it${options.watch ? ' (so --watch does not wait on it)' : ''}. To make it the test order again: ${followAgainCommand(ctx, run)}`,
    );
  }
  if (options.watch && following && systems.portal && !evaluation.problem && evaluation.lastStage !== 'tracking_synced') {
    const started = systems.clock.now();
    const deadline = ctx.timeoutMs === null ? null : started + ctx.timeoutMs;
    const waited = await waitForRun(ctx, systems, run.id, {
      deadline,
      done: (e) => e.lastStage === 'tracking_synced',
      label: (r, e) => describeWait(r, e, systems, ctx.commandLine),
    });
    ({ run, evaluation } = waited);
    if (waited.outcome === 'timeout') {
      const spent = systems.clock.now() - started;
      ctx.reporter.stopWaiting({
        ok: false,
        text: `Not finished yet after ${formatSpan(spent)} of waiting. ${describeWait(run, evaluation, systems, ctx.commandLine)}. Run ${ctx.commandLine('track', options.order, '--watch')} again to go on.`,
      });
    } else ctx.reporter.stopWaiting();
  }
  if (following) announceCompletion(ctx, before, run, { email: true });
  const exitCode = evaluation.problem ? EXIT.attention : evaluation.lastStage === 'tracking_synced' && systems.portal ? EXIT.ok : EXIT.pending;
  return { result: { ...orderResult(run, evaluation, systems, ctx.commandLine), tracked, abandoned: run.abandoned }, exitCode };
}
