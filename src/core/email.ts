// Step 4's email to the supplier: confirm they received the test order. Also the shipping-mapping request.
import type { Run } from './lifecycle/record.js';
import { formatMoney, loadMoney, parseMoney } from './money.js';

export interface EmailDraft {
  to: string | null;
  subject: string;
  body: string;
}

function totalText(run: Run): string {
  if (!run.order) return '';
  const total = run.portal?.orderTotal != null ? parseMoney(run.portal.orderTotal, run.order.currency) : loadMoney(run.order.total);
  return `${formatMoney(total)} ${run.order.currency}`;
}

export function confirmationEmail(run: Run, supplierEmail: string | null): EmailDraft | null {
  if (!run.order) return null;
  const portalId = run.portal?.id ?? '(not in the portal yet)';
  return {
    to: supplierEmail,
    subject: `Test order ${run.order.name} — please confirm receipt`,
    body: [
      'Hello,',
      '',
      `I have placed my first test order as a new dealer and would like to confirm you received it.`,
      '',
      `  Store order number: ${run.order.name}`,
      `  Dealer portal order: ${portalId}`,
      `  Order total: ${totalText(run)}`,
      '',
      'Could you confirm it reached you and will be fulfilled? Thank you.',
    ].join('\n'),
  };
}

export function shippingMappingEmail(run: Run, supplierEmail: string | null): EmailDraft | null {
  if (!run.order) return null;
  const title = run.order.shippingTitle ?? '(no shipping title on the order)';
  return {
    to: supplierEmail,
    subject: `Shipping method "${title}" needs a mapping (order ${run.order.name})`,
    body: [
      'Hello,',
      '',
      `My test order ${run.order.name} (dealer portal order ${run.portal?.id ?? 'n/a'}) shows "No Shipping Method".`,
      `My store sends the shipping method title "${title}". I have mapped it in Order Manager;`,
      'could you map it to one of your shipping methods on your side?',
      '',
      'Thank you.',
    ].join('\n'),
  };
}
