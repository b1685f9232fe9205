// `onboard track <order>`: one order across the three systems. An untracked order is shown, and recorded
// only with --watch, which waits until tracking_synced or a problem.
import type { Context } from '../context.js';
import { EXIT, NotConnectedError } from '../errors.js';
import { parseOrderRef } from '../identity.js';
import type { Evaluation } from '../lifecycle/machine.js';
import type { Run } from '../lifecycle/record.js';
import { orderResult, refreshRun, refreshTransientRun, updateState } from '../tracker.js';
import { waitForRun } from '../waiting.js';
import { runForOrder } from './resolve.js';
import type { CommandOutcome } from './test-order.js';

export async function runTrack(
  ctx: Context,
  options: { order: string; watch: boolean; authorizeWithinMs?: number },
): Promise<CommandOutcome<ReturnType<typeof orderResult> & { tracked: boolean }>> {
  const ref = parseOrderRef(options.order);
  const systems = await ctx.systems();
  if (!systems.channel) {
    throw new NotConnectedError('No sales channel is connected', {
      hint: 'Try it on the sandbox, or connect your store.',
      next: ['onboard track <order> --sandbox', 'onboard connect shopify --store NAME.myshopify.com'],
    });
  }
  const { run: found, tracked } = await runForOrder(ctx, systems, ref, { record: options.watch });
  if (tracked && options.authorizeWithinMs !== undefined) {
    await updateState(ctx, (state) => {
      const stored = state.runs.find((r) => r.id === found.id);
      if (stored) stored.authorizeWithinMs = options.authorizeWithinMs as number;
    });
  }
  let run: Run;
  let evaluation: Evaluation;
  if (!tracked) ({ run, evaluation } = await refreshTransientRun(ctx, systems, found));
  else ({ run, evaluation } = await refreshRun(ctx, systems, found.id));

  if (options.watch && systems.portal && !evaluation.problem && evaluation.lastStage !== 'tracking_synced') {
    const deadline = ctx.timeoutMs === null ? null : systems.clock.now() + ctx.timeoutMs;
    ({ run, evaluation } = await waitForRun(ctx, systems, run.id, {
      deadline,
      done: (e) => e.lastStage === 'tracking_synced',
      label: (_r, e) => `${run.order?.name}: ${e.lastStage ?? 'not placed'}, waiting for ${e.waitingFor ?? 'nothing'}`,
    }));
    ctx.reporter.stopWaiting();
  }
  const exitCode = evaluation.problem ? EXIT.attention : evaluation.lastStage === 'tracking_synced' && systems.portal ? EXIT.ok : EXIT.pending;
  return { result: { ...orderResult(run, evaluation, systems), tracked: tracked }, exitCode };
}
