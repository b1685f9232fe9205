// Plain words for every problem: what happened, why it usually happens, and what to do, naming the exact
// things to click or type.
import type { Problem, Run } from './lifecycle/record.js';
import type { CommandLine } from './command-line.js';
import { formatMoney, parseMoney } from './money.js';

export interface Advice {
  what: string;
  why: string;
  fix: string[];
}

export function shippingMappingSteps(title: string | null): string[] {
  const exact = title ? `"${title}"` : 'the shipping method title exactly as your store shows it on the order';
  return [
    'Open Inventory Source → Order Manager → Channels.',
    'Click the gear next to your store, then Shipping Mapping.',
    'Pick the supplier.',
    `Type the store's shipping title exactly: ${exact}.`,
    "Choose the supplier's carrier and method for it, click Add Mapping, then Update (nothing is saved until Update).",
  ];
}

/** `cmd` builds the commands to paste (same world, profile and launcher as this invocation). */
export function adviceFor(problem: Problem, run: Run, cmd: CommandLine): Advice {
  const number = run.order?.number ?? '<order>';
  const watch = cmd('track', number, '--watch');
  const title = run.order?.shippingTitle ?? null;
  const name = run.order?.name ?? 'the test order';
  const portalStatus = run.portal?.orderStatus ?? 'unknown';
  switch (problem) {
    case 'canceled':
      return {
        what: `${name} was cancelled${run.portal?.orderStatus === 'Canceled' ? ' in the dealer portal' : ' on the store'}.`,
        why: 'A cancelled order goes no further, so it cannot confirm the flow.',
        fix: [`Place a new low-dollar test order and start again: ${cmd('test-order', '--restart')}`],
      };
    case 'order_failed': {
      const failedRequest = run.portal?.fulfillmentRequests.find((fr) => fr.status && fr.status !== 'Processed' && fr.status !== 'Acknowledged');
      return {
        what: failedRequest
          ? `The supplier's fulfillment request ${failedRequest.number ?? failedRequest.id} is "${failedRequest.status}".`
          : `The dealer portal shows the order as "${portalStatus}".`,
        why: 'The portal or the supplier could not process the order, usually because of a product that is not linked, a rejected address, or a PO number the supplier does not accept.',
        fix: [
          'Open the order in the dealer portal (Orders → the order) and read its message.',
          `Correct what it names, then run: ${watch}`,
          `Still stuck? Send the onboarding team a support bundle: ${cmd('doctor', '--bundle', 'onboard-support.json')}`,
        ],
      };
    }
    case 'payment_declined':
      return {
        what: 'The payment authorization for the order was declined.',
        why: 'The card or bank account saved in the dealer portal was refused (expired card, limit, or a bank block).',
        fix: [
          'In the dealer portal, update the payment method (credit/debit card or ACH).',
          `Then click "Authorize Order for Payment" on the order again, and run: ${watch}`,
        ],
      };
    case 'shipping_unmapped':
      if (run.order?.shippingSkipped) {
        return {
          what: `The dealer portal shows the order as "No Shipping Method": ${name} has none, because the store's checkout let the customer skip shipping.`,
          why: 'Order Manager and the supplier route on the shipping method; an order placed without one has no title to map and cannot be routed.',
          fix: [
            'Set up shipping on the store so that checkout asks for a method for this address (a shipping zone covering it, with at least one method).',
            `Then place a new test order with a shipping method chosen at checkout: ${cmd('test-order', '--restart')}`,
          ],
        };
      }
      return {
        what: `The dealer portal shows the order as "No Shipping Method": the store's shipping title ${title ? `"${title}"` : ''} has no mapping.`,
        why: 'Order Manager and the supplier route on the exact shipping title text; an unmapped title stops the order.',
        fix: [
          ...shippingMappingSteps(title),
          `Then ask the supplier to map "${title ?? 'that shipping method'}" on their side: onboard drafted the email below.`,
          `Once both are mapped, run: ${watch} (onboard looks afresh and goes on from step 2).`,
        ],
      };
    case 'on_hold':
      return {
        what: 'The dealer portal has put the order On Hold.',
        why: 'Routing could not place the order as one fulfillment request (for example an item out of stock or no supplier covering the address).',
        fix: ['Open the order in the dealer portal and read the hold reason.', 'Ask the supplier to release or re-route it.'],
      };
    case 'address_incomplete': {
      const missing = [!run.order?.address.hasZip && 'zip/postal code', !run.order?.address.hasPhone && 'phone number'].filter(Boolean).join(' and ');
      return {
        what: `The order's shipping address has no ${missing || 'complete address'}.`,
        why: 'Order Manager will not send an order without them; it shows a red RESOLVE on the order.',
        fix: [
          `In Inventory Source → Order Manager, open ${name}, click the red RESOLVE and add the ${missing || 'missing details'}.`,
          'Make the phone (and zip) fields required at checkout so live orders always carry them.',
          `Then press "Order Sync" in Order Manager and run: ${watch} (onboard looks afresh and goes on from step 2).`,
        ],
      };
    }
    case 'over_auto_authorize_limit': {
      const currency = run.order?.currency ?? 'USD';
      const total = run.portal?.orderTotal ?? run.order?.total.amount ?? null;
      const max = run.autoAuthorize?.maxOrderTotal ?? null;
      const show = (v: string | null) => (v === null ? '?' : formatMoney(parseMoney(v, currency)));
      return {
        what: `The order total ${show(total)} is above your auto-authorize maximum ${show(max)}, so the portal will not authorize it automatically.`,
        why: '"Only Auto Authorize Up to a Maximum Order Total" leaves larger orders for you to authorize by hand.',
        fix: [
          `Authorize it yourself: ${cmd('authorize', number, '--yes')} (or "Authorize Order for Payment" on the order in the dealer portal).`,
          // the portal applies auto-authorize when it receives an order, never later: a new maximum cannot cover this one
          `To have later orders like it authorized automatically, raise the maximum (it does not cover this order, which the portal has already received): ${cmd('settings', '--auto-authorize', '--max', show(total))}`,
        ],
      };
    }
    case 'tracking_sync_failed': {
      const error = run.shipments.find((s) => s.syncError)?.syncError ?? '';
      return {
        what: `The supplier shipped, but the tracking could not be sent to your store: ${error}`,
        why: 'The store refused the fulfillment, usually because the order was fulfilled or closed by hand on the store, or the store connection lost its fulfillment permission.',
        fix: [
          'Do not fulfil the order by hand on the store; let the tracking sync.',
          'In Inventory Source, check the store connection (Channels) and reconnect it if it asks.',
          `Then run: ${watch}`,
        ],
      };
    }
    case 'authorization_overdue':
      return {
        what: 'The order has been in the dealer portal without a payment authorization for longer than expected.',
        why: 'Orders are routed to the supplier only after "Authorize Order for Payment" (or an auto-authorize rule that covers the total).',
        fix: ['Dealer portal → Orders → the order → "Authorize Order for Payment".', `Then run: ${cmd('authorize', number, '--watch')}`],
      };
    case 'import_overdue':
      return {
        what: `The order has not reached the dealer portal two import intervals after it was placed.`,
        why: 'On the first order this is almost always an unmapped shipping method (a red RESOLVE in Order Manager), or an address without zip or phone.',
        fix: [
          'In Inventory Source → Order Manager, look for a red RESOLVE on the order.',
          ...shippingMappingSteps(title),
          "Check the order's zip and phone.",
          `Press "Order Sync" in Order Manager, then run: ${cmd('sync', '--force')}`,
        ],
      };
  }
}
