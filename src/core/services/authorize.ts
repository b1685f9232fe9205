// `onboard authorize <order>`: authorize payment where the portal can be driven (sandbox), otherwise show
// the exact clicks and verify through the API. Never authorizes twice: a fulfillment request already on the
// order is the evidence that payment was authorized. Never pays for an abandoned test order (exit 2).
import { authorizeClicks, authorizePayment, paymentAuthorized, requireAuthorizeAnswer } from '../authorize-payment.js';
import type { Context } from '../context.js';
import type { EmailDraft } from '../email.js';
import { EXIT } from '../errors.js';
import { notConnected } from '../not-connected.js';
import { parseOrderRef } from '../identity.js';
import type { Evaluation } from '../lifecycle/machine.js';
import type { Run } from '../lifecycle/record.js';
import { announceCompletion } from '../narrate.js';
import { refreshRun } from '../observe-systems.js';
import type { PortalFulfillmentRequest } from '../ports.js';
import { abandonedRefusal, findTrackedRun } from '../runs.js';
import { readRun, readState } from '../state.js';
import { orderView } from '../views.js';
import { waitForRun } from '../waiting.js';
import { runForOrder } from './resolve.js';
import type { CommandOutcome } from './outcome.js';

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
  /** step 4's email to the supplier, once the payment is authorized */
  email: EmailDraft | null;
}

export async function runAuthorize(ctx: Context, options: { order: string; yes: boolean; watch: boolean }): Promise<CommandOutcome<AuthorizeResult>> {
  const ref = parseOrderRef(options.order);
  // an order already authorized (a fulfillment request recorded) needs no confirmation: nothing will be done;
  // nor does an abandoned test order: onboard refuses it below, once the portal is read
  const recorded = findTrackedRun(readState(ctx), ref);
  requireAuthorizeAnswer(ctx, { yes: options.yes, authorizes: !(recorded && (paymentAuthorized(recorded) || recorded.abandoned)) });
  const systems = await ctx.systems();
  if (!systems.channel || !systems.portal) {
    throw notConnected(ctx, { channel: !systems.channel, portal: !systems.portal }, ctx.commandLine('test-order', '--sandbox'));
  }
  const method = systems.portalControls ? 'api' : 'assisted';
  const { run: found } = await runForOrder(ctx, systems, ref, { record: true });
  const before = readRun(ctx, found.id) ?? null;
  let { run, evaluation } = await refreshRun(ctx, systems, found.id);
  const hadRequest = paymentAuthorized(run);
  const portalUrl = run.portal ? systems.portal.orderPageUrl(run.portal.id) : null;
  const clicks = run.portal ? authorizeClicks(systems, run.portal.id) : [];
  const build = (r: Run, e: Evaluation, exitCode: number): CommandOutcome<AuthorizeResult> => {
    announceCompletion(ctx, before, r, { email: true });
    return {
      result: {
        order: orderView(r),
        stage: e.stage,
        problem: e.problem,
        authorized: paymentAuthorized(r),
        alreadyAuthorized: hadRequest,
        method,
        evidence: {
          fulfillmentRequests: r.portal?.fulfillmentRequests ?? [],
          paymentStatus: r.portal?.paymentStatus ?? null,
          portalOrderId: r.portal?.id ?? null,
        },
        portalUrl: r.portal ? systems.portal!.orderPageUrl(r.portal.id) : portalUrl,
        clicks: method === 'assisted' ? (r.portal ? authorizeClicks(systems, r.portal.id) : clicks) : [],
        email: r.email,
      },
      exitCode,
    };
  };

  if (hadRequest) {
    ctx.reporter.success(
      `${run.order?.name} is already authorized (fulfillment request ${run.portal?.fulfillmentRequests.map((fr) => fr.number ?? fr.id).join(', ')}); nothing to do.`,
    );
    return build(run, evaluation, EXIT.ok);
  }
  // real money for an order the dealer walked away from: never paid silently
  if (run.abandoned) throw abandonedRefusal(ctx, run);
  if (!run.portal) {
    ctx.reporter.warn(`${run.order?.name} is not in the dealer portal yet, so there is nothing to authorize.`);
    return build(run, evaluation, evaluation.problem ? EXIT.attention : EXIT.pending);
  }

  const step = await authorizePayment(ctx, systems, run, { yes: options.yes });
  if (step === 'declined') return build(run, evaluation, EXIT.pending);
  if (step === 'clicked') ({ run, evaluation } = await refreshRun(ctx, systems, run.id));

  if (!paymentAuthorized(run) && options.watch && !evaluation.problem) {
    const deadline = ctx.timeoutMs === null ? null : systems.clock.now() + ctx.timeoutMs;
    const waited = await waitForRun(ctx, systems, run.id, {
      deadline,
      done: (_e, r) => paymentAuthorized(r),
      label: () => 'Waiting for the payment authorization to show in the portal',
    });
    ({ run, evaluation } = waited);
    ctx.reporter.stopWaiting();
  }
  if (paymentAuthorized(run)) {
    ctx.reporter.success(`Payment authorized: fulfillment request ${run.portal?.fulfillmentRequests.map((fr) => fr.number ?? fr.id).join(', ')}.`);
    return build(run, evaluation, EXIT.ok);
  }
  return build(run, evaluation, evaluation.problem ? EXIT.attention : EXIT.pending);
}
