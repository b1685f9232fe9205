// Human renderings of each command's result object (stdout). The JSON form is the object itself.
import type { CommandLine } from '../core/command-line.js';
import { PLAN_INTERVAL_MS, SYSTEM_LABELS, type Plan, type SystemName } from '../core/ports.js';
import type { ConnectResult, DisconnectResult } from '../core/services/connect.js';
import type { DoctorResult } from '../core/services/doctor.js';
import type { OrdersResult } from '../core/services/orders.js';
import { localTime } from '../core/local-time.js';
import { stageWords } from '../core/words.js';
import type { Style } from './style.js';

interface StepLike {
  step: number;
  name: string;
  status: string;
}
interface OrderLike {
  order: { name: string; total: string; currency: string; channel: string; portalId: string | null } | null;
  stage: string | null;
  problem: string | null;
  /** track: the test order was abandoned */
  abandoned?: boolean;
  advice?: { what: string; why: string; fix: string[]; email?: { to: string | null; subject: string; body: string } | null } | null;
  steps: StepLike[];
  tracking: { number: string; carrier: string | null; onChannel: boolean }[];
  confirmed: { imported: boolean; routed: boolean; trackingSynced: boolean };
  systems?: { portal: { connected: boolean } };
  report?: { markdown: string; json: string } | null;
  email?: { to: string | null; subject: string; body: string } | null;
}

const ICON: Record<string, (s: Style) => string> = {
  done: (s) => s.green('✔'),
  skipped: (s) => s.green('↷'),
  waiting: (s) => s.yellow('…'),
  failed: (s) => s.red('✖'),
  pending: (s) => s.dim('·'),
};

export function renderOrder(result: OrderLike, s: Style, commandLine: CommandLine = (...words) => ['onboard', ...words].join(' ')): string {
  const lines: string[] = [];
  const title = result.order
    ? `${result.order.name} · ${result.order.total} ${result.order.currency} · ${SYSTEM_LABELS[result.order.channel as SystemName] ?? result.order.channel}`
    : 'No order yet';
  // people's words for the stage (the codes are in --json)
  const words = stageWords(result.stage, result.problem, result.abandoned === true);
  const stage = result.abandoned ? s.dim(words) : result.problem ? s.red(words) : result.stage === 'tracking_synced' ? s.green(words) : words;
  lines.push(`${s.bold(title)}  ${stage}`);
  for (const step of result.steps)
    lines.push(
      `  ${(ICON[step.status] ?? ICON.pending)(s)} ${step.step} ${step.name}${step.status === 'waiting' ? s.dim(' (waiting)') : step.status === 'skipped' ? s.dim(' (auto-authorized)') : ''}`,
    );
  if (result.tracking.length > 0) {
    lines.push('Tracking:');
    for (const t of result.tracking)
      lines.push(`  ${t.carrier ?? ''} ${t.number}  ${t.onChannel ? s.green('on the store') : s.yellow('not on the store yet')}`.replace('   ', '  '));
  }
  if (result.systems && !result.systems.portal.connected)
    lines.push(s.dim(`The dealer portal is not connected: only the store side is shown (${commandLine('connect', 'flxpoint')}).`));
  const c = result.confirmed;
  const mark = (v: boolean) => (v ? s.green('yes') : s.dim('not yet'));
  lines.push(`Confirmed: imports ${mark(c.imported)} · routed to the supplier ${mark(c.routed)} · tracking syncs back ${mark(c.trackingSynced)}`);
  if (result.advice) {
    lines.push('', s.bold(result.advice.what), result.advice.why, ...result.advice.fix.map((f, i) => `  ${i + 1}. ${f}`));
    const email = result.advice.email;
    if (email) lines.push('', `To: ${email.to ?? '(the supplier)'}`, `Subject: ${email.subject}`, '', ...email.body.split('\n'));
  }
  // each path on a line of its own, unindented past the label, so a long one copies whole
  if (result.report) lines.push('Report:', `  ${result.report.markdown}`, `  ${result.report.json}`);
  return lines.join('\n');
}

export function renderSettings(
  result: { autoAuthorize: boolean; maxOrderTotal: string | null; appliedTo: string; clicks: string[]; changed: boolean; path?: string },
  s: Style,
): string {
  if (result.path !== undefined && result.autoAuthorize === undefined) return result.path;
  const lines = [
    `Auto Authorize Orders For Payment: ${result.autoAuthorize ? s.green('yes') : 'no'}`,
    `Only Auto Authorize Up to a Maximum Order Total: ${result.maxOrderTotal ?? 'no maximum'}`,
    s.dim(result.appliedTo === 'portal' ? 'Applied to the (sandbox) dealer portal.' : 'Recorded locally: Flxpoint publishes no API for these settings.'),
  ];
  if (result.appliedTo === 'local' && result.changed) lines.push('Set the same in the dealer portal:', ...result.clicks.map((c, i) => `  ${i + 1}. ${c}`));
  return lines.join('\n');
}

export function renderSync(
  result: {
    orders: { name: string; stage: string | null; problem: string | null }[];
    forced: boolean;
    forceSync: { how: string } | null;
    errors: { system: string; message: string }[];
  },
  s: Style,
): string {
  const lines: string[] = [];
  if (result.forced) lines.push('Pressed "Order Sync" in Order Manager.');
  if (result.forceSync) lines.push(result.forceSync.how);
  if (result.orders.length === 0) lines.push('No tracked orders.');
  for (const o of result.orders) lines.push(`${o.name.padEnd(8)} ${o.problem ? s.red(stageWords(o.stage, o.problem)) : stageWords(o.stage, null)}`);
  for (const e of result.errors) lines.push(s.red(`${e.system}: ${e.message}`));
  return lines.join('\n');
}

