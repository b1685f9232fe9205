// The six-step wizard (spec §1, §5). Flags first; the prompter fills gaps on a terminal. Every step is
// recorded as it happens, so running it again resumes where it stopped.
import type { Context, Systems } from '../context.js';
import { EXIT, InputRequiredError, NotConnectedError, UsageError } from '../errors.js';
import { shippingMappingSteps } from '../advice.js';
import { realSleep } from '../clock.js';
import { collectCreateInput, createOrFindOrder, preflightCreate, type CreateOrderFlags } from './create-order.js';
import { confirmationEmail, shippingMappingEmail, type EmailDraft } from '../email.js';
import { parseOrderRef, type OrderRef } from '../identity.js';
import { autoAuthorizeCovers, judgedTotal, STEPS, type Evaluation } from '../lifecycle/machine.js';
import type { Run } from '../lifecycle/record.js';
import { formatMoney, loadMoney, parseMoney } from '../money.js';
import { SYSTEM_LABELS, type ChannelOrder } from '../ports.js';
import { writeReport } from '../report.js';
import {
  evaluateNow,
  isUnfinished,
  iso,
  newRun,
  orderResult,
  readState,
  recordObservation,
  throwIfCancelled,
  updateState,
} from '../tracker.js';
import { formatClock, formatWhen, waitForRun } from '../waiting.js';
import { resolveChannelOrder } from './resolve.js';

export interface TestOrderOptions {
  order?: string;
  create?: boolean;
  /** the order's details for --create */
  createFlags?: CreateOrderFlags;
  yes: boolean;
  restart: boolean;
  authorizeWithinMs?: number;
}

export interface CommandOutcome<T> {
  result: T;
  exitCode: number;
}

/** Checks everything the flags must answer before any state is touched. */
function preflight(ctx: Context, options: TestOrderOptions): OrderRef | null {
  if (options.create && options.order) throw new UsageError('--create and --order contradict each other', { hint: 'Pass one of them.' });
  const ref = options.order ? parseOrderRef(options.order) : null;
  if (!ctx.interactive && !options.yes) {
    throw new InputRequiredError('Authorizing payment needs a confirmation', ['--yes'], {
      hint: 'Run it in a terminal to be asked, or pass --yes (it never authorizes above your auto-authorize maximum).',
    });
  }
  if (options.create) preflightCreate(ctx, options.createFlags ?? {});
  return ref;
}

