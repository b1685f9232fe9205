// The six-step wizard (spec §1, §5). Flags first; the prompter fills gaps on a terminal. Every step is
// recorded as it happens, so running it again resumes where it stopped.
import { randomUUID } from 'node:crypto';
import { adviceFor, shippingMappingSteps } from '../advice.js';
import { authorizePayment, requireAuthorizeAnswer } from '../authorize-payment.js';
import { iso } from '../clock.js';
import { resumeWords } from '../command-line.js';
import { CREATE_FLAGS, type CreateOrderFlags } from '../create-flags.js';
import type { Context, Systems } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { notConnected } from '../not-connected.js';
import { parseOrderRef, type OrderRef } from '../identity.js';
import { autoAuthorizeCovers, isBelow, type Evaluation } from '../lifecycle/machine.js';
import type { Problem, ProfileState, Run } from '../lifecycle/record.js';
import { formatSpan, formatWhen } from '../local-time.js';
import { createStepNarrator } from '../narrate.js';
import { evaluateNow, recordObservation } from '../observe-systems.js';
import { findFinishedRun, isUnfinished, newRun } from '../runs.js';
import { readRun, readState, updateRun, updateState } from '../state.js';
import { orderResult } from '../views.js';
import { describeWait, waitForRun } from '../waiting.js';
import { PROBLEM_WORDS } from '../words.js';
import { collectCreateInput, preflightCreate } from './create-order.js';
import { resolveChannelOrder } from './resolve.js';
import type { CommandOutcome } from './outcome.js';
import { createTestOrder, placeOrFindOrder } from './test-order-placement.js';

export interface TestOrderOptions {
  order?: string;
  create?: boolean;
  /** the order's details for --create */
  createFlags?: CreateOrderFlags;
  yes: boolean;
  restart: boolean;
  authorizeWithinMs?: number;
}

