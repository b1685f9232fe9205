// The report of one test-order run: what happened at each of the six stages, with its time and evidence, the
// problems met and how they cleared, the three confirmations and the supplier email. One document, three
// renderings: Markdown (step 6 writes it with the JSON under the configuration directory; `onboard report`
// prints it), JSON, and the HTML page (src/core/report-html.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCredentials } from './credentials.js';
import type { Context } from './context.js';
import { confirmationEmail, shippingMappingEmail, type EmailDraft } from './email.js';
import { recordedEvaluation, stageIndex, type Evaluation, type StepView } from './lifecycle/machine.js';
import { STAGES, type Problem, type Run, type Stage } from './lifecycle/record.js';
import { localTime, spanWords, zoneFromEnv } from './local-time.js';
import { SYSTEM_LABELS, type ChannelSystem } from './ports.js';
import { orderView, trackingView, type OrderView } from './views.js';
import { PROBLEM_WORDS, STAGE_TITLES, STAGE_WORDS } from './words.js';

export interface ReportLink {
  text: string;
  url: string;
}

export interface ReportStage {
  step: number;
  key: Stage;
  title: string;
  /** when the run recorded the stage reached (ISO UTC, the systems' clock): the time its timeline line has too */
  at: string | null;
  /** when onboard saw it (ISO UTC); null for a run recorded before these were kept */
  seenAt: string | null;
  reached: boolean;
  /** where it was seen */
  where: string;
  evidence: string[];
  links: ReportLink[];
}

export interface ReportProblem {
  problem: Problem;
  words: string;
  at: string;
  clearedAt: string | null;
  /** what changed when it cleared (the events recorded with the clearing) */
  how: string | null;
}

export interface ReportEmail extends EmailDraft {
  mailto: string;
}

export interface ReportDocument {
  title: string;
  /** the zone people's times are shown in (TZ), null for this machine's */
  timeZone: string | null;
  generatedAt: string;
  /** the last time onboard read the systems for this run */
  asOf: string | null;
  profile: string;
  sandbox: boolean;
  finished: boolean;
  /** a newer test order replaced this run (`test-order --restart`): it will not go on */
  abandoned: boolean;
  store: { channel: string; name: string | null };
  order: OrderView | null;
  stage: Evaluation['stage'];
  lastStage: Stage | null;
  problem: Problem | null;
  problems: Problem[];
  steps: StepView[];
  stages: ReportStage[];
  problemsMet: ReportProblem[];
  confirmed: Evaluation['confirmed'];
  confirmations: { key: 'imported' | 'routed' | 'trackingSynced'; label: string; confirmed: boolean; at: string | null; evidence: string }[];
  tracking: ReturnType<typeof trackingView>;
  email: ReportEmail | null;
  events: Run['events'];
  runId: string;
}

/**
 * The supplier email of the run: the one kept with it (drafted once the payment is authorized; addressed now if
 * the address came later), else the advice's email for the problem that holds (the shipping-mapping request),
 * else, for a run authorized before emails were kept, the confirmation. Never a confirmation for an order that
 * is not authorized.
 */
export function runEmail(run: Run, supplierEmail: string | null): EmailDraft | null {
  const kept = run.email;
  if (kept) return { ...kept, to: kept.to ?? supplierEmail };
  if (run.problems.includes('shipping_unmapped') && !run.order?.shippingSkipped) return shippingMappingEmail(run, supplierEmail);
  return stageIndex(run.lastStage) >= stageIndex('authorized') ? confirmationEmail(run, supplierEmail) : null;
}

export function mailtoLink(email: EmailDraft): string {
  const query = `subject=${encodeURIComponent(email.subject)}&body=${encodeURIComponent(email.body.replace(/\r?\n/g, '\r\n'))}`;
  return `mailto:${email.to ? encodeURIComponent(email.to).replace(/%40/g, '@') : ''}?${query}`;
}