export async function runTestOrder(ctx: Context, options: TestOrderOptions): Promise<CommandOutcome<ReturnType<typeof orderResult> & { email: EmailDraft | null; report: Run['report'] }>> {
  const ref = preflight(ctx, options);
  const systems = await ctx.systems();
  requireConnections(systems);
  const reporter = ctx.reporter;
  const clock = systems.clock;
  const startedAt = clock.now();
  const deadline = ctx.timeoutMs === null ? null : startedAt + ctx.timeoutMs;
  const waitAllowed = ctx.timeoutMs !== 0;

  // Resume the newest unfinished run of this profile, or start one.
  const runId = await updateState(ctx, (state) => {
    const current = [...state.runs].reverse().find(isUnfinished);
    if (current && !options.restart) {
      const otherScenario = ctx.sandbox && ctx.scenario !== null && (current.scenario ?? 'happy') !== ctx.scenario;
      if (ref || options.create || otherScenario) {
        const why = ref ? '--order' : options.create ? '--create' : `--scenario ${ctx.scenario}`;
        throw new UsageError(`A test order is already under way (${current.order?.name ?? 'waiting for the order'}); ${why} would start another`, {
          hint: 'Resume it with `onboard test-order`, or abandon it and start again with --restart.',
          next: ['onboard test-order', 'onboard test-order --restart'],
        });
      }
      return current.id;
    }
    if (current) current.abandoned = true;
    const run = newRun(systems, ctx, { authorizeWithinMs: options.authorizeWithinMs });
    state.runs.push(run);
    return run.id;
  });

  let run = readState(ctx).runs.find((r) => r.id === runId) as Run;
  if (run.order) reporter.info(`Resuming the test order ${run.order.name} (started ${formatWhen(Date.parse(run.startedAt))}).`);
  if (options.authorizeWithinMs !== undefined && run.authorizeWithinMs !== options.authorizeWithinMs) {
    await updateState(ctx, (state) => {
      const stored = state.runs.find((r) => r.id === runId);
      if (stored) stored.authorizeWithinMs = options.authorizeWithinMs as number;
    });
  }

  const narrator = createNarrator(ctx, systems);

  // Step 1: the order.
  if (!run.order) {
    narrator.ensureHeading(1);
    const found = options.create
      ? await createTestOrder(ctx, systems, run, options.createFlags ?? {})
      : await placeOrFind(ctx, systems, run, ref, deadline);
    if (!found) {
      reporter.stopWaiting({ ok: false, text: 'No new order on the store yet.' });
      const evaluation = evaluateNow(run, systems);
      return finish(ctx, systems, run, evaluation, EXIT.pending);
    }
    ({ run } = await recordObservation(ctx, systems, runId, { at: iso(clock.now()), order: found }));
  }

  let authorizeAsked = false;
  let importHelpShown = false;
  const result = await waitForRun(ctx, systems, runId, {
    deadline,
    done: (evaluation) => evaluation.lastStage === 'tracking_synced',
    label: (r, evaluation) => waitLabel(r, evaluation, systems),
    onLook: async (current, evaluation) => {
      narrator.narrate(current, evaluation);
      const stage = evaluation.lastStage;
      if ((stage === 'placed' || stage === 'imported') && !current.portal) {
        if (systems.orderManager.forceSync && !current.forceSyncPressedAt && waitAllowed) {
          reporter.stopWaiting();
          reporter.info('Pressing "Order Sync" in Order Manager so the order imports now.');
          await systems.orderManager.forceSync();
          await recordObservation(ctx, systems, runId, { at: iso(clock.now()), forceSyncPressed: true });
          return 'again';
        }
        if (!systems.orderManager.forceSync && !importHelpShown) {
          importHelpShown = true;
          const om = systems.orderManager;
          const due = Date.parse(current.order?.createdAt ?? current.startedAt) + om.intervalMs;
          reporter.stopWaiting();
          reporter.info(
            `Order Manager imports every ${om.intervalMs / 60_000} minutes on the ${om.plan} plan${om.planAssumed ? ' (assumed: onboard connect inventory-source --plan …)' : ''}; this order is due by ${formatWhen(due)}.`,
          );
          reporter.info('Inventory Source publishes no API for Order Sync. To import now: Inventory Source → Order Manager → "Order Sync".');
          reporter.info(`On a first order a red RESOLVE there usually means the shipping title "${current.order?.shippingTitle ?? ''}" is not mapped yet:`);
          reporter.block(shippingMappingSteps(current.order?.shippingTitle ?? null).map((line, i) => `${i + 1}. ${line}`));
        }
        return;
      }
      if (stage === 'in_portal' && current.portal && current.portal.fulfillmentRequests.length === 0) {
        const covers = autoAuthorizeCovers(current);
        if (covers === true || authorizeAsked) return;
        authorizeAsked = true;
        reporter.stopWaiting();
        narrator.ensureHeading(4);
        const email = confirmationEmail(current, systems.supplierEmail);
        if (systems.portalControls) {
          if (!waitAllowed) return; // --timeout 0: authorizing is the dealer's click, not onboard's
          const total = judgedTotal(current);
          const amount = total ? `${formatMoney(total.total)} ${total.total.currency}` : 'the order total';
          const approved = options.yes || (await ctx.prompter.confirm({ message: `Authorize payment of ${amount} for order ${current.order?.name}?`, default: true, flag: '--yes' }));
          if (!approved) {
            reporter.warn(`Not authorized. When you are ready: onboard authorize ${current.order?.number}${ctx.sandbox ? ' --sandbox' : ''}`);
            return 'stop';
          }
          const outcome = await systems.portalControls.authorize(current.portal.id);
          await recordObservation(ctx, systems, runId, { at: iso(clock.now()), authorizedByOnboard: !outcome.alreadyAuthorized });
          reporter.success(outcome.alreadyAuthorized ? 'The portal already had the payment authorized.' : `Clicked "Authorize Order for Payment" for ${amount}.`);
        } else {
          reporter.info('Flxpoint publishes no API to authorize payment; do it in the dealer portal:');
          reporter.block(authorizeClicks(systems, current.portal.id));
        }
        if (email) {
          reporter.info(`Email the supplier to confirm they received it${email.to ? '' : ' (add their address with onboard connect flxpoint --supplier-email)'}:`);
          reporter.email(email);
        }
        return 'again';
      }
    },
  });
  run = result.run;
  narrator.narrate(run, result.evaluation);

  if (result.outcome === 'problem') {
    reporter.stopWaiting({ ok: false, text: `Needs attention: ${result.evaluation.problem}` });
    return finish(ctx, systems, run, result.evaluation, EXIT.attention);
  }
  if (result.outcome === 'stopped') return finish(ctx, systems, run, result.evaluation, EXIT.pending);
  if (result.outcome === 'timeout' || result.evaluation.lastStage !== 'tracking_synced') {
    reporter.stopWaiting({ ok: false, text: `Not finished yet: ${waitLabel(run, result.evaluation, systems)}. Run onboard test-order again to resume.` });
    return finish(ctx, systems, run, result.evaluation, EXIT.pending);
  }

  // Step 6: the evidence, written down.
  reporter.stopWaiting();
  narrator.ensureHeading(6);
  const report = run.report ?? writeReport(ctx, run, result.evaluation);
  const final = await recordObservation(ctx, systems, runId, { at: iso(clock.now()), report });
  narrator.narrate(final.run, final.evaluation);
  return finish(ctx, systems, final.run, final.evaluation, EXIT.ok);
}

