// People's words for the lifecycle's codes, shared by status, the report and the HTML page. Codes stay in JSON.
import type { Problem, Stage } from './lifecycle/record.js';

export const STAGE_WORDS: Record<Stage, string> = {
  placed: 'placed on the store',
  imported: 'imported by Order Manager',
  in_portal: 'in the dealer portal',
  authorized: 'payment authorized',
  shipped: 'shipped',
  tracking_synced: 'tracking on the store',
};

/** Short titles for the timeline's marks, in the order of the six stages. */
export const STAGE_TITLES: Record<Stage, string> = {
  placed: 'Placed',
  imported: 'Imported',
  in_portal: 'In the dealer portal',
  authorized: 'Authorized',
  shipped: 'Shipped',
  tracking_synced: 'Tracking on the store',
};

export const PROBLEM_WORDS: Record<Problem, string> = {
  canceled: 'the order was cancelled',
  order_failed: 'the order failed',
  payment_declined: 'the payment was declined',
  shipping_unmapped: 'the shipping method is not mapped',
  on_hold: 'the portal holds the order',
  address_incomplete: 'the address has no zip or phone',
  over_auto_authorize_limit: 'above the auto-authorize maximum',
  tracking_sync_failed: 'tracking did not reach the store',
  authorization_overdue: 'payment not authorized yet',
  import_overdue: 'not imported in time',
};

export const WAITING_WORDS: Record<string, string> = {
  order: 'the order to be placed',
  import: "Order Manager's import",
  authorization: 'the payment authorization',
  shipment: 'the supplier to ship',
  tracking_sync: 'tracking to reach the store',
  person: 'you',
};

export function stageWords(stage: string | null, problem: string | null, abandoned = false): string {
  const base = stage && stage !== 'needs_attention' ? (STAGE_WORDS[stage as Stage] ?? stage) : stage === null ? 'no order yet' : '';
  const attention = problem ? `needs attention: ${PROBLEM_WORDS[problem as Problem] ?? problem}` : null;
  if (abandoned) return `${(stage === 'needs_attention' ? attention : null) ?? (base || 'no order')} (abandoned)`;
  return attention ?? base;
}
