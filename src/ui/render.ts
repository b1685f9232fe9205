// Human renderings of each command's result object (stdout). The JSON form is the object itself.
import type { CommandLine } from '../core/command-line.js';
import { SYSTEM_LABELS, type SystemName } from '../core/ports.js';
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
  const title = result.order ? `${result.order.name} · ${result.order.total} ${result.order.currency} · ${SYSTEM_LABELS[result.order.channel as SystemName] ?? result.order.channel}` : 'No order yet';
  // people's words for the stage (the codes are in --json)
  const words = stageWords(result.stage, result.problem);
  const stage = result.problem ? s.red(words) : result.stage === 'tracking_synced' ? s.green(words) : words;
  lines.push(`${s.bold(title)}  ${stage}`);
  for (const step of result.steps) lines.push(`  ${(ICON[step.status] ?? ICON.pending)(s)} ${step.step} ${step.name}${step.status === 'waiting' ? s.dim(' (waiting)') : step.status === 'skipped' ? s.dim(' (auto-authorized)') : ''}`);
  if (result.tracking.length > 0) {
    lines.push('Tracking:');
    for (const t of result.tracking) lines.push(`  ${t.carrier ?? ''} ${t.number}  ${t.onChannel ? s.green('on the store') : s.yellow('not on the store yet')}`.replace('   ', '  '));
  }
  if (result.systems && !result.systems.portal.connected) lines.push(s.dim(`The dealer portal is not connected: only the store side is shown (${commandLine('connect', 'flxpoint')}).`));
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

export function renderSettings(result: { autoAuthorize: boolean; maxOrderTotal: string | null; appliedTo: string; clicks: string[]; changed: boolean; path?: string }, s: Style): string {
  if (result.path !== undefined && result.autoAuthorize === undefined) return result.path;
  const lines = [
    `Auto Authorize Orders For Payment: ${result.autoAuthorize ? s.green('yes') : 'no'}`,
    `Only Auto Authorize Up to a Maximum Order Total: ${result.maxOrderTotal ?? 'no maximum'}`,
    s.dim(result.appliedTo === 'portal' ? 'Applied to the (sandbox) dealer portal.' : 'Recorded locally: Flxpoint publishes no API for these settings.'),
  ];
  if (result.appliedTo === 'local' && result.changed) lines.push('Set the same in the dealer portal:', ...result.clicks.map((c, i) => `  ${i + 1}. ${c}`));
  return lines.join('\n');
}

export function renderSync(result: { orders: { name: string; stage: string | null; problem: string | null }[]; forced: boolean; forceSync: { how: string } | null; errors: { system: string; message: string }[] }, s: Style): string {
  const lines: string[] = [];
  if (result.forced) lines.push('Pressed "Order Sync" in Order Manager.');
  if (result.forceSync) lines.push(result.forceSync.how);
  if (result.orders.length === 0) lines.push('No tracked orders.');
  for (const o of result.orders) lines.push(`${o.name.padEnd(8)} ${o.problem ? s.red(stageWords(o.stage, o.problem)) : stageWords(o.stage, null)}`);
  for (const e of result.errors) lines.push(s.red(`${e.system}: ${e.message}`));
  return lines.join('\n');
}

export function renderAuthorize(result: { order: { name: string } | null; authorized: boolean; alreadyAuthorized: boolean; method: string; portalUrl: string | null; clicks: string[]; problem: string | null }, s: Style): string {
  const name = result.order?.name ?? 'The order';
  if (result.authorized) return `${name}: payment ${s.green('authorized')}${result.alreadyAuthorized ? ' (it already was)' : ''}.`;
  const lines = [`${name}: ${result.problem ? s.red(stageWords(null, result.problem)) : 'not authorized yet'}.`];
  if (result.method === 'assisted' && result.clicks.length) lines.push('In the dealer portal:', ...result.clicks.map((c, i) => `  ${i + 1}. ${c}`), 'Then run it again (or add --watch) to verify.');
  return lines.join('\n');
}