/** The wizard reads the store and the dealer portal; say which is missing before any state is touched. */
function requireConnections(systems: Systems): void {
  const missing = [!systems.channel && 'your store', !systems.portal && 'the dealer portal'].filter(Boolean);
  if (missing.length === 0) return;
  throw new NotConnectedError(`The test order needs ${missing.join(' and ')} connected`, {
    hint: 'Try the whole walk on the sandbox first, or connect your systems.',
    next: [
      'onboard test-order --sandbox',
      ...(systems.channel ? [] : ['onboard connect shopify --store NAME.myshopify.com']),
      ...(systems.portal ? [] : ['onboard connect flxpoint --portal-url URL --supplier-email ADDRESS']),
      'onboard connect inventory-source --plan basic|plus|vip',
    ],
  });
}

async function placeOrFind(ctx: Context, systems: Systems, run: Run, ref: OrderRef | null, deadline: number | null): Promise<ChannelOrder | null> {
  const channel = systems.channel;
  if (!channel) throw new UsageError('No sales channel is connected');
  if (ref) return resolveChannelOrder(systems, ref);
  if (systems.sandbox && (await claimPlacement(ctx, run.id))) {
    const placed = await systems.sandbox.placeOrder(run.scenario);
    const scenario = placed.scenario ?? run.scenario;
    await updateState(ctx, (state) => {
      const stored = state.runs.find((r) => r.id === run.id);
      if (stored) stored.scenario = scenario;
    });
    ctx.reporter.info(`A customer placed order #${placed.number} on the sandbox store${scenario && scenario !== 'happy' ? ` (scenario ${scenario})` : ''}.`);
  } else if (systems.sandbox) {
    ctx.reporter.info('Another onboard process is placing the test order; waiting for it on the store.');
    // The claimant places it within moments: look again in real time, not on the (virtual) poll schedule.
    for (const started = Date.now(); Date.now() - started < PLACEMENT_CLAIM_STALE_MS; ) {
      throwIfCancelled(ctx);
      const found = await channel.findFirstOrderSince(run.startedAt);
      if (found) return found;
      await realSleep(100, ctx.signal);
    }
  } else {
    ctx.reporter.info('Place a small, low-dollar order on your store now, as a customer would (it will really ship).');
    ctx.reporter.info('onboard watches for the first order created after this run began.');
  }
  for (;;) {
    throwIfCancelled(ctx);
    const found = await channel.findFirstOrderSince(run.startedAt);
    if (found) return found;
    const now = systems.clock.now();
    if (deadline !== null && now >= deadline) return null;
    const delay = Math.min(ctx.pollIntervalMs ?? 15_000, deadline === null ? Infinity : deadline - now);
    ctx.reporter.waiting('Waiting for a new order on the store', `next look ${formatClock(now + delay)}`);
    await systems.clock.sleep(delay, ctx.signal);
  }
}

