// The six-step wizard (spec §1, §5). Flags first; the prompter fills gaps on a terminal. Every step is
// recorded as it happens, so running it again resumes where it stopped.
import { randomUUID } from 'node:crypto';
import type { Context, Systems } from '../context.js';
import { EXIT, InputRequiredError, NotConnectedError, OnboardError, throwIfCancelled, UsageError } from '../errors.js';
import { adviceFor, shippingMappingSteps } from '../advice.js';
import { iso, realSleep } from '../clock.js';
import { collectCreateInput, createOrFindOrder, preflightCreate, type CreateOrderFlags } from './create-order.js';
import { parseOrderRef, type OrderRef } from '../identity.js';
import { autoAuthorizeCovers, isBelow, type Evaluation } from '../lifecycle/machine.js';
import type { Problem, ProfileState, Run } from '../lifecycle/record.js';
import { PROBLEM_WORDS } from '../words.js';
import { SYSTEM_LABELS, type ChannelOrder, type CreateOrderInput, type PortalControls } from '../ports.js';
import { createStepNarrator } from '../narrate.js';
import { evaluateNow, recordObservation } from '../observe-systems.js';
import { isUnfinished, newRun } from '../runs.js';
import { readState, updateState } from '../state.js';
import { orderResult } from '../views.js';
import { describeWait, formatClock, formatSpan, formatWhen, waitForRun, type WaitResult } from '../waiting.js';
import { authorizeAmount, confirmAuthorize } from './authorize.js';
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

/** Checks what the flags alone can tell, before anything is read or touched. */
function preflight(ctx: Context, options: TestOrderOptions): OrderRef | null {
  if (options.create && options.order) throw new UsageError('--create and --order contradict each other', { hint: 'Pass one of them.' });
  const ref = options.order ? parseOrderRef(options.order) : null;
  if (options.create) preflightCreate(ctx, options.createFlags ?? {});
  return ref;
}

/**
 * Without a terminal, authorizing needs --yes, unless onboard will not be the one to authorize in this
 * invocation: `--timeout 0` (authorizing is the dealer's click), or a resumed run already past authorization.
 */
function requireAuthorizeAnswer(ctx: Context, options: TestOrderOptions, resumed: Run | undefined): void {
  if (ctx.interactive || options.yes || ctx.timeoutMs === 0) return;
  if (resumed && !isBelow(resumed.lastStage, 'authorized')) return;
  throw new InputRequiredError('Authorizing payment needs a confirmation', ['--yes'], {
    hint: 'Run it in a terminal to be asked, or pass --yes (it never authorizes above your auto-authorize maximum).',
  });
}

/** What this invocation does with the stored runs: resume one, or start one (dropping or abandoning the current). */
interface RunPlan {
  /** the newest unfinished run of the profile */
  current: Run | undefined;
  /** resume `current`; otherwise start a new run */
  resume: boolean;
}

/**
 * Decides, from the stored runs alone, whether to resume or start. A run that never placed an order is not
 * under way: --order, --create or another scenario take it over. Throws (exit 2) before anything changes.
 */
function planRun(ctx: Context, state: ProfileState, options: TestOrderOptions, ref: OrderRef | null): RunPlan {
  const current = [...state.runs].reverse().find(isUnfinished);
  if (!current) return { current, resume: false };
  if (options.restart) return { current, resume: false };
  const otherScenario = ctx.sandbox && ctx.scenario !== null && (current.scenario ?? 'happy') !== ctx.scenario;
  if (!current.order) return { current, resume: !otherScenario };
  if (ref || options.create || otherScenario) {
    const why = ref ? '--order' : options.create ? '--create' : `--scenario ${ctx.scenario}`;
    throw new UsageError(`A test order is already under way (${current.order.name}); ${why} would start another`, {
      hint: `Resume it with ${ctx.commandLine('test-order')}, or abandon it and start again with --restart.`,
      next: [ctx.commandLine('test-order'), ctx.commandLine('test-order', '--restart')],
    });
  }
  return { current, resume: true };
}