function storeName(ctx: Context, channel: ChannelSystem | null): string | null {
  try {
    const credentials = readCredentials(ctx.store, ctx.namespace);
    if (channel === 'shopify' && credentials.shopify) return credentials.shopify.store;
    if (channel === 'woocommerce' && credentials.woocommerce) return credentials.woocommerce.url;
    if (channel === 'bigcommerce' && credentials.bigcommerce) return `store ${credentials.bigcommerce.storeHash}`;
  } catch {
    // a damaged credentials file does not stop a report; doctor names it
  }
  return ctx.sandbox ? 'the sandbox store' : null;
}

function supplierEmailOf(ctx: Context): string | null {
  try {
    return readCredentials(ctx.store, ctx.namespace).flxpoint?.supplierEmail ?? null;
  } catch {
    return null;
  }
}

const safeUrl = (url: string | null | undefined): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

/** A status as the run recorded it when first seen (its event), with the last reading's where that differs. */
function statusWords(recorded: string | null, current: string | null): string | null {
  const first = recorded ?? current;
  if (!first) return null;
  return current && current !== first ? `${first}, later ${current}` : first;
}

const eventText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function stageEvidence(run: Run): Record<Stage, { at: string | null; where: string; evidence: string[]; links: ReportLink[] }> {
  const order = run.order;
  const portal = run.portal;
  const channel = order ? SYSTEM_LABELS[order.channel] : 'the store';
  const view = orderView(run);
  const requests = portal?.fulfillmentRequests ?? [];
  const shipments = run.shipments.filter((s) => !s.suppressed);
  const shipped =
    shipments
      .filter((s) => s.shippedAt)
      .map((s) => s.shippedAt as string)
      .sort()[0] ?? null;
  const tracking = trackingView(run);
  // statuses as the timeline has them: the one recorded when each was found (later changes follow it)
  const portalFound = run.events.find((e) => e.kind === 'portal_found');
  const portalStatus = statusWords(eventText(portalFound?.evidence.orderStatus), portal?.orderStatus ?? null);
  const requestStatus = (id: string, current: string | null) =>
    statusWords(eventText(run.events.find((e) => e.kind === 'fulfillment_request' && e.evidence.id === id)?.evidence.status), current);
  const rule = run.autoAuthorize;
  const authorizedHow = run.authorizedByOnboardAt
    ? 'authorized by onboard ("Authorize Order for Payment")'
    : rule?.autoAuthorize
      ? `auto-authorized by the portal${rule.maxOrderTotal ? ` (maximum ${rule.maxOrderTotal} ${order?.currency ?? ''})`.replace(' )', ')') : ''}`
      : 'authorized in the dealer portal';
  return {
    placed: {
      at: order?.createdAt ?? null,
      where: channel,
      evidence:
        order && view
          ? [
              `${channel} order ${order.name} (id ${order.id})`,
              `total ${view.total} ${view.currency}`,
              ...(order.shippingTitle ? [`shipping "${order.shippingTitle}"`] : []),
            ]
          : [],
      links: [],
    },
    imported: {
      at: run.importStatus?.importedAt ?? null,
      where: 'Inventory Source Order Manager',
      evidence: run.importStatus?.imported
        ? ['Order Manager imported the order']
        : portal
          ? ['inferred: the order reached the dealer portal']
          : run.importStatus?.heldReason
            ? [`held: ${run.importStatus.heldReason}`]
            : [],
      links: [],
    },
    in_portal: {
      at: portal?.insertedAt ?? null,
      where: 'Flxpoint dealer portal',
      evidence: portal ? [`portal order ${portal.id}`, ...(portalStatus ? [`status ${portalStatus}`] : [])] : [],
      links: [],
    },
    authorized: {
      at: run.authorizedByOnboardAt,
      where: 'Flxpoint dealer portal',
      evidence: requests.length
        ? [
            ...requests.map((fr) => {
              const status = requestStatus(fr.id, fr.status);
              return `fulfillment request ${fr.number ?? fr.id}${status ? ` (${status})` : ''}`;
            }),
            authorizedHow,
          ]
        : [],
      links: [],
    },
    shipped: {
      at: shipped,
      where: 'Flxpoint dealer portal',
      evidence: shipments.map((s) => `${s.carrier ?? 'carrier unknown'} ${s.trackingNumber ?? '(no tracking number)'}`),
      links: shipments
        .filter((s) => s.trackingNumber && safeUrl(s.trackingUrl))
        .map((s) => ({ text: `${s.carrier ? `${s.carrier} ` : ''}${s.trackingNumber}`, url: s.trackingUrl as string })),
    },
    tracking_synced: {
      at: null,
      where: channel,
      evidence: tracking.filter((t) => t.onChannel).map((t) => `${t.carrier ? `${t.carrier} ` : ''}${t.number} on the ${channel} order`),
      links: tracking
        .filter((t) => t.onChannel && safeUrl(t.url))
        .map((t) => ({ text: `${t.carrier ? `${t.carrier} ` : ''}${t.number}`, url: t.url as string })),
    },
  };
}