/** --create: one process claims the placement; a resumed run first looks for the order it placed before. */
async function createTestOrder(ctx: Context, systems: Systems, run: Run, flags: CreateOrderFlags): Promise<ChannelOrder | null> {
  const input = await collectCreateInput(ctx, systems, flags, run.id);
  if (await claimPlacement(ctx, run.id)) {
    ctx.reporter.info(`Placing the test order on ${SYSTEM_LABELS[systems.channel!.system]} by API (once: a retry looks for it first).`);
    return createOrFindOrder(systems, input, run.startedAt);
  }
  ctx.reporter.info('Another onboard process is placing this test order; waiting for it on the store.');
  for (const started = Date.now(); Date.now() - started < PLACEMENT_CLAIM_STALE_MS; ) {
    throwIfCancelled(ctx);
    const found = await systems.channel!.findCreatedOrder?.(run.id, run.startedAt);
    if (found) return found;
    await realSleep(250, ctx.signal);
  }
  return null;
}

/** A claim older than this is a crashed process's: another may place the order instead. */
const PLACEMENT_CLAIM_STALE_MS = 30_000;

/**
 * Claims, under the profile lock, the placing of this run's order. Only the claimant places it; concurrent
 * wizards resuming the same run wait for that order on the store instead of placing a second one.
 */
async function claimPlacement(ctx: Context, runId: string): Promise<boolean> {
  return updateState(ctx, (state) => {
    const stored = state.runs.find((r) => r.id === runId);
    if (!stored || stored.order) return false;
    const now = Date.now();
    if (stored.placementClaimedAt !== null && now - stored.placementClaimedAt < PLACEMENT_CLAIM_STALE_MS) return false;
    stored.placementClaimedAt = now;
    return true;
  });
}

export function authorizeClicks(systems: Systems, portalId: string): string[] {
  const page = systems.portal?.orderPageUrl(portalId) ?? null;
  return [
    ...(page ? [`Open ${page}`] : []),
    'Click Orders at the top of the dealer portal, then click the order ' + portalId + '.',
    'Click "Authorize Order for Payment".',
  ];
}

function waitLabel(run: Run, evaluation: Evaluation, systems: Systems): string {
  const om = systems.orderManager;
  switch (evaluation.waitingFor) {
    case 'import': {
      const due = Date.parse(run.order?.createdAt ?? run.startedAt) + om.intervalMs;
      const plan = `${om.plan}${om.planAssumed ? ' (assumed)' : ''} plan, every ${om.intervalMs / 60_000} min`;
      return `Waiting for Order Manager to import ${run.order?.name}: due by ${formatClock(due)} (${plan})`;
    }
    case 'authorization':
      return autoAuthorizeCovers(run)
        ? 'Waiting for the portal to auto-authorize the payment'
        : 'Waiting for "Authorize Order for Payment" in the dealer portal';
    case 'shipment':
      return 'Waiting for the supplier to ship';
    case 'tracking_sync':
      return 'Waiting for the tracking to reach the store';
    case 'order':
      return 'Waiting for the order';
    default:
      return 'Waiting';
  }
}

