// Telling the person what happened to a run: test-order's step-by-step narration, and what the other commands
// say when the lifecycle completed something by itself (the supplier email, the report).
import type { Context, Systems } from './context.js';
import type { EmailDraft } from './email.js';
import { autoAuthorizeCovers, STEPS, type Evaluation } from './lifecycle/machine.js';
import type { Run } from './lifecycle/record.js';
import { formatMoney, loadMoney, parseMoney } from './money.js';
import { SYSTEM_LABELS } from './ports.js';
import { adviceView } from './views.js';
import { formatWhen } from './local-time.js';

/**
 * Tells the person what the lifecycle completed by itself during this command (`before` is the run as it was
 * stored when the command began): the supplier email once the payment is authorized, the report once the run
 * is finished. test-order narrates these as steps 4 and 6 instead.
 */
export function announceCompletion(ctx: Context, before: Run | null | undefined, after: Run, options: { email: boolean }): void {
  const name = after.order?.name ?? 'The test order';
  if (options.email && after.email && !before?.email) printEmail(ctx, after.email, 'Email the supplier to confirm they received it');
  if (after.report && !before?.report) {
    ctx.reporter.success(`${name} is through all six steps: orders import, are routed to the supplier, and tracking syncs back. You can start selling.`);
    ctx.reporter.info(`Report: ${after.report.markdown}`);
  }
}

/** An email draft as lines that copy clean (no indentation inside the body). */
export function printEmail(ctx: Context, email: EmailDraft, intro: string): void {
  ctx.reporter.info(
    `${intro}${email.to || ctx.sandbox ? '' : ` (add their address with ${ctx.commandLine('connect', 'flxpoint', '--supplier-email', 'ADDRESS')})`}:`,
  );
  ctx.reporter.email(email);
}

/** test-order's narration: prints each step once, a heading when it starts, a line of evidence when it is done. */
export function createStepNarrator(ctx: Context, systems: Systems) {
  const reporter = ctx.reporter;
  const headed = new Set<number>();
  const told = new Set<number>();
  const ensureHeading = (step: number) => {
    if (headed.has(step)) return;
    headed.add(step);
    reporter.stopWaiting();
    reporter.heading(step, STEPS[step - 1].name);
  };
  const when = (iso: string | undefined | null) => (iso ? formatWhen(Date.parse(iso)) : 'unknown time');
  const evidence = (step: number, run: Run): string[] => {
    const order = run.order;
    const channelName = order ? SYSTEM_LABELS[order.channel] : 'the store';
    switch (step) {
      case 1: {
        if (!order) return ['Order placed'];
        const lines = [
          `${order.name} on ${channelName}: ${formatMoney(loadMoney(order.total))} ${order.currency}, shipping "${order.shippingTitle ?? 'none'}", placed ${when(order.createdAt)}`,
        ];
        const rule = run.autoAuthorize;
        if (rule?.autoAuthorize && !run.portal) {
          const covers = autoAuthorizeCovers(run);
          lines.push(
            covers
              ? `Predicted from the store total: your auto-authorize setting (maximum ${rule.maxOrderTotal ?? 'none'}) will authorize it automatically.`
              : `Predicted from the store total: it is above your auto-authorize maximum ${rule.maxOrderTotal}, so you will authorize it yourself in step 4.`,
          );
        }
        return lines;
      }
      case 2:
        return [
          run.importStatus?.imported ? `Order Manager imported it at ${when(run.importStatus.importedAt)}` : 'Imported (inferred: the dealer portal has it)',
        ];
      case 3: {
        const covers = autoAuthorizeCovers(run);
        const rule = run.autoAuthorize;
        const total = run.portal?.orderTotal != null && order ? `${formatMoney(parseMoney(run.portal.orderTotal, order.currency))} ${order.currency}` : '?';
        const auto =
          !rule || !rule.autoAuthorize
            ? 'Auto-authorize is off: the payment needs your authorization in step 4.'
            : covers
              ? `Auto-authorize covers it (${total} is within the maximum ${rule.maxOrderTotal ?? '(none)'}).`
              : `Auto-authorize does not cover it (${total} is above the maximum ${rule.maxOrderTotal}).`;
        return [`Dealer portal order ${run.portal?.id}: status ${run.portal?.orderStatus}, total ${total}`, auto];
      }
      case 4: {
        const requests = (run.portal?.fulfillmentRequests ?? []).map((fr) => fr.number ?? fr.id).join(', ');
        return [
          run.authorizedByOnboardAt
            ? `Payment authorized; fulfillment request ${requests} went to the supplier`
            : `Authorized by the portal's auto-authorize; fulfillment request ${requests} went to the supplier`,
        ];
      }
      case 5: {
        const numbers = run.shipments.filter((s) => s.trackingNumber).map((s) => `${s.carrier ?? ''} ${s.trackingNumber}`.trim());
        return [`Shipped (${numbers.join(', ')}) and the tracking is on the store order`];
      }
      case 6: {
        const reached = run.stageReachedAt;
        const requests = (run.portal?.fulfillmentRequests ?? []).map((fr) => fr.number ?? fr.id).join(', ');
        const tracking = run.shipments.filter((s) => s.trackingNumber && !s.suppressed).map((s) => `${s.carrier ?? ''} ${s.trackingNumber}`.trim());
        return [
          `Orders import: ${order?.name} reached the dealer portal as order ${run.portal?.id} (${when(reached.in_portal)})`,
          `Orders are routed to the supplier: fulfillment request ${requests} (${when(reached.authorized)})`,
          `Tracking syncs back: ${tracking.join(', ')} is on ${order?.name} in ${channelName} (${when(reached.tracking_synced)})`,
          ...(run.report ? [`You can start selling. Report: ${run.report.markdown}`] : []),
        ];
      }
      default:
        return [];
    }
  };
  const warned = new Set<string>();
  const warnOnce = (text: string) => {
    if (warned.has(text)) return;
    warned.add(text);
    reporter.warn(text);
  };
  return {
    ensureHeading,
    warnOnce,
    /** the steps done since the last call, with their evidence; then, once, the advice for a problem */
    narrate(run: Run, evaluation: Evaluation, options: { advice?: boolean } = {}) {
      for (const view of evaluation.steps) {
        if ((view.status === 'done' || view.status === 'skipped') && !told.has(view.step)) {
          ensureHeading(view.step);
          told.add(view.step);
          const [first, ...rest] = evidence(view.step, run);
          reporter.success(view.status === 'skipped' ? `Skipped: ${first}` : first);
          for (const line of rest) (view.step === 6 ? reporter.success : reporter.info)(line);
          // the supplier email follows the authorization, however it happened
          if (view.step === 4 && run.email) printEmail(ctx, run.email, 'Email the supplier to confirm they received it');
        } else if ((view.status === 'waiting' || view.status === 'failed') && !headed.has(view.step)) {
          ensureHeading(view.step);
        }
      }
      if (evaluation.problem && options.advice !== false && !told.has(100)) {
        told.add(100);
        const advice = adviceView(run, evaluation, systems, ctx.commandLine);
        if (advice) {
          warnOnce(advice.what);
          reporter.info(advice.why);
          reporter.block(advice.fix.map((line, i) => `${i + 1}. ${line}`));
          if (advice.email) printEmail(ctx, advice.email, 'The email to the supplier');
        }
      }
    },
  };
}
