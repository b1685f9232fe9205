// What commands show of a run: the order, its tracking, each system's side, the advice for a problem, and the
// order-shaped result test-order and track print (spec §6 JSON keys). Pure: nothing is read or written.
import { adviceFor, type Advice } from './advice.js';
import { iso } from './clock.js';
import type { CommandLine } from './command-line.js';
import type { Systems } from './context.js';
import { shippingMappingEmail, type EmailDraft } from './email.js';
import { normalizeTrackingNumber } from './identity.js';
import { portalTrackingNumbers, trackingOnChannel, type Evaluation } from './lifecycle/machine.js';
import type { Run } from './lifecycle/record.js';
import { formatMoney, loadMoney, parseMoney } from './money.js';

export interface OrderView {
  channel: string;
  number: string;
  name: string;
  id: string;
  portalId: string | null;
  total: string;
  currency: string;
  shippingTitle: string | null;
  createdAt: string;
}

export function orderView(run: Run): OrderView | null {
  if (!run.order) return null;
  return {
    channel: run.order.channel,
    number: run.order.number,
    name: run.order.name,
    id: run.order.id,
    portalId: run.portal?.id ?? null,
    total: formatMoney(loadMoney(run.order.total)),
    currency: run.order.currency,
    shippingTitle: run.order.shippingTitle,
    createdAt: run.order.createdAt,
  };
}

export function trackingView(run: Run) {
  const fromPortal = run.shipments
    .filter((s) => s.trackingNumber && !s.suppressed)
    .map((s) => ({
      number: s.trackingNumber as string,
      carrier: s.carrier,
      url: s.trackingUrl,
      onChannel: trackingOnChannel(run, s.trackingNumber as string),
    }));
  const portalNumbers = new Set(portalTrackingNumbers(run).map(normalizeTrackingNumber));
  const channelOnly = (run.order?.tracking ?? [])
    .filter((t) => !portalNumbers.has(normalizeTrackingNumber(t.number)))
    .map((t) => ({ number: t.number, carrier: t.carrier, url: t.url, onChannel: true }));
  return [...fromPortal, ...channelOnly];
}

export function systemsView(run: Run, systems: Systems | null) {
  return {
    channel: {
      connected: Boolean(systems?.channel) || run.order !== null,
      system: run.order?.channel ?? systems?.channel?.system ?? null,
      orderId: run.order?.id ?? null,
      cancelled: run.order?.cancelled ?? null,
      trackingNumbers: (run.order?.tracking ?? []).map((t) => t.number),
      readAt: run.order?.observedAt ?? null,
    },
    orderManager: {
      connected: Boolean(systems),
      system: 'inventory-source',
      plan: systems?.orderManager.plan ?? null,
      planAssumed: systems?.orderManager.planAssumed ?? null,
      importIntervalMinutes: systems ? systems.orderManager.intervalMs / 60_000 : null,
      imported: run.importStatus?.imported ?? (run.portal ? true : null),
      importInferred: !run.importStatus && run.portal !== null,
      heldReason: run.importStatus?.heldReason ?? null,
      importDueAt: run.order && systems ? iso(Date.parse(run.order.createdAt) + systems.orderManager.intervalMs) : null,
    },
    portal: {
      connected: Boolean(systems?.portal) || run.portal !== null,
      system: 'flxpoint',
      orderId: run.portal?.id ?? null,
      orderStatus: run.portal?.orderStatus ?? null,
      shippedStatus: run.portal?.shippedStatus ?? null,
      paymentStatus: run.portal?.paymentStatus ?? null,
      orderTotal: run.portal?.orderTotal != null && run.order ? formatMoney(parseMoney(run.portal.orderTotal, run.order.currency)) : null,
      fulfillmentRequests: run.portal?.fulfillmentRequests ?? [],
      shipments: run.shipments.map((s) => ({
        id: s.id,
        trackingNumber: s.trackingNumber,
        carrier: s.carrier,
        shippedAt: s.shippedAt,
        syncError: s.syncError,
        suppressed: s.suppressed,
      })),
      autoAuthorize: run.autoAuthorize,
      readAt: run.portal?.observedAt ?? null,
    },
  };
}

export function adviceView(
  run: Run,
  evaluation: Evaluation,
  systems: Systems | null,
  cmd: CommandLine,
): (Advice & { problem: string; email: EmailDraft | null }) | null {
  if (!evaluation.problem) return null;
  // the shipping-mapping advice promises a drafted email to the supplier: it travels with the advice
  const email = evaluation.problem === 'shipping_unmapped' && !run.order?.shippingSkipped ? shippingMappingEmail(run, systems?.supplierEmail ?? null) : null;
  return { problem: evaluation.problem, ...adviceFor(evaluation.problem, run, cmd), email };
}

/** The order-shaped result shared by test-order and track (spec §6 JSON keys). */
export function orderResult(run: Run, evaluation: Evaluation, systems: Systems | null, cmd: CommandLine) {
  return {
    order: orderView(run),
    stage: evaluation.stage,
    lastStage: evaluation.lastStage,
    problem: evaluation.problem,
    problems: evaluation.problems,
    advice: adviceView(run, evaluation, systems, cmd),
    steps: evaluation.steps,
    tracking: trackingView(run),
    confirmed: evaluation.confirmed,
    systems: systemsView(run, systems),
    waitingFor: evaluation.waitingFor,
    runId: run.id,
    scenario: run.scenario,
    /** step 4's email to the supplier: null until the payment is authorized */
    email: run.email,
    /** step 6's report (Markdown and JSON paths): null until the run is finished */
    report: run.report,
  };
}