/** Checks what the flags alone can tell, before anything is read or touched. */
function preflight(ctx: Context, options: TestOrderOptions): OrderRef | null {
  if (options.create && options.order) throw new UsageError('--create and --order contradict each other', { hint: 'Pass one of them.' });
  // the order's details only mean something to --create: given without it they would be silently ignored
  const given = (Object.keys(CREATE_FLAGS) as (keyof CreateOrderFlags)[]).filter((key) => options.createFlags?.[key] !== undefined);
  if (!options.create && given.length > 0) {
    const flags = given.map((key) => CREATE_FLAGS[key]);
    throw new UsageError(
      `${flags.join(', ')} ${flags.length === 1 ? 'describes' : 'describe'} the order --create places; without --create ${flags.length === 1 ? 'it is' : 'they are'} not used`,
      {
        hint: `Add --create: ${ctx.commandLine(...ctx.argv, '--create')}`,
      },
    );
  }
  const ref = options.order ? parseOrderRef(options.order) : null;
  if (options.create) preflightCreate(ctx, options.createFlags ?? {});
  return ref;
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
      hint: `Resume it with ${ctx.commandLine(...resumeWords(ctx.argv))}, or abandon it and start again: ${ctx.commandLine(...ctx.argv, '--restart')}`,
      next: [ctx.commandLine(...resumeWords(ctx.argv)), ctx.commandLine(...ctx.argv, '--restart')],
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
  // an order whose test order already finished is not run a second time (nor is the run under way abandoned for it)
  const done = ref ? findFinishedRun(before, ref) : undefined;
  if (done) return alreadyFinished(ctx, options, done);
  const firstPlan = planRun(ctx, before, options, ref);
  // onboard authorizes nothing with `--timeout 0` (it is the dealer's click) nor on a resumed run already past it
  const resumed = firstPlan.resume ? firstPlan.current : undefined;
  requireAuthorizeAnswer(ctx, {
    yes: options.yes,
    authorizes: ctx.timeoutMs !== 0 && !(resumed && !isBelow(resumed.lastStage, 'authorized')),
    hint: 'Run it in a terminal without --json or --no-input to be asked, or pass --yes (it never authorizes above your auto-authorize maximum).',
  });
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

  const { run: started, startedHere, replaced } = await startOrResume(ctx, systems, options, ref, before, firstPlan, plannedId);
  let run = started;
  const runId = run.id;
  if (createInput) createInput.idempotencyKey = runId;

  const narrator = createStepNarrator(ctx, systems);

  // Step 1: the order.
  if (!run.order) {
    narrator.ensureHeading(1);
    const found = createInput
      ? await createTestOrder(ctx, systems, run, createInput, replaced, startedHere)
      : (given ?? (await placeOrFindOrder(ctx, systems, run, deadline)));
    if (!found) {
      reporter.stopWaiting({ ok: false, text: `No new order on the store yet. Run ${cmd(...resumeWords(ctx.argv))} again to go on waiting.` });
      const evaluation = evaluateNow(run, systems);
      return finish(ctx, systems, run, evaluation, EXIT.pending);
    }
    ({ run } = await recordObservation(ctx, systems, runId, { at: iso(clock.now()), order: found }));
  }

  let authorizeAsked = false;
  let importHelpShown = false;
  // Steps 2 to 6: looks until the tracking is on the store, a problem holds, or the deadline passes.
  const untilTracking = () =>
    waitForRun(ctx, systems, runId, {
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
            showImportHelp(ctx, systems, current);
          }
          return;
        }
        if (stage === 'in_portal' && current.portal && current.portal.fulfillmentRequests.length === 0) {
          const covers = autoAuthorizeCovers(current);
          if (covers === true || authorizeAsked) return;
          authorizeAsked = true;
          reporter.stopWaiting();
          narrator.ensureHeading(4);
          if (systems.portalControls && !waitAllowed) return; // --timeout 0: authorizing is the dealer's click, not onboard's
          return (await authorizePayment(ctx, systems, current, { yes: options.yes })) === 'declined' ? 'stop' : 'again';
        }
      },
    });
  let result = await untilTracking();
  // Over the auto-authorize maximum the person at the terminal is asked on the spot (--yes never covers it).
  const over = result.outcome === 'problem' && result.evaluation.problem === 'over_auto_authorize_limit';
  if (over && systems.portalControls && ctx.interactive && waitAllowed && !options.yes && !authorizeAsked) {
    authorizeAsked = true;
    narrator.narrate(result.run, result.evaluation, { advice: false });
    narrator.warnOnce(adviceFor('over_auto_authorize_limit', result.run, cmd).what);
    if ((await authorizePayment(ctx, systems, result.run, { yes: false })) === 'clicked') result = await untilTracking();
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
    reporter.stopWaiting({
      ok: false,
      text: `Not finished yet${waited}. ${describeWait(run, result.evaluation, systems, cmd)}. Run ${cmd(...resumeWords(ctx.argv))} again to resume.`,
    });
    return finish(ctx, systems, run, result.evaluation, EXIT.pending);
  }
  // Step 6 was completed by the lifecycle when the tracking reached the store (report written); narrated above.
  reporter.stopWaiting();
  return finish(ctx, systems, run, result.evaluation, EXIT.ok);
}

/**
 * Resumes the newest unfinished run of the profile, or starts one (abandoning or dropping the current one), and
 * says which. The plan is judged again under the lock: a concurrent wizard may have started the run meanwhile.
 */
async function startOrResume(
  ctx: Context,
  systems: Systems,
  options: TestOrderOptions,
  ref: OrderRef | null,
  before: ProfileState,
  firstPlan: RunPlan,
  plannedId: string,
): Promise<{ run: Run; startedHere: boolean; replaced: Run | null }> {
  const finished = firstPlan.current ? undefined : lastFinished(before);
  const { runId, startedHere, replaced } = await updateState(ctx, (state) => {
    const plan = planRun(ctx, state, options, ref);
    if (plan.resume && plan.current) return { runId: plan.current.id, startedHere: false, replaced: null };
    let replaced: Run | null = null;
    if (plan.current) {
      // a run that never placed an order leaves nothing to keep; one that did is kept, abandoned
      replaced = structuredClone(plan.current);
      if (plan.current.order) plan.current.abandoned = true;
      else state.runs.splice(state.runs.indexOf(plan.current), 1);
    }
    const run = newRun(systems, ctx, { authorizeWithinMs: options.authorizeWithinMs });
    run.id = plannedId;
    state.runs.push(run);
    return { runId: plannedId, startedHere: true, replaced };
  });
  const reporter = ctx.reporter;
  if (finished?.order) reporter.info(`The test order ${finished.order.name} ${endWords(finished)}. Starting a new test order.`);
  // --create: a store that refuses the new order puts the old run back, so it is abandoned only once the order exists
  if (replaced?.order) {
    reporter.info(
      options.create
        ? `Starting a new test order; ${replaced.order.name} is abandoned once the store takes the new one.`
        : `Abandoned the test order ${replaced.order.name}; starting a new one.`,
    );
  }

  const run = readRun(ctx, runId) as Run;
  if (run.order) reporter.info(`Resuming the test order ${run.order.name} (started ${formatWhen(Date.parse(run.startedAt))}).`);
  if (options.authorizeWithinMs !== undefined && run.authorizeWithinMs !== options.authorizeWithinMs) {
    await updateRun(ctx, runId, (stored) => {
      stored.authorizeWithinMs = options.authorizeWithinMs as number;
    });
  }
  return { run, startedHere, replaced };
}