/**
 * The six stages with their times: when the run recorded each reached (stageReachedAt, the time its "Now …" line
 * in the timeline has); a run recorded before those were kept falls back to the vendor's time. Never before the
 * stage before it.
 */
function reportStages(run: Run): ReportStage[] {
  const evidence = stageEvidence(run);
  const reachedIndex = run.lastStage ? STAGES.indexOf(run.lastStage) : -1;
  let previous = 0;
  return STAGES.map((key, i) => {
    const e = evidence[key];
    const reached = i <= reachedIndex;
    const seenAt = run.stageReachedAt[key] ?? null;
    let at = reached ? (seenAt ?? e.at) : null;
    // a vendor clock a little behind another vendor's must not put a stage before the one it follows
    if (at && Date.parse(at) < previous) at = new Date(previous).toISOString();
    if (at) previous = Date.parse(at);
    return {
      step: i + 1,
      key,
      title: STAGE_TITLES[key],
      at,
      seenAt: reached ? seenAt : null,
      reached,
      where: e.where,
      evidence: reached ? e.evidence : [],
      links: reached ? e.links : [],
    };
  });
}

/** Problems met on the way, from the run's events: when each showed and what changed when it cleared. */
function problemsMet(run: Run): ReportProblem[] {
  const met: ReportProblem[] = [];
  for (const event of run.events) {
    const problem = event.evidence.problem as Problem | undefined;
    if (!problem) continue;
    if (event.kind === 'problem') met.push({ problem, words: PROBLEM_WORDS[problem] ?? problem, at: event.at, clearedAt: null, how: null });
    if (event.kind === 'problem_cleared') {
      const open = [...met].reverse().find((m) => m.problem === problem && m.clearedAt === null);
      if (!open) continue;
      open.clearedAt = event.at;
      const with_ = run.events.filter((e) => e.at === event.at && e.kind !== 'problem' && e.kind !== 'problem_cleared' && e.kind !== 'stage');
      open.how = with_.length ? with_.map((e) => e.message).join('; ') : 'the cause no longer showed at the next reading';
    }
  }
  return met;
}

/** Where each kind of event sits among those of one reading: with the stage it is evidence of, in stage order. */
const EVENT_STAGE: Record<string, number> = {
  order_found: 0,
  order_cancelled: 0,
  order_sync: 1,
  imported: 1,
  held: 1,
  portal_found: 2,
  portal_status: 2,
  authorize: 3,
  payment_status: 3,
  fulfillment_request: 3,
  email_drafted: 3.6,
  shipment: 4,
  tracking_sync_error: 4,
  tracking_on_channel: 5,
  finished: 6,
};

export interface TimelineLine {
  at: string;
  text: string;
}

/**
 * The timeline: the run's events in time order, and a "Now …" line for each stage reached at the stage's own
 * time (the one the stage list shows; one reading that passes several stages gives each its line). Within one
 * reading, lines follow the stages they are evidence of.
 */