/** The newest run that reached its end (tracking on the store, or cancelled), when nothing is unfinished. */
function lastFinished(state: ProfileState): Run | undefined {
  const newest = [...state.runs].reverse().find((r) => !r.abandoned && r.order);
  return newest && !isUnfinished(newest) ? newest : undefined;
}

export async function runTestOrder(ctx: Context, options: TestOrderOptions): Promise<CommandOutcome<ReturnType<typeof orderResult>>> {
  const ref = preflight(ctx, options);
  const before = readState(ctx);
  const firstPlan = planRun(ctx, before, options, ref);
  requireAuthorizeAnswer(ctx, options, firstPlan.resume ? firstPlan.current : undefined);
  const systems = await ctx.systems();
  requireConnections(ctx, systems);
  const reporter = ctx.reporter;
  const cmd = ctx.commandLine;
  const clock = systems.clock;
  const startedAt = clock.now();
  const deadline = ctx.timeoutMs === null ? null : startedAt + ctx.timeoutMs;
  const waitAllowed = ctx.timeoutMs !== 0;

  // Everything a new order needs is looked up before any run is started or abandoned.
  const takesOrder = !(firstPlan.resume && firstPlan.current?.order);
  const plannedId = firstPlan.resume && firstPlan.current ? firstPlan.current.id : randomUUID();
  const given = ref && takesOrder ? await resolveChannelOrder(ctx, systems, ref) : null;
  const createInput = options.create && takesOrder ? await collectCreateInput(ctx, systems, options.createFlags ?? {}, plannedId) : null;

  // Resume the newest unfinished run of this profile, or start one (the plan is judged again under the lock).
  const finished = firstPlan.current ? undefined : lastFinished(before);
  let replaced: Run | null = null;
  const { runId, startedHere } = await updateState(ctx, (state) => {
    const plan = planRun(ctx, state, options, ref);
    // a concurrent wizard may have started the run meanwhile: resume it
    if (plan.resume && plan.current) return { runId: plan.current.id, startedHere: false };
    if (plan.current) {
      // a run that never placed an order leaves nothing to keep; one that did is kept, abandoned
      replaced = structuredClone(plan.current);
      if (plan.current.order) plan.current.abandoned = true;
      else state.runs.splice(state.runs.indexOf(plan.current), 1);
    }
    const run = newRun(systems, ctx, { authorizeWithinMs: options.authorizeWithinMs });
    run.id = plannedId;
    state.runs.push(run);
    return { runId: plannedId, startedHere: true };
  });
  if (createInput) createInput.idempotencyKey = runId;
  if (finished?.order) {
    const end = finished.problems.includes('canceled') ? 'was cancelled' : `finished ${formatWhen(Date.parse(finished.stageReachedAt.tracking_synced ?? finished.lastCheckedAt ?? finished.startedAt))}`;
    reporter.info(`The test order ${finished.order.name} ${end}${finished.report ? ` (report: ${finished.report.markdown})` : ''}. Starting a new test order.`);
  }
  if (replaced && (replaced as Run).order) reporter.info(`Abandoned the test order ${(replaced as Run).order?.name}; starting a new one.`);

  let run = readState(ctx).runs.find((r) => r.id === runId) as Run;
  if (run.order) reporter.info(`Resuming the test order ${run.order.name} (started ${formatWhen(Date.parse(run.startedAt))}).`);
  if (options.authorizeWithinMs !== undefined && run.authorizeWithinMs !== options.authorizeWithinMs) {
    await updateState(ctx, (state) => {
      const stored = state.runs.find((r) => r.id === runId);
      if (stored) stored.authorizeWithinMs = options.authorizeWithinMs as number;
    });
  }

  const narrator = createStepNarrator(ctx, systems);

  // Step 1: the order.
  if (!run.order) {
    narrator.ensureHeading(1);
    const found = createInput
      ? await createTestOrder(ctx, systems, run, createInput, replaced, startedHere)
      : given ?? (await placeOrFind(ctx, systems, run, deadline));
    if (!found) {
      reporter.stopWaiting({ ok: false, text: `No new order on the store yet. Run ${cmd('test-order')} again to go on waiting.` });
      const evaluation = evaluateNow(run, systems);
      return finish(ctx, systems, run, evaluation, EXIT.pending);
    }
    ({ run } = await recordObservation(ctx, systems, runId, { at: iso(clock.now()), order: found }));
  }

  let authorizeAsked = false;
  let importHelpShown = false;
  let result: WaitResult;
  for (;;) {
    result = await waitForRun(ctx, systems, runId, {
      deadline,
      done: (evaluation) => evaluation.lastStage === 'tracking_synced',
      label: (r, evaluation) => describeWait(r, evaluation, systems, cmd),
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
              `Order Manager imports every ${om.intervalMs / 60_000} minutes on the ${om.plan} plan${om.planAssumed ? ` (assumed: set yours with ${cmd('connect', 'inventory-source', '--plan', 'PLAN')})` : ''}; this order is due by ${formatWhen(due)}.`,
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
          if (systems.portalControls) {
            if (!waitAllowed) return; // --timeout 0: authorizing is the dealer's click, not onboard's
            return (await authorizeNow(current)) ? 'again' : 'stop';
          }
          reporter.info('Flxpoint publishes no API to authorize payment; do it in the dealer portal:');
          reporter.block(authorizeClicks(systems, current.portal.id));
          return 'again';
        }
      },
    });
    // Over the auto-authorize maximum the person at the terminal is asked on the spot (--yes never covers it).
    const over = result.outcome === 'problem' && result.evaluation.problem === 'over_auto_authorize_limit';
    if (over && systems.portalControls && ctx.interactive && waitAllowed && !options.yes && !authorizeAsked) {
      authorizeAsked = true;
      narrator.narrate(result.run, result.evaluation, { advice: false });
      narrator.warnOnce(adviceFor('over_auto_authorize_limit', result.run, cmd).what);
      if (await authorizeNow(result.run)) continue;
    }
    break;
  }
  run = result.run;
  narrator.narrate(run, result.evaluation);

  if (result.outcome === 'problem') {
    reporter.stopWaiting({ ok: false, text: `Needs attention: ${PROBLEM_WORDS[result.evaluation.problem as Problem] ?? result.evaluation.problem}` });
    return finish(ctx, systems, run, result.evaluation, EXIT.attention);
  }
  if (result.outcome === 'stopped') return finish(ctx, systems, run, result.evaluation, EXIT.pending);
  if (result.outcome === 'timeout' || result.evaluation.lastStage !== 'tracking_synced') {
    const spent = clock.now() - startedAt;
    const waited = spent >= 60_000 ? ` after ${formatSpan(spent)} of waiting` : '';
    reporter.stopWaiting({ ok: false, text: `Not finished yet${waited}. ${describeWait(run, result.evaluation, systems, cmd)}. Run ${cmd('test-order', ...(options.yes ? ['--yes'] : []))} again to resume.` });
    return finish(ctx, systems, run, result.evaluation, EXIT.pending);
  }
  // Step 6 was completed by the lifecycle when the tracking reached the store (report written); narrated above.
  reporter.stopWaiting();
  return finish(ctx, systems, run, result.evaluation, EXIT.ok);

  /** Step 4 where the portal can be driven: the one confirmation, then the click. */
  async function authorizeNow(current: Run): Promise<boolean> {
    const portalControls = systems.portalControls as PortalControls;
    const approved = await confirmAuthorize(ctx, current, options.yes);
    if (!approved) {
      reporter.warn(`Not authorized. When you are ready: ${cmd('authorize', current.order?.number ?? '<order>')}`);
      return false;
    }
    const outcome = await portalControls.authorize(current.portal!.id);
    await recordObservation(ctx, systems, runId, { at: iso(clock.now()), authorizedByOnboard: !outcome.alreadyAuthorized });
    reporter.success(outcome.alreadyAuthorized ? 'The portal already had the payment authorized.' : `Clicked "Authorize Order for Payment" for ${authorizeAmount(current)}.`);
    return true;
  }
}

