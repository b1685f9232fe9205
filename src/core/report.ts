// Step 6: the evidence for the three confirmations, written as Markdown and JSON under the configuration directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from './context.js';
import type { Evaluation } from './lifecycle/machine.js';
import type { Run } from './lifecycle/record.js';
import { SYSTEM_LABELS, type ChannelSystem } from './ports.js';
import { orderView, trackingView } from './tracker.js';

export function writeReport(ctx: Context, run: Run, evaluation: Evaluation): { markdown: string; json: string } {
  const dir = join(ctx.store.namespaceDir(ctx.namespace), 'reports');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = join(dir, `test-order-${run.order?.number ?? 'unknown'}-${run.id.slice(0, 8)}`);
  const order = orderView(run);
  const tracking = trackingView(run);
  const reached = run.stageReachedAt;
  const data = {
    generatedAt: run.lastCheckedAt,
    profile: ctx.profile,
    sandbox: ctx.sandbox,
    order,
    confirmed: evaluation.confirmed,
    evidence: {
      imported: { at: reached.imported ?? null, portalOrderId: run.portal?.id ?? null, inferred: !run.importStatus?.imported },
      routed: { at: reached.authorized ?? null, fulfillmentRequests: run.portal?.fulfillmentRequests ?? [], authorizedBy: run.authorizedByOnboardAt ? 'onboard' : 'auto-authorize or the dealer' },
      trackingSynced: { at: reached.tracking_synced ?? null, tracking },
    },
    stages: reached,
    events: run.events,
  };
  const yes = (v: boolean) => (v ? 'yes' : 'no');
  const markdown = [
    `# Test order ${order?.name ?? ''}: ${evaluation.confirmed.trackingSynced ? 'ready to sell' : 'not finished'}`,
    '',
    `- Store order: ${order?.name} (${order ? SYSTEM_LABELS[order.channel as ChannelSystem] : ''} id ${order?.id}), ${order?.total} ${order?.currency}, placed ${order?.createdAt}`,
    `- Dealer portal order: ${run.portal?.id ?? 'n/a'} (${run.portal?.orderStatus ?? 'n/a'})`,
    '',
    '| confirmation | confirmed | when | evidence |',
    '|---|---|---|---|',
    `| Orders import from the store | ${yes(evaluation.confirmed.imported)} | ${reached.imported ?? ''} | portal order ${run.portal?.id ?? 'n/a'} |`,
    `| Orders are routed to the supplier | ${yes(evaluation.confirmed.routed)} | ${reached.authorized ?? ''} | fulfillment request ${(run.portal?.fulfillmentRequests ?? []).map((fr) => fr.number ?? fr.id).join(', ')} |`,
    `| Tracking syncs back to the store | ${yes(evaluation.confirmed.trackingSynced)} | ${reached.tracking_synced ?? ''} | ${tracking.map((t) => `${t.carrier ?? ''} ${t.number}`.trim()).join(', ')} |`,
    '',
    '## Timeline',
    '',
    ...run.events.map((e) => `- ${e.at} — ${e.message}`),
    '',
  ].join('\n');
  const paths = { markdown: `${base}.md`, json: `${base}.json` };
  writeFileSync(paths.markdown, markdown, { mode: 0o600 });
  writeFileSync(paths.json, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  return paths;
}
