// Step 4's action, one flow for `test-order` and `authorize`: where the portal can be driven, the one question
// (money, so it defaults to No; --yes answers it where the caller lets it), the click, and its record; where it
// cannot (Flxpoint publishes no endpoint), the exact clicks for the dealer portal. Never authorizes twice: a
// fulfillment request on the order is the evidence that payment was authorized.
import { iso } from './clock.js';
import type { Context, Systems } from './context.js';
import { InputRequiredError } from './errors.js';
import { judgedTotal } from './lifecycle/machine.js';
import type { Run } from './lifecycle/record.js';
import { formatMoney } from './money.js';
import { recordObservation } from './observe-systems.js';

/**
 * Validate, then act: without a terminal, an invocation that may ask the authorize question needs --yes, and is
 * exit 2 before anything is read or changed. Only the sandbox's portal can be driven; against Flxpoint onboard
 * shows the clicks and asks nothing. `authorizes`: whether this invocation may authorize at all.
 */
export function requireAuthorizeAnswer(ctx: Context, options: { yes: boolean; authorizes: boolean; hint?: string }): void {
  if (ctx.interactive || options.yes || !ctx.sandbox || !options.authorizes) return;
  throw new InputRequiredError('Authorizing payment needs a confirmation', ['--yes'], { hint: options.hint });
}

/**
 * What the flow did: `already`, the order carries a fulfillment request (nothing asked, nothing clicked);
 * `clicked`, onboard clicked "Authorize Order for Payment" (or found the portal had it authorized) and
 * recorded it; `declined`, "no" was answered; `assisted`, the portal cannot be driven and the clicks were shown.
 */
export type AuthorizeStep = 'already' | 'clicked' | 'declined' | 'assisted';

/**
 * Authorizes the payment for a run whose order is in the dealer portal. `yes` answers the question: the
 * caller decides whether --yes may (the wizard's never covers an order above the auto-authorize maximum;
 * `authorize <order> --yes` does).
 */
export async function authorizePayment(ctx: Context, systems: Systems, run: Run, options: { yes: boolean }): Promise<AuthorizeStep> {
  const portalOrder = run.portal;
  if (!portalOrder) throw new Error('authorizePayment needs the order in the dealer portal');
  if (paymentAuthorized(run)) return 'already';
  if (!systems.portalControls) {
    ctx.reporter.info('Flxpoint publishes no API to authorize payment; do it in the dealer portal:');
    ctx.reporter.block(authorizeClicks(systems, portalOrder.id));
    ctx.reporter.info('onboard then verifies it through the API (a fulfillment request appears once payment is authorized).');
    return 'assisted';
  }
  const amount = authorizeAmount(run);
  const approved =
    options.yes || (await ctx.prompter.confirm({ message: `Authorize ${amount} for ${run.order?.name ?? 'the order'} now?`, default: false, flag: '--yes' }));
  if (!approved) {
    ctx.reporter.warn(`Not authorized. When you are ready: ${ctx.commandLine('authorize', run.order?.number ?? '<order>')}`);
    return 'declined';
  }
  const outcome = await systems.portalControls.authorize(portalOrder.id);
  await recordObservation(ctx, systems, run.id, { at: iso(systems.clock.now()), authorizedByOnboard: !outcome.alreadyAuthorized });
  ctx.reporter.success(outcome.alreadyAuthorized ? 'The portal already had the payment authorized.' : `Clicked "Authorize Order for Payment" for ${amount}.`);
  return 'clicked';
}

/** The evidence that payment was authorized: a fulfillment request on the portal order. */
export function paymentAuthorized(run: Run): boolean {
  return (run.portal?.fulfillmentRequests.length ?? 0) > 0;
}

/** The dealer portal clicks that authorize the payment for one portal order. */
export function authorizeClicks(systems: Systems, portalId: string): string[] {
  const page = systems.portal?.orderPageUrl(portalId) ?? null;
  return [
    ...(page ? [`Open ${page}`] : []),
    'Click Orders at the top of the dealer portal, then click the order ' + portalId + '.',
    'Click "Authorize Order for Payment".',
  ];
}

/** What an authorization will charge, in people's words: the portal's total when it has the order. */
function authorizeAmount(run: Run): string {
  const total = judgedTotal(run);
  return total ? `${formatMoney(total.total)} ${total.total.currency}` : 'the order total';
}
