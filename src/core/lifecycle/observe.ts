// Applying what onboard read from the systems to a run, inside the profile lock. The run is re-read there,
// so two processes observing one order merge: snapshots keep the newest observation, stages never go back,
// and every change is appended to the run's events with its evidence.
import { storeMoney } from '../money.js';
import { SYSTEM_LABELS, type ChannelOrder, type ImportStatus, type PortalOrder, type PortalShipment } from '../ports.js';
import { advanceStage, evaluate, maxStage, stageIndex, type Evaluation, type JudgeContext } from './machine.js';
import { STAGES, type Run, type RunEvent } from './record.js';

export interface Observation {
  /** ISO time of the reading (virtual under --sandbox) */
  at: string;
  order?: ChannelOrder;
  importStatus?: ImportStatus;
  portal?: PortalOrder;
  portalCursor?: string | null;
  shipments?: PortalShipment[];
  autoAuthorize?: { autoAuthorize: boolean; maxOrderTotal: string | null; source: 'portal' | 'local' };
  forceSyncPressed?: boolean;
  authorizedByOnboard?: boolean;
  report?: { markdown: string; json: string };
}

function isNewer(at: string, observedAt: string | null | undefined): boolean {
  return !observedAt || Date.parse(at) >= Date.parse(observedAt);
}

export function applyObservation(run: Run, obs: Observation, judge: JudgeContext): Evaluation {
  const events: RunEvent[] = [];
  const note = (kind: string, message: string, evidence: Record<string, unknown> = {}) => events.push({ at: obs.at, kind, message, evidence });

  if (obs.order && isNewer(obs.at, run.order?.observedAt)) {
    const before = run.order;
    const o = obs.order;
    run.order = {
      channel: o.channel,
      id: o.id,
      number: o.number,
      name: o.name,
      createdAt: o.createdAt,
      total: storeMoney(o.total),
      currency: o.currency,
      shippingTitle: o.shippingTitle,
      ...(o.shippingSkipped ? { shippingSkipped: true } : {}),
      address: o.address,
      cancelled: o.cancelled,
      tracking: o.tracking,
      observedAt: obs.at,
    };
    if (!before) note('order_found', `Order ${o.name} found on ${SYSTEM_LABELS[o.channel]}`, { orderId: o.id, number: o.number, createdAt: o.createdAt });
    if (before && !before.cancelled && o.cancelled) note('order_cancelled', `Order ${o.name} was cancelled on the store`, { orderId: o.id });
    const known = new Set((before?.tracking ?? []).map((t) => t.number));
    for (const t of o.tracking.filter((t) => !known.has(t.number))) {
      note('tracking_on_channel', `Tracking ${t.number} is on the store order`, { trackingNumber: t.number, carrier: t.carrier });
    }
  }

  if (obs.importStatus && isNewer(obs.at, run.importStatus?.observedAt)) {
    const before = run.importStatus;
    run.importStatus = { ...obs.importStatus, observedAt: obs.at };
    if (obs.importStatus.imported && !before?.imported) {
      note('imported', 'Order Manager imported the order', { importedAt: obs.importStatus.importedAt });
    }
    if (obs.importStatus.heldReason && obs.importStatus.heldReason !== before?.heldReason) {
      note('held', `Order Manager holds the order: ${obs.importStatus.heldReason}`, { reason: obs.importStatus.heldReason });
    }
  }

  if (obs.portalCursor !== undefined) run.portalCursor = obs.portalCursor;

  if (obs.portal && isNewer(obs.at, run.portal?.observedAt)) {
    const before = run.portal;
    const p = obs.portal;
    run.portal = { ...p, firstSeenAt: before?.firstSeenAt ?? obs.at, observedAt: obs.at };
    if (!before) note('portal_found', `Portal order ${p.id} found (status ${p.orderStatus})`, { portalId: p.id, orderStatus: p.orderStatus });
    else if (before.orderStatus !== p.orderStatus) {
      note('portal_status', `Portal order status ${before.orderStatus} → ${p.orderStatus}`, { portalId: p.id, from: before.orderStatus, to: p.orderStatus });
    }
    if (before && before.paymentStatus !== p.paymentStatus && p.paymentStatus) {
      note('payment_status', `Payment ${p.paymentStatus}`, { portalId: p.id, paymentStatus: p.paymentStatus });
    }
    const knownRequests = new Set((before?.fulfillmentRequests ?? []).map((fr) => fr.id));
    for (const fr of p.fulfillmentRequests.filter((fr) => !knownRequests.has(fr.id))) {
      note('fulfillment_request', `Fulfillment request ${fr.number ?? fr.id} (${fr.status ?? 'no status'})`, {
        id: fr.id,
        number: fr.number,
        status: fr.status,
      });
    }
  }

  if (obs.shipments && isNewer(obs.at, run.shipmentsObservedAt)) {
    const known = new Map(run.shipments.map((s) => [s.id, s]));
    for (const s of obs.shipments) {
      const before = known.get(s.id);
      if (!before)
        note('shipment', `Shipped: ${s.carrier ?? 'carrier unknown'} ${s.trackingNumber ?? '(no tracking number)'}`, {
          shipmentId: s.id,
          trackingNumber: s.trackingNumber,
          carrier: s.carrier,
          shippedAt: s.shippedAt,
        });
      if (s.syncError && s.syncError !== before?.syncError)
        note('tracking_sync_error', `Tracking sync error: ${s.syncError}`, { shipmentId: s.id, syncError: s.syncError });
    }
    run.shipments = obs.shipments;
    run.shipmentsObservedAt = obs.at;
  }

  if (obs.autoAuthorize) run.autoAuthorize = obs.autoAuthorize;
  if (obs.forceSyncPressed && !run.forceSyncPressedAt) {
    run.forceSyncPressedAt = obs.at;
    note('order_sync', 'Order Sync pressed in Order Manager');
  }
  if (obs.authorizedByOnboard && !run.authorizedByOnboardAt) {
    run.authorizedByOnboardAt = obs.at;
    note('authorize', 'Payment authorized by onboard ("Authorize Order for Payment")', { portalId: run.portal?.id ?? null });
  }
  if (obs.report) run.report = obs.report;

  const previousStage = run.lastStage;
  run.lastStage = maxStage(run.lastStage, advanceStage(run));
  const evaluation = evaluate(run, judge);
  if (run.lastStage !== previousStage && run.lastStage) {
    // Every stage passed on the way was reached by this reading too (placed → in_portal passes imported).
    for (const stage of STAGES.slice(stageIndex(previousStage) + 1, stageIndex(run.lastStage) + 1)) run.stageReachedAt[stage] ??= obs.at;
    note('stage', `Stage ${run.lastStage}`, { from: previousStage, to: run.lastStage });
  }
  const previousProblems = new Set(run.problems);
  for (const p of evaluation.problems.filter((p) => !previousProblems.has(p))) note('problem', `Problem: ${p}`, { problem: p });
  for (const p of run.problems.filter((p) => !evaluation.problems.includes(p))) note('problem_cleared', `Cleared: ${p}`, { problem: p });
  run.problems = evaluation.problems;
  run.lastCheckedAt = obs.at;
  run.events.push(...events);
  return evaluation;
}
