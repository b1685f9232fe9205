// Reading one run's order across the three systems and recording what was read. Every command that looks at
// an order (test-order, sync, authorize, track) goes through refreshRun; what the lifecycle completes by itself
// on a reading (the supplier email, the report) is done here, under the lock, once.
import { iso } from './clock.js';
import type { Context, Systems } from './context.js';
import { throwIfCancelled } from './errors.js';
import { portalOrderMatches } from './identity.js';
import { evaluate, stageIndex, type Evaluation } from './lifecycle/machine.js';
import { applyObservation, type Observation } from './lifecycle/observe.js';
import type { Run } from './lifecycle/record.js';
import { confirmationEmail } from './email.js';
import { writeReport } from './report.js';
import { runById } from './runs.js';
import { readState, updateState } from './state.js';

const DAY = 86_400_000;

/** What the lifecycle judges a run against: the systems' clock and the Order Manager plan's import interval. */
export function judgeContext(systems: Systems) {
  return { now: systems.clock.now(), planIntervalMs: systems.orderManager.intervalMs };
}

/** The run judged now, from what is recorded (nothing is read). */
export function evaluateNow(run: Run, systems: Systems): Evaluation {
  return evaluate(run, judgeContext(systems));
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

async function gatherObservation(ctx: Context, systems: Systems, snapshot: Run, options: { ignoreCache?: boolean }): Promise<Observation> {
  throwIfCancelled(ctx.signal);
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

/** Records a reading (or an action's record, such as a pressed Order Sync) on the run, under the lock. */
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
    if (run.email)
      run.events.push({ at, kind: 'email_drafted', message: `Email to the supplier drafted: ${run.email.subject}`, evidence: { to: run.email.to } });
    changed = true;
  }
  if (!run.report && run.lastStage === 'tracking_synced') {
    run.events.push({
      at,
      kind: 'finished',
      message: 'The three confirmations hold: orders import, are routed to the supplier, and tracking syncs back',
      evidence: {},
    });
    run.report = writeReport(ctx, run, evaluation);
    changed = true;
  }
  if (!changed) return evaluation;
  const after = evaluate(run, judgeContext(systems));
  run.problems = after.problems;
  return after;
}
