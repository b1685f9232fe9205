// Reading one tracked order across the three systems and recording what was read. Every command that
// looks at an order (test-order, sync, authorize, track) goes through refreshRun.
import { randomUUID } from 'node:crypto';
import type { Context, Systems } from './context.js';
import { CancelledError, NotFoundError } from './errors.js';
import { normalizeOrderNumber, normalizeTrackingNumber, portalOrderMatches, type OrderRef } from './identity.js';
import { evaluate, portalTrackingNumbers, stageIndex, trackingOnChannel, type Evaluation } from './lifecycle/machine.js';
import { applyObservation, type Observation } from './lifecycle/observe.js';
import { type ProfileState, type Run } from './lifecycle/record.js';
import { formatMoney, loadMoney, parseMoney } from './money.js';
import { adviceFor, type Advice } from './advice.js';
import type { CommandLine } from './command-line.js';
import { confirmationEmail, shippingMappingEmail, type EmailDraft } from './email.js';
import { writeReport } from './report.js';

export { iso } from './clock.js';
import { iso } from './clock.js';
const DAY = 86_400_000;

export { readState, updateState } from './state.js';
import { readState, updateState } from './state.js';

export function runById(state: ProfileState, id: string): Run {
  const run = state.runs.find((r) => r.id === id);
  if (!run) throw new NotFoundError(`Run ${id} is no longer recorded`);
  return run;
}

export function isUnfinished(run: Run): boolean {
  return !run.abandoned && run.lastStage !== 'tracking_synced' && !run.problems.includes('canceled');
}

export function newRun(systems: Systems, ctx: Context, options: { authorizeWithinMs?: number }): Run {
  return {
    id: randomUUID(),
    startedAt: iso(systems.clock.now()),
    channel: systems.channel?.system ?? 'shopify',
    scenario: ctx.sandbox ? ctx.scenario : null,
    authorizeWithinMs: options.authorizeWithinMs ?? DAY,
    abandoned: false,
    order: null,
    importStatus: null,
    portal: null,
    portalCursor: null,
    shipments: [],
    shipmentsObservedAt: null,
    autoAuthorize: null,
    forceSyncPressedAt: null,
    placementClaimedAt: null,
    authorizedByOnboardAt: null,
    lastStage: null,
    stageReachedAt: {},
    problems: [],
    report: null,
    email: null,
    lastCheckedAt: null,
    events: [],
  };
}

/** Finds a tracked run by `1001`, `#1001` or `portal:ID` (newest first). */
export function findTrackedRun(state: ProfileState, ref: OrderRef): Run | undefined {
  const runs = [...state.runs].reverse();
  if (ref.kind === 'portal') return runs.find((r) => r.portal?.id === ref.portalId);
  return runs.find((r) => r.order && normalizeOrderNumber(r.order.number) === ref.number);
}

export function judgeContext(systems: Systems) {
  return { now: systems.clock.now(), planIntervalMs: systems.orderManager.intervalMs };
}

/** Reads everything the systems can tell about the run's order, then records it under the lock. */
export async function refreshRun(
  ctx: Context,
  systems: Systems,
  runId: string,
  options: { ignoreCache?: boolean } = {},
): Promise<{ run: Run; evaluation: Evaluation }> {
  const observation = await gatherObservation(ctx, systems, runById(readState(ctx), runId), options);
  return recordObservation(ctx, systems, runId, observation);
}

/** Applies a reading to a run that is shown but not tracked (nothing is stored). */
export async function refreshTransientRun(ctx: Context, systems: Systems, run: Run): Promise<{ run: Run; evaluation: Evaluation }> {
  const observation = await gatherObservation(ctx, systems, run, {});
  const copy = structuredClone(run);
  const evaluation = applyObservation(copy, observation, judgeContext(systems));
  return { run: copy, evaluation };
}