export function timelineOf(doc: Pick<ReportDocument, 'stages' | 'events'>): TimelineLine[] {
  const lines: (TimelineLine & { rank: number })[] = [];
  for (const e of doc.events) {
    if (e.kind === 'stage') continue;
    lines.push({ at: e.at, text: e.message, rank: EVENT_STAGE[e.kind] ?? 6.5 });
  }
  doc.stages.forEach((s, i) => {
    if (s.reached && s.at) lines.push({ at: s.at, text: `Now ${STAGE_WORDS[s.key]}`, rank: i + 0.5 });
  });
  return lines
    .map((line, i) => ({ line, i }))
    .sort((a, b) => Date.parse(a.line.at) - Date.parse(b.line.at) || a.line.rank - b.line.rank || a.i - b.i)
    .map(({ line }) => ({ at: line.at, text: line.text }));
}

export function buildReport(ctx: Context, run: Run, evaluation: Evaluation = recordedEvaluation(run), now = Date.now()): ReportDocument {
  const order = orderView(run);
  const stages = reportStages(run);
  const reached = (key: Stage) => stages.find((s) => s.key === key);
  const email = runEmail(run, supplierEmailOf(ctx));
  const channel = run.order?.channel ?? run.channel;
  const tracking = trackingView(run);
  const requests = run.portal?.fulfillmentRequests ?? [];
  const finished = evaluation.finished;
  const abandoned = run.abandoned && !finished;
  const state = evaluation.confirmed.trackingSynced ? 'ready to sell' : abandoned ? 'abandoned' : evaluation.problem ? 'needs attention' : 'not finished';
  // written on the systems' clock, never before the last reading it reports
  const written = Math.max(now, run.lastCheckedAt ? Date.parse(run.lastCheckedAt) : 0);
  return {
    title: `Test order ${order?.name ?? '(not placed yet)'}: ${state}`,
    timeZone: zoneFromEnv(ctx.env) ?? null,
    generatedAt: new Date(written).toISOString(),
    asOf: run.lastCheckedAt,
    profile: ctx.profile,
    sandbox: ctx.sandbox,
    finished,
    abandoned,
    store: { channel: SYSTEM_LABELS[channel], name: storeName(ctx, channel) },
    order,
    stage: evaluation.stage,
    lastStage: evaluation.lastStage,
    problem: evaluation.problem,
    problems: evaluation.problems,
    steps: evaluation.steps,
    stages,
    problemsMet: problemsMet(run),
    confirmed: evaluation.confirmed,
    confirmations: [
      {
        key: 'imported',
        label: 'Orders import from the store',
        confirmed: evaluation.confirmed.imported,
        at: reached('imported')?.at ?? null,
        evidence: run.portal ? `portal order ${run.portal.id}` : '',
      },
      {
        key: 'routed',
        label: 'Orders are routed to the supplier',
        confirmed: evaluation.confirmed.routed,
        at: reached('authorized')?.at ?? null,
        evidence: requests.map((fr) => `fulfillment request ${fr.number ?? fr.id}`).join(', '),
      },
      {
        key: 'trackingSynced',
        label: 'Tracking syncs back to the store',
        confirmed: evaluation.confirmed.trackingSynced,
        at: reached('tracking_synced')?.at ?? null,
        evidence: tracking
          .filter((t) => t.onChannel)
          .map((t) => `${t.carrier ? `${t.carrier} ` : ''}${t.number}`)
          .join(', '),
      },
    ],
    tracking,
    email: email ? { ...email, mailto: mailtoLink(email) } : null,
    events: run.events,
    runId: run.id,
  };
}

/** From the first stage with a time to the last: none while only one stage is reached, or they fall in one second. */
export function reportSpan(doc: Pick<ReportDocument, 'stages'>): { from: string; to: string; ms: number } | null {
  const timed = doc.stages.filter((s) => s.at);
  const first = timed[0];
  const last = timed.at(-1);
  if (!first || !last || first === last) return null;
  const ms = Date.parse(last.at as string) - Date.parse(first.at as string);
  return ms >= 1_000 ? { from: first.title, to: last.title, ms } : null;
}

