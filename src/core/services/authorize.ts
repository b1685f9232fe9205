// `onboard authorize <order>`: authorize payment where the portal can be driven (sandbox), otherwise show
// the exact clicks and verify through the API. Never authorizes twice: a fulfillment request already on the
// order is the evidence that payment was authorized.
import type { Context } from '../context.js';
import { EXIT, InputRequiredError, NotConnectedError } from '../errors.js';
import { parseOrderRef } from '../identity.js';
import type { Evaluation } from '../lifecycle/machine.js';
import type { Run } from '../lifecycle/record.js';
import { formatMoney, parseMoney } from '../money.js';
import type { PortalFulfillmentRequest } from '../ports.js';
import { iso, orderView, recordObservation, refreshRun } from '../tracker.js';
import { waitForRun } from '../waiting.js';
import { runForOrder } from './resolve.js';
import { authorizeClicks, type CommandOutcome } from './test-order.js';

export interface AuthorizeResult {
  order: ReturnType<typeof orderView>;
  stage: string | null;
  problem: string | null;
  authorized: boolean;
  alreadyAuthorized: boolean;
  method: 'api' | 'assisted';
  evidence: { fulfillmentRequests: PortalFulfillmentRequest[]; paymentStatus: string | null; portalOrderId: string | null };
  portalUrl: string | null;
  clicks: string[];
}

export async function runAuthorize(ctx: Context, options: { order: string; yes: boolean; watch: boolean }): Promise<CommandOutcome<AuthorizeResult>> {
  const ref = parseOrderRef(options.order);
  if (ctx.sandbox && !ctx.interactive && !options.yes) {
    throw new InputRequiredError('Authorizing payment needs a confirmation', ['--yes']);
  }
  const systems = await ctx.systems();
  if (!systems.channel) {
    throw new NotConnectedError('No sales channel is connected', {
      next: ['onboard authorize <order> --sandbox', 'onboard connect shopify --store NAME.myshopify.com'],
    });
  }
  if (!systems.portal) {
    throw new NotConnectedError('The dealer portal is not connected', { next: ['onboard connect flxpoint'] });
  }
  const method = systems.portalControls ? 'api' : 'assisted';
  const { run: found } = await runForOrder(ctx, systems, ref, { record: true });
  let { run, evaluation } = await refreshRun(ctx, systems, found.id);
  const hadRequest = (run.portal?.fulfillmentRequests.length ?? 0) > 0;
  const portalUrl = run.portal ? systems.portal.orderPageUrl(run.portal.id) : null;
  const clicks = run.portal ? authorizeClicks(systems, run.portal.id) : [];
  const build = (r: Run, e: Evaluation, exitCode: number): CommandOutcome<AuthorizeResult> => ({
    result: {
      order: orderView(r),
      stage: e.stage,
      problem: e.problem,
      authorized: (r.portal?.fulfillmentRequests.length ?? 0) > 0,
      alreadyAuthorized: hadRequest,
      method,
      evidence: { fulfillmentRequests: r.portal?.fulfillmentRequests ?? [], paymentStatus: r.portal?.paymentStatus ?? null, portalOrderId: r.portal?.id ?? null },
      portalUrl: r.portal ? systems.portal!.orderPageUrl(r.portal.id) : portalUrl,
      clicks: method === 'assisted' ? (r.portal ? authorizeClicks(systems, r.portal.id) : clicks) : [],
    },
    exitCode,
  });

  if (hadRequest) {
    ctx.reporter.success(`${run.order?.name} is already authorized (fulfillment request ${run.portal?.fulfillmentRequests.map((fr) => fr.number ?? fr.id).join(', ')}); nothing to do.`);
    return build(run, evaluation, EXIT.ok);
  }
  if (!run.portal) {
    ctx.reporter.warn(`${run.order?.name} is not in the dealer portal yet, so there is nothing to authorize.`);
    return build(run, evaluation, evaluation.problem ? EXIT.attention : EXIT.pending);
  }

  if (systems.portalControls) {
    const total = run.portal.orderTotal != null && run.order ? `${formatMoney(parseMoney(run.portal.orderTotal, run.order.currency))} ${run.order.currency}` : 'the order total';
    const approved = options.yes || (await ctx.prompter.confirm({ message: `Authorize payment of ${total} for order ${run.order?.name}?`, default: false, flag: '--yes' }));
    if (!approved) {
      ctx.reporter.warn('Not authorized.');
      return build(run, evaluation, EXIT.pending);
    }
    const outcome = await systems.portalControls.authorize(run.portal.id);
    await recordObservation(ctx, systems, run.id, { at: iso(systems.clock.now()), authorizedByOnboard: !outcome.alreadyAuthorized });
    ({ run, evaluation } = await refreshRun(ctx, systems, run.id));
  } else {
    ctx.reporter.info('Flxpoint publishes no API to authorize payment. In the dealer portal:');
    ctx.reporter.block(clicks);
    ctx.reporter.info('onboard then verifies it through the API (a fulfillment request appears once payment is authorized).');
  }

  const authorized = (r: Run) => (r.portal?.fulfillmentRequests.length ?? 0) > 0;
  if (!authorized(run) && options.watch && !evaluation.problem) {
    const deadline = ctx.timeoutMs === null ? null : systems.clock.now() + ctx.timeoutMs;
    const waited = await waitForRun(ctx, systems, run.id, {
      deadline,
      done: (_e, r) => authorized(r),
      label: () => 'Waiting for the payment authorization to show in the portal',
    });
    ({ run, evaluation } = waited);
    ctx.reporter.stopWaiting();
  }
  if (authorized(run)) {
    ctx.reporter.success(`Payment authorized: fulfillment request ${run.portal?.fulfillmentRequests.map((fr) => fr.number ?? fr.id).join(', ')}.`);
    return build(run, evaluation, EXIT.ok);
  }
  return build(run, evaluation, evaluation.problem ? EXIT.attention : EXIT.pending);
}
