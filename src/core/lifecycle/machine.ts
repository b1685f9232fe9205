// The order lifecycle of spec §4 as an explicit state machine. Stages only move forward, one guarded
// transition at a time; problems are judged from the current evidence and hold only below the stage they block.
import { normalizeTrackingNumber } from '../identity.js';
import { compareMoney, loadMoney, parseMoney, type Money } from '../money.js';
import { PROBLEMS, STAGES, type Problem, type Run, type Stage } from './record.js';

export function stageIndex(stage: Stage | null): number {
  return stage === null ? -1 : STAGES.indexOf(stage);
}

export function isBelow(stage: Stage | null, target: Stage): boolean {
  return stageIndex(stage) < stageIndex(target);
}

export function maxStage(a: Stage | null, b: Stage | null): Stage | null {
  return stageIndex(a) >= stageIndex(b) ? a : b;
}

const SHIPPED_STATUSES = new Set(['Partially Completed', 'Completed']);
const FAILED_ORDER_STATUSES = new Set(['Failed', 'Not Managed']);
const FAILED_FR_STATUSES = new Set(['Failed', 'Processing Error', 'Voided', 'Additional Info Required', 'PO/FR # Exceeds Max Length', 'Duplicate PO/FR #']);

/** The tracking numbers the portal shipped that must reach the store (non-suppressed). */
export function portalTrackingNumbers(run: Run): string[] {
  return run.shipments.filter((s) => !s.suppressed && s.trackingNumber).map((s) => s.trackingNumber as string);
}

export function trackingOnChannel(run: Run, trackingNumber: string): boolean {
  const wanted = normalizeTrackingNumber(trackingNumber);
  return (run.order?.tracking ?? []).some((t) => normalizeTrackingNumber(t.number) === wanted);
}

/** Guards of each forward transition: the evidence table of spec §4. */
const TRANSITIONS: Record<Stage, (run: Run) => boolean> = {
  placed: (run) => run.order !== null,
  imported: (run) => run.importStatus?.imported === true || run.portal !== null,
  in_portal: (run) => run.portal !== null,
  authorized: (run) => (run.portal?.fulfillmentRequests.length ?? 0) > 0,
  shipped: (run) => run.shipments.some((s) => s.trackingNumber) || SHIPPED_STATUSES.has(run.portal?.shippedStatus ?? ''),
  tracking_synced: (run) => {
    const numbers = portalTrackingNumbers(run);
    return numbers.length > 0 && numbers.every((n) => trackingOnChannel(run, n));
  },
};

/** Applies every transition whose guard holds, in order, from `lastStage`. Never goes backwards. */
export function advanceStage(run: Run): Stage | null {
  let stage = run.lastStage;
  for (const next of STAGES.slice(stageIndex(stage) + 1)) {
    if (!TRANSITIONS[next](run)) break;
    stage = next;
  }
  return stage;
}

export interface JudgeContext {
  now: number;
  planIntervalMs: number;
}

/** The total the auto-authorize rule is judged on: the portal's when the order is there, else the channel's (predicted). */
export function judgedTotal(run: Run): { total: Money; predicted: boolean } | null {
  if (!run.order) return null;
  const currency = run.order.currency;
  if (run.portal?.orderTotal != null) return { total: parseMoney(run.portal.orderTotal, currency), predicted: false };
  return { total: loadMoney(run.order.total), predicted: true };
}

/** Does the auto-authorize rule cover this order? null when no rule is known. */
export function autoAuthorizeCovers(run: Run): boolean | null {
  const rule = run.autoAuthorize;
  const judged = judgedTotal(run);
  if (!rule || !judged) return null;
  if (!rule.autoAuthorize) return false;
  if (rule.maxOrderTotal === null) return true;
  return compareMoney(judged.total, parseMoney(rule.maxOrderTotal, judged.total.currency)) <= 0;
}

/** Every problem whose cause shows now, in precedence order. */
export function judgeProblems(run: Run, lastStage: Stage | null, context: JudgeContext): Problem[] {
  const holding = new Set<Problem>();
  const order = run.order;
  const portal = run.portal;
  const hasRequest = (portal?.fulfillmentRequests.length ?? 0) > 0;

  if (order?.cancelled || portal?.orderStatus === 'Canceled') holding.add('canceled');
  if (FAILED_ORDER_STATUSES.has(portal?.orderStatus ?? '')) holding.add('order_failed');
  if (portal?.fulfillmentRequests.some((fr) => FAILED_FR_STATUSES.has(fr.status ?? ''))) holding.add('order_failed');
  if (portal?.paymentStatus === 'Declined' && isBelow(lastStage, 'authorized')) holding.add('payment_declined');
  if (portal?.orderStatus === 'No Shipping Method') holding.add('shipping_unmapped');
  if (portal?.orderStatus === 'On Hold') holding.add('on_hold');
  if (order && isBelow(lastStage, 'in_portal') && !(order.address.hasZip && order.address.hasPhone)) {
    holding.add('address_incomplete');
  }
  // Judged on the portal's total once the order is there; before that the prediction is shown, not held
  // (nobody can authorize an order the portal does not have yet).
  if (
    portal &&
    !hasRequest &&
    isBelow(lastStage, 'authorized') &&
    autoAuthorizeCovers(run) === false &&
    run.autoAuthorize?.autoAuthorize &&
    run.autoAuthorize.maxOrderTotal !== null
  ) {
    holding.add('over_auto_authorize_limit');
  }
  if (run.shipments.some((s) => s.syncError) && isBelow(lastStage, 'tracking_synced')) holding.add('tracking_sync_failed');
  if (portal && !hasRequest && isBelow(lastStage, 'authorized')) {
    const since = Date.parse(portal.insertedAt ?? portal.firstSeenAt);
    if (context.now - since > run.authorizeWithinMs) holding.add('authorization_overdue');
  }
  if (order && !portal && isBelow(lastStage, 'in_portal')) {
    if (context.now - Date.parse(order.createdAt) > 2 * context.planIntervalMs) holding.add('import_overdue');
  }
  return PROBLEMS.filter((p) => holding.has(p));
}