/** The wizard reads the store and the dealer portal; say which is missing before any state is touched. */
function requireConnections(ctx: Context, systems: Systems): void {
  const missing = [!systems.channel && 'your store', !systems.portal && 'the dealer portal'].filter(Boolean);
  if (missing.length === 0) return;
  throw new NotConnectedError(`The test order needs ${missing.join(' and ')} connected`, {
    hint: 'Try the whole walk on the sandbox first, or connect your systems.',
    next: [
      ctx.commandLine('test-order', '--sandbox'),
      ...(systems.channel ? [] : [ctx.commandLine('connect', 'shopify', '--store', 'NAME.myshopify.com')]),
      ...(systems.portal ? [] : [ctx.commandLine('connect', 'flxpoint', '--portal-url', 'URL', '--supplier-email', 'ADDRESS')]),
      ctx.commandLine('connect', 'inventory-source', '--plan', 'PLAN'),
    ],
  });
}

async function placeOrFind(ctx: Context, systems: Systems, run: Run, deadline: number | null): Promise<ChannelOrder | null> {
  const channel = systems.channel;
  if (!channel) throw new UsageError('No sales channel is connected');
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
      throwIfCancelled(ctx.signal);
      const found = await channel.findFirstOrderSince(run.startedAt);
      if (found) return found;
      await realSleep(100, ctx.signal);
    }
  } else {
    ctx.reporter.info('Place a small, low-dollar order on your store now, as a customer would (it will really ship).');
    ctx.reporter.info('onboard watches for the first order created after this run began.');
  }
  for (;;) {
    throwIfCancelled(ctx.signal);
    const found = await channel.findFirstOrderSince(run.startedAt);
    if (found) return found;
    const now = systems.clock.now();
    if (deadline !== null && now >= deadline) return null;
    const delay = Math.min(ctx.pollIntervalMs ?? 15_000, deadline === null ? Infinity : deadline - now);
    ctx.reporter.waiting('Waiting for a new order on the store', `next look ${formatClock(now + delay)}`);
    await systems.clock.sleep(delay, ctx.signal);
  }
}