/** Prints each step once: a heading when it starts, a line of evidence when it is done. */
function createNarrator(ctx: Context, systems: Systems) {
  const reporter = ctx.reporter;
  const headed = new Set<number>();
  const told = new Set<number>();
  const ensureHeading = (step: number) => {
    if (headed.has(step)) return;
    headed.add(step);
    reporter.stopWaiting();
    reporter.heading(step, STEPS[step - 1].name);
  };
  const when = (iso: string | undefined | null) => (iso ? formatWhen(Date.parse(iso)) : 'unknown time');
  const evidence = (step: number, run: Run): string[] => {
    const order = run.order;
    const channelName = order ? SYSTEM_LABELS[order.channel] : 'the store';
    switch (step) {
      case 1: {
        if (!order) return ['Order placed'];
        const lines = [`${order.name} on ${channelName}: ${formatMoney(loadMoney(order.total))} ${order.currency}, shipping "${order.shippingTitle ?? 'none'}", placed ${when(order.createdAt)}`];
        const rule = run.autoAuthorize;
        if (rule?.autoAuthorize && !run.portal) {
          const covers = autoAuthorizeCovers(run);
          lines.push(
            covers
              ? `Predicted from the store total: your auto-authorize setting (maximum ${rule.maxOrderTotal ?? 'none'}) will authorize it automatically.`
              : `Predicted from the store total: it is above your auto-authorize maximum ${rule.maxOrderTotal}, so you will authorize it yourself in step 4.`,
          );
        }
        return lines;
      }
      case 2:
        return [
          run.importStatus?.imported
            ? `Order Manager imported it at ${when(run.importStatus.importedAt)}`
            : 'Imported (inferred: the dealer portal has it)',
        ];
      case 3: {
        const covers = autoAuthorizeCovers(run);
        const rule = run.autoAuthorize;
        const total = run.portal?.orderTotal != null && order ? `${formatMoney(parseMoney(run.portal.orderTotal, order.currency))} ${order.currency}` : '?';
        const auto = !rule || !rule.autoAuthorize
          ? 'Auto-authorize is off: the payment needs your authorization in step 4.'
          : covers
            ? `Auto-authorize covers it (${total} is within the maximum ${rule.maxOrderTotal ?? '(none)'}).`
            : `Auto-authorize does not cover it (${total} is above the maximum ${rule.maxOrderTotal}).`;
        return [`Dealer portal order ${run.portal?.id}: status ${run.portal?.orderStatus}, total ${total}`, auto];
      }
      case 4: {
        const requests = (run.portal?.fulfillmentRequests ?? []).map((fr) => fr.number ?? fr.id).join(', ');
        return [
          run.authorizedByOnboardAt
            ? `Payment authorized; fulfillment request ${requests} went to the supplier`
            : `Authorized by the portal's auto-authorize; fulfillment request ${requests} went to the supplier`,
        ];
      }
      case 5: {
        const numbers = run.shipments.filter((s) => s.trackingNumber).map((s) => `${s.carrier ?? ''} ${s.trackingNumber}`.trim());
        return [`Shipped (${numbers.join(', ')}) and the tracking is on the store order`];
      }
      case 6: {
        const reached = run.stageReachedAt;
        const requests = (run.portal?.fulfillmentRequests ?? []).map((fr) => fr.number ?? fr.id).join(', ');
        const tracking = run.shipments.filter((s) => s.trackingNumber && !s.suppressed).map((s) => `${s.carrier ?? ''} ${s.trackingNumber}`.trim());
        return [
          `Orders import: ${order?.name} reached the dealer portal as order ${run.portal?.id} (${when(reached.in_portal)})`,
          `Orders are routed to the supplier: fulfillment request ${requests} (${when(reached.authorized)})`,
          `Tracking syncs back: ${tracking.join(', ')} is on ${order?.name} in ${channelName} (${when(reached.tracking_synced)})`,
          ...(run.report ? [`You can start selling. Report: ${run.report.markdown}`] : []),
        ];
      }
      default:
        return [];
    }
  };
  return {
    ensureHeading,
    narrate(run: Run, evaluation: Evaluation) {
      for (const view of evaluation.steps) {
        if ((view.status === 'done' || view.status === 'skipped') && !told.has(view.step)) {
          ensureHeading(view.step);
          told.add(view.step);
          const [first, ...rest] = evidence(view.step, run);
          reporter.success(view.status === 'skipped' ? `Skipped: ${first}` : first);
          for (const line of rest) (view.step === 6 ? reporter.success : reporter.info)(line);
        } else if ((view.status === 'waiting' || view.status === 'failed') && !headed.has(view.step)) {
          ensureHeading(view.step);
        }
      }
      if (evaluation.problem && !told.has(100)) {
        told.add(100);
        const advice = evaluateAdvice(run, evaluation);
        if (advice) {
          reporter.warn(advice.what);
          reporter.info(advice.why);
          reporter.block(advice.fix.map((line, i) => `${i + 1}. ${line}`));
        }
        if (evaluation.problem === 'shipping_unmapped') {
          const email = shippingMappingEmail(run, systems.supplierEmail);
          if (email) reporter.email(email);
        }
      }
    },
  };
}

function evaluateAdvice(run: Run, evaluation: Evaluation) {
  return orderResult(run, evaluation, null).advice;
}

function finish(ctx: Context, systems: Systems, run: Run, evaluation: Evaluation, exitCode: number) {
  const email = run.portal ? confirmationEmail(run, systems.supplierEmail) : null;
  return {
    result: { ...orderResult(run, evaluation, systems), email, report: run.report },
    exitCode,
  };
}