export function renderAuthorize(
  result: {
    order: { name: string } | null;
    authorized: boolean;
    alreadyAuthorized: boolean;
    method: string;
    portalUrl: string | null;
    clicks: string[];
    problem: string | null;
  },
  s: Style,
): string {
  const name = result.order?.name ?? 'The order';
  if (result.authorized) return `${name}: payment ${s.green('authorized')}${result.alreadyAuthorized ? ' (it already was)' : ''}.`;
  const lines = [`${name}: ${result.problem ? s.red(stageWords(null, result.problem)) : 'not authorized yet'}.`];
  if (result.method === 'assisted' && result.clicks.length)
    lines.push('In the dealer portal:', ...result.clicks.map((c, i) => `  ${i + 1}. ${c}`), 'Then run it again (or add --watch) to verify.');
  return lines.join('\n');
}

/** The Shopify credential kind in words (never the secret or a token). */
export function describeShopifyCredential(kind: 'client_credentials' | 'access_token'): string {
  return kind === 'client_credentials'
    ? 'Credential: a Dev Dashboard app (client ID and secret); onboard asks Shopify for an access token when needed and renews it before it expires (about every 24 hours), keeping it in memory only.'
    : "Credential: an admin-created app's Admin API access token (it does not expire).";
}

export function describePlan(plan: Plan): string {
  const minutes = PLAN_INTERVAL_MS[plan] / 60_000;
  const every = minutes === 60 ? 'every hour' : `every ${minutes} minutes`;
  return `On the ${plan} plan Order Manager imports new orders ${every} (basic: hourly; plus and vip: every 15 minutes); "Order Sync" in Order Manager imports at once. Inventory Source publishes no API for Order Sync, so onboard uses the plan to say when an import is due.`;
}

export function renderConnect(result: ConnectResult): string[] {
  const label = SYSTEM_LABELS[result.system];
  const lines: string[] = [];
  if (result.system === 'inventory-source' && result.plan) {
    lines.push(`Inventory Source: plan ${result.plan} stored.`);
    lines.push(describePlan(result.plan));
    return lines;
  }
  const where = result.namespace === 'sandbox' ? ' (sandbox)' : '';
  if (result.checked) lines.push(`${label}${where}: credentials checked${result.account ? ` (${result.account})` : ''} and stored.`);
  else lines.push(`${label}${where}: credentials stored without a check (--no-check).`);
  if (result.credential) lines.push(describeShopifyCredential(result.credential));
  if (result.scopes) {
    lines.push(`Granted scopes: ${result.scopes.join(', ') || 'none'}.`);
    for (const missing of result.missingScopes ?? []) lines.push(`Not granted: ${missing.scope}, needed for ${missing.neededFor}.`);
  } else if (result.credential && result.checked) {
    lines.push('Shopify did not say which scopes were granted; onboard needs read_orders (write_orders for --create).');
  }
  if (result.replaced) lines.push(`It replaced ${SYSTEM_LABELS[result.replaced]}: only one sales channel is connected at a time.`);
  if (result.fromEnvironment.length > 0) {
    lines.push(
      `${result.fromEnvironment.join(' and ')} ${result.fromEnvironment.length === 1 ? 'was' : 'were'} used, not stored: keep ${result.fromEnvironment.length === 1 ? 'it' : 'them'} set for every onboard command.`,
    );
  }
  return lines;
}

export function renderDisconnect(result: DisconnectResult): string {
  const label = SYSTEM_LABELS[result.system];
  const where = result.namespace === 'sandbox' ? ' sandbox' : '';
  return result.removed ? `${label}: stored${where} credentials removed.` : `${label}: no${where} credentials were stored; nothing to remove.`;
}

export function renderOrders(result: OrdersResult, timeZone?: string): string {
  // times as people read them: local, with the zone (JSON keeps ISO-8601 UTC)
  const since = localTime(result.since, timeZone) ?? result.since;
  if (result.orders.length === 0) return `No orders on ${result.channel} since ${since}.`;
  const rows = result.orders.map((order) => [
    order.name,
    localTime(order.createdAt, timeZone) ?? order.createdAt,
    `${order.total} ${order.currency}`,
    order.shippingMethod ?? '(no shipping method)',
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] as string).length)));
  const lines = rows.map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] as number) : cell)).join('  '));
  const more = result.limit > 0 && result.orders.length === result.limit ? ` (the newest ${result.limit}; --limit 0 for all)` : '';
  return [`${result.orders.length} order${result.orders.length === 1 ? '' : 's'} on ${result.channel} since ${since}${more}:`, ...lines].join('\n');
}

export function renderDoctor(result: DoctorResult, style: Style): string {
  const lines: string[] = [];
  for (const check of result.checks) {
    lines.push(`${check.ok ? style.green('✔') : style.red('✖')} ${style.bold(check.system)}: ${check.message}`);
    if (!check.ok && check.fix) lines.push(`    ${style.dim('fix:')} ${check.fix}`);
  }
  const failing = result.checks.filter((check) => !check.ok).length;
  lines.push(failing === 0 ? 'Every check passed.' : `${failing} check${failing === 1 ? '' : 's'} failed.`);
  if (result.bundle) {
    lines.push(`Support bundle written to ${result.bundle} (secrets removed, customer data ${result.customerData === 'included' ? 'included' : 'masked'}).`);
  }
  return lines.join('\n');
}