/** How a finished run ended, with its report: `finished <when> (report: PATH)` or `was cancelled`. */
function endWords(run: Run): string {
  const end = run.problems.includes('canceled')
    ? 'was cancelled'
    : `finished ${formatWhen(Date.parse(run.stageReachedAt.tracking_synced ?? run.lastCheckedAt ?? run.startedAt))}`;
  return `${end}${run.report ? ` (report: ${run.report.markdown})` : ''}`;
}

/**
 * `--order` naming an order whose test order already finished: says so and shows that run as recorded; no run is
 * started, resumed or abandoned (also with --restart). Exit 0, or 3 when it ended cancelled.
 */
async function alreadyFinished(ctx: Context, options: TestOrderOptions, run: Run): Promise<CommandOutcome<ReturnType<typeof orderResult>>> {
  const systems = await ctx.systems();
  requireConnections(ctx, systems);
  const name = run.order?.name ?? 'this order';
  const end = endWords(run);
  ctx.reporter.info(`The test order ${name} ${end.startsWith('was ') ? `was already ${end.slice(4)}` : `already ${end}`}; no new run is started for it.`);
  if (options.restart)
    ctx.reporter.info(`--restart does not run a finished order again. To start a new test order: ${ctx.commandLine('test-order', '--restart')}`);
  const evaluation = evaluateNow(run, systems);
  return finish(ctx, systems, run, evaluation, evaluation.problem ? EXIT.attention : EXIT.ok);
}

/** Where Order Manager cannot be driven: when the import is due, how to press Order Sync, and the usual first-order snag. */
function showImportHelp(ctx: Context, systems: Systems, run: Run): void {
  const om = systems.orderManager;
  const due = Date.parse(run.order?.createdAt ?? run.startedAt) + om.intervalMs;
  const reporter = ctx.reporter;
  reporter.stopWaiting();
  reporter.info(
    `Order Manager imports every ${om.intervalMs / 60_000} minutes on the ${om.plan} plan${om.planAssumed ? ` (assumed: set yours with ${ctx.commandLine('connect', 'inventory-source', '--plan', 'PLAN')})` : ''}; this order is due by ${formatWhen(due)}.`,
  );
  reporter.info('Inventory Source publishes no API for Order Sync. To import now: Inventory Source → Order Manager → "Order Sync".');
  reporter.info(`On a first order a red RESOLVE there usually means the shipping title "${run.order?.shippingTitle ?? ''}" is not mapped yet:`);
  reporter.block(shippingMappingSteps(run.order?.shippingTitle ?? null).map((line, i) => `${i + 1}. ${line}`));
}

/** The wizard reads the store and the dealer portal; say which is missing before any state is touched. */
function requireConnections(ctx: Context, systems: Systems): void {
  if (systems.channel && systems.portal) return;
  throw notConnected(
    ctx,
    { channel: !systems.channel, portal: !systems.portal, planAssumed: systems.orderManager.planAssumed },
    ctx.commandLine('test-order', '--sandbox'),
  );
}

function finish(ctx: Context, systems: Systems, run: Run, evaluation: Evaluation, exitCode: number) {
  return { result: orderResult(run, evaluation, systems, ctx.commandLine), exitCode };
}