export type StepStatus = 'done' | 'skipped' | 'waiting' | 'pending' | 'failed';
export const STEPS = [
  { step: 1, key: 'place', name: 'Place the order' },
  { step: 2, key: 'import', name: 'Confirm import' },
  { step: 3, key: 'portal', name: 'Find it in the dealer portal' },
  { step: 4, key: 'authorize', name: 'Authorize payment' },
  { step: 5, key: 'tracking', name: 'Monitor for tracking' },
  { step: 6, key: 'live', name: 'Start selling' },
] as const;

/** How many steps a stage completes: shipped completes nothing new (step 5 ends when tracking is on the store). */
const STEPS_DONE_AT: Record<Stage, number> = {
  placed: 1,
  imported: 2,
  in_portal: 3,
  authorized: 4,
  shipped: 4,
  tracking_synced: 5,
};

export function problemStep(problem: Problem, run: Run): number | null {
  switch (problem) {
    case 'address_incomplete':
      return 1;
    case 'import_overdue':
    case 'shipping_unmapped':
      return 2;
    case 'on_hold':
      return 3;
    case 'order_failed':
      return FAILED_ORDER_STATUSES.has(run.portal?.orderStatus ?? '') ? 3 : 5;
    case 'over_auto_authorize_limit':
    case 'authorization_overdue':
    case 'payment_declined':
      return 4;
    case 'tracking_sync_failed':
      return 5;
    case 'canceled':
      return null;
  }
}

export interface StepView {
  step: number;
  key: string;
  name: string;
  status: StepStatus;
}

export function stepViews(run: Run, lastStage: Stage | null, problem: Problem | null): StepView[] {
  const done = lastStage ? STEPS_DONE_AT[lastStage] : 0;
  const next = lastStage === 'tracking_synced' && run.report ? 7 : done + 1;
  const failedStep = problem ? (problemStep(problem, run) ?? next) : null;
  const skippedAuthorize = !run.authorizedByOnboardAt && done >= 4 && run.autoAuthorize !== null && autoAuthorizeCovers(run) === true;
  return STEPS.map(({ step, key, name }) => {
    let status: StepStatus;
    if (step === failedStep) status = 'failed';
    // a failed step holds back the steps after it: they are not done while it fails (the stage never goes back)
    else if (failedStep !== null && step > failedStep) status = 'pending';
    else if (step <= done || (step === 6 && run.report)) status = step === 4 && skippedAuthorize ? 'skipped' : 'done';
    else if (step === next && failedStep === null) status = 'waiting';
    else status = 'pending';
    return { step, key, name, status };
  });
}

export type WaitingFor = 'order' | 'import' | 'authorization' | 'shipment' | 'tracking_sync' | 'person' | null;

export interface Evaluation {
  lastStage: Stage | null;
  stage: Stage | 'needs_attention' | null;
  problem: Problem | null;
  problems: Problem[];
  steps: StepView[];
  waitingFor: WaitingFor;
  finished: boolean;
  confirmed: { imported: boolean; routed: boolean; trackingSynced: boolean };
}

export function evaluate(run: Run, context: JudgeContext): Evaluation {
  const lastStage = advanceStage(run);
  const problems = judgeProblems(run, lastStage, context);
  const waitingFor: WaitingFor =
    problems.length > 0
      ? 'person'
      : lastStage === null
        ? 'order'
        : (
            {
              placed: 'import',
              imported: 'import',
              in_portal: 'authorization',
              authorized: 'shipment',
              shipped: 'tracking_sync',
              tracking_synced: null,
            } as const
          )[lastStage];
  return evaluationOf(run, lastStage, problems, waitingFor);
}

/**
 * The run as its record holds it, without judging the systems again (what the report shows of a stored run).
 * Nothing is waited for: the record is not a live reading.
 */
export function recordedEvaluation(run: Run): Evaluation {
  return evaluationOf(run, run.lastStage, run.problems, null);
}

/** An evaluation from a stage and the problems that hold: one shape for the live judgement and the recorded one. */
function evaluationOf(run: Run, lastStage: Stage | null, problems: Problem[], waitingFor: WaitingFor): Evaluation {
  const problem = problems[0] ?? null;
  const steps = stepViews(run, lastStage, problem);
  return {
    lastStage,
    stage: problem ? 'needs_attention' : lastStage,
    problem,
    problems,
    steps,
    waitingFor,
    finished: lastStage === 'tracking_synced' || problems.includes('canceled'),
    confirmed: confirmationsOf(run, lastStage, steps),
  };
}

/** The three things a test order proves. */
function confirmationsOf(run: Run, lastStage: Stage | null, steps: StepView[]): Evaluation['confirmed'] {
  return {
    // confirmed only while step 2 agrees (an order in the portal with "No Shipping Method" did not import properly)
    imported: steps[1]?.status === 'done',
    routed: (run.portal?.fulfillmentRequests.length ?? 0) > 0,
    trackingSynced: lastStage === 'tracking_synced',
  };
}