/** Markdown: reads as plain text in a terminal too. */
export function renderMarkdown(doc: ReportDocument): string {
  const when = (iso: string | null) => localTime(iso, doc.timeZone ?? undefined) ?? 'not yet';
  const yes = (v: boolean) => (v ? 'yes' : 'not yet');
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const span = reportSpan(doc);
  const lines = [
    `# ${doc.title}`,
    '',
    `- Store: ${doc.store.name ? `${doc.store.name} (${doc.store.channel})` : doc.store.channel}${doc.sandbox ? ' — sandbox' : ''}`,
  ];
  if (doc.order) {
    lines.push(
      `- Order: ${doc.order.name} (${doc.store.channel} id ${doc.order.id}), ${doc.order.total} ${doc.order.currency}, placed ${when(doc.order.createdAt)}`,
      `- Dealer portal order: ${doc.order.portalId ?? 'not in the portal yet'}`,
    );
  }
  if (span) lines.push(`- From ${span.from.toLowerCase()} to ${span.to.toLowerCase()}: ${spanWords(span.ms)}`);
  if (doc.abandoned) lines.push(`- Abandoned: a newer test order replaced this run; what was known as of ${when(doc.asOf)}`);
  else if (!doc.finished) lines.push(`- Not finished: what is known as of ${when(doc.asOf)}`);
  lines.push('', '## The six stages', '');
  for (const s of doc.stages) {
    lines.push(`${s.step}. **${s.title}** — ${s.reached ? when(s.at) : 'not yet'}${s.reached ? ` (${s.where})` : ''}`);
    for (const e of s.evidence) lines.push(`   - ${e}`);
    for (const link of s.links) lines.push(`   - tracking link: ${link.url}`);
  }
  lines.push('', '## Confirmations', '', '| confirmation | confirmed | when | evidence |', '|---|---|---|---|');
  for (const c of doc.confirmations) lines.push(`| ${c.label} | ${yes(c.confirmed)} | ${c.at ? when(c.at) : ''} | ${cell(c.evidence)} |`);
  if (doc.problemsMet.length) {
    lines.push('', '## Problems met', '');
    for (const p of doc.problemsMet) {
      lines.push(`- ${when(p.at)}: ${p.words} (\`${p.problem}\`)${p.clearedAt ? ` — cleared ${when(p.clearedAt)}: ${p.how}` : ' — still holds'}`);
    }
  }
  if (doc.email) {
    lines.push(
      '',
      '## Email to the supplier',
      '',
      `To: ${doc.email.to ?? '(the supplier)'}`,
      `Subject: ${doc.email.subject}`,
      '',
      ...doc.email.body.split('\n').map((l) => (l ? `> ${l}` : '>')),
    );
  }
  lines.push('', '## Timeline', '');
  for (const line of timelineOf(doc)) lines.push(`- ${when(line.at)} — ${line.text}`);
  lines.push('', `Written ${when(doc.generatedAt)} by onboard · profile ${doc.profile}${doc.sandbox ? ' (sandbox)' : ''} · run ${doc.runId}`, '');
  return lines.join('\n');
}

/** Step 6: writes the report as Markdown and JSON under the configuration directory (0600) and returns both paths. */
export function writeReport(ctx: Context, run: Run, evaluation: Evaluation): { markdown: string; json: string } {
  const dir = join(ctx.store.namespaceDir(ctx.namespace), 'reports');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = join(dir, `test-order-${run.order?.number ?? 'unknown'}-${run.id.slice(0, 8)}`);
  const at = run.lastCheckedAt ? Date.parse(run.lastCheckedAt) : Date.now();
  const doc = buildReport(ctx, run, evaluation, at);
  // writing this report is what completes step 6
  if (evaluation.lastStage === 'tracking_synced') doc.steps = doc.steps.map((s) => (s.step === 6 ? { ...s, status: 'done' } : s));
  const paths = { markdown: `${base}.md`, json: `${base}.json` };
  writeFileSync(paths.markdown, renderMarkdown(doc), { mode: 0o600 });
  writeFileSync(paths.json, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  return paths;
}