/**
 * --create: one process claims the placement; a resumed run first looks for the order it placed before.
 * When the store refuses the order nothing was placed, so nothing of this invocation is kept: a run it started
 * is removed (and the run it replaced restored), a resumed run's claim is released.
 */
async function createTestOrder(ctx: Context, systems: Systems, run: Run, input: CreateOrderInput, replaced: Run | null, startedHere: boolean): Promise<ChannelOrder | null> {
  if (await claimPlacement(ctx, run.id)) {
    ctx.reporter.info(`Placing the test order on ${SYSTEM_LABELS[systems.channel!.system]} by API (once: a retry looks for it first).`);
    try {
      return await createOrFindOrder(systems, input, run.startedAt);
    } catch (error) {
      if (error instanceof OnboardError && (error.code === 'bad_input' || error.code === 'usage')) {
        await updateState(ctx, (state) => {
          const index = state.runs.findIndex((r) => r.id === run.id);
          if (index < 0) return;
          if (!startedHere) {
            state.runs[index].placementClaimedAt = null;
            return;
          }
          state.runs.splice(index, 1);
          if (!replaced) return;
          const kept = state.runs.find((r) => r.id === replaced.id);
          if (kept) kept.abandoned = replaced.abandoned;
          else state.runs.push(replaced);
        });
      }
      throw error;
    }
  }
  ctx.reporter.info('Another onboard process is placing this test order; waiting for it on the store.');
  for (const started = Date.now(); Date.now() - started < PLACEMENT_CLAIM_STALE_MS; ) {
    throwIfCancelled(ctx.signal);
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

function finish(ctx: Context, systems: Systems, run: Run, evaluation: Evaluation, exitCode: number) {
  return { result: orderResult(run, evaluation, systems, ctx.commandLine), exitCode };
}