export async function gatherObservation(
  ctx: Context,
  systems: Systems,
  snapshot: Run,
  options: { ignoreCache?: boolean },
): Promise<Observation> {
  throwIfCancelled(ctx);
  const observation: Observation = { at: iso(systems.clock.now()) };
  const order = snapshot.order;
  if (order && systems.channel) observation.order = await systems.channel.getOrder(order.id);

  if (order && !snapshot.portal && systems.orderManager.importStatus) {
    observation.importStatus = await systems.orderManager.importStatus(order.id);
  }

  let portalId = snapshot.portal?.id ?? null;
  if (order && systems.portal) {
    if (!portalId) {
      const start = options.ignoreCache || !snapshot.portalCursor ? iso(Date.parse(order.createdAt) - DAY) : snapshot.portalCursor;
      const page = await systems.portal.listOrdersUpdatedSince(start);
      observation.portalCursor = page.cursor;
      portalId = page.orders.find((p) => portalOrderMatches(p, order))?.id ?? null;
    }
    if (portalId) {
      const portalOrder = await systems.portal.getOrder(portalId);
      observation.portal = portalOrder;
      const mayHaveShipments =
        portalOrder.fulfillmentRequests.length > 0 || (portalOrder.shippedStatus ?? 'Not Started') !== 'Not Started' || snapshot.shipments.length > 0;
      if (mayHaveShipments) observation.shipments = await systems.portal.listShipments(portalId);
    }
  }

  if (systems.portalControls) {
    const rule = portalId ? await systems.portalControls.settingsForOrder(portalId) : await systems.portalControls.getSettings();
    observation.autoAuthorize = { ...rule, source: 'portal' };
  } else {
    const { settings } = readState(ctx);
    observation.autoAuthorize = { ...settings, source: 'local' };
  }
  observation.at = iso(systems.clock.now());
  return observation;
}

export async function recordObservation(ctx: Context, systems: Systems, runId: string, observation: Observation) {
  return updateState(ctx, (state) => {
    const run = runById(state, runId);
    const evaluation = completeRun(ctx, systems, run, applyObservation(run, observation, judgeContext(systems)), observation.at);
    return { run: structuredClone(run), evaluation };
  });
}

/**
 * What the lifecycle does by itself once a stage is reached, whichever command saw it (inside the lock, so
 * once): the supplier email is drafted when the payment is authorized (by onboard, by hand or by
 * auto-authorize), and the run is finished when the tracking is on the store: step 6's report is written.
 */
function completeRun(ctx: Context, systems: Systems, run: Run, evaluation: Evaluation, at: string): Evaluation {
  let changed = false;
  if (!run.email && stageIndex(run.lastStage) >= stageIndex('authorized')) {
    run.email = confirmationEmail(run, systems.supplierEmail);
    if (run.email) run.events.push({ at, kind: 'email_drafted', message: `Email to the supplier drafted: ${run.email.subject}`, evidence: { to: run.email.to } });
    changed = true;
  }
  if (!run.report && run.lastStage === 'tracking_synced') {
    run.events.push({ at, kind: 'finished', message: 'The three confirmations hold: orders import, are routed to the supplier, and tracking syncs back', evidence: {} });
    run.report = writeReport(ctx, run, evaluation);
    changed = true;
  }
  if (!changed) return evaluation;
  const after = evaluate(run, judgeContext(systems));
  run.problems = after.problems;
  return after;
}

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
  ctx.reporter.info(`${intro}${email.to || ctx.sandbox ? '' : ` (add their address with ${ctx.commandLine('connect', 'flxpoint', '--supplier-email', 'ADDRESS')})`}:`);
  ctx.reporter.email(email);
}

export function throwIfCancelled(ctx: Context): void {
  if (ctx.signal.aborted) throw ctx.signal.reason instanceof CancelledError ? ctx.signal.reason : new CancelledError('SIGINT');
}

// ---- what commands show -------------------------------------------------------------------------

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
    .map((s) => ({ number: s.trackingNumber as string, carrier: s.carrier, url: s.trackingUrl, onChannel: trackingOnChannel(run, s.trackingNumber as string) }));
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
      shipments: run.shipments.map((s) => ({ id: s.id, trackingNumber: s.trackingNumber, carrier: s.carrier, shippedAt: s.shippedAt, syncError: s.syncError, suppressed: s.suppressed })),
      autoAuthorize: run.autoAuthorize,
      readAt: run.portal?.observedAt ?? null,
    },
  };
}

export function adviceView(run: Run, evaluation: Evaluation, systems: Systems | null, cmd: CommandLine): (Advice & { problem: string; email: EmailDraft | null }) | null {
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

export function evaluateNow(run: Run, systems: Systems): Evaluation {
  return evaluate(run, judgeContext(systems));
}

