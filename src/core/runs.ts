// The profile's runs (one per test order or tracked order): starting one, and finding one in the records.
import { randomUUID } from 'node:crypto';
import { iso } from './clock.js';
import type { Context, Systems } from './context.js';
import { NotFoundError, UsageError } from './errors.js';
import { normalizeOrderNumber, type OrderRef } from './identity.js';
import type { ProfileState, Run } from './lifecycle/record.js';

const DAY = 86_400_000;

/** A run as it starts: nothing read yet. */
export function newRun(systems: Systems, ctx: Context, options: { authorizeWithinMs?: number }): Run {
  return {
    id: randomUUID(),
    startedAt: iso(systems.clock.now()),
    channel: systems.channel?.system ?? 'shopify',
    scenario: ctx.sandbox ? ctx.scenario : null,
    authorizeWithinMs: options.authorizeWithinMs ?? DAY,
    abandoned: false,
    order: null,
    importStatus: null,
    portal: null,
    portalCursor: null,
    shipments: [],
    shipmentsObservedAt: null,
    autoAuthorize: null,
    forceSyncPressedAt: null,
    placementClaimedAt: null,
    authorizedByOnboardAt: null,
    lastStage: null,
    stageReachedAt: {},
    problems: [],
    report: null,
    email: null,
    lastCheckedAt: null,
    events: [],
  };
}

/** The recorded run with this id; a run removed meanwhile is NotFoundError. */
export function runById(state: ProfileState, id: string): Run {
  const run = state.runs.find((r) => r.id === id);
  if (!run) throw new NotFoundError(`Run ${id} is no longer recorded`);
  return run;
}

/** Neither abandoned nor at its end (tracking on the store, or the order cancelled). */
export function isUnfinished(run: Run): boolean {
  return !run.abandoned && run.lastStage !== 'tracking_synced' && !run.problems.includes('canceled');
}

/** Finds a tracked run by `1001`, `#1001` or `portal:ID` (newest first). */
export function findTrackedRun(state: ProfileState, ref: OrderRef): Run | undefined {
  const runs = [...state.runs].reverse();
  if (ref.kind === 'portal') return runs.find((r) => r.portal?.id === ref.portalId);
  return runs.find((r) => r.order && normalizeOrderNumber(r.order.number) === ref.number);
}

/** The newest run of `ref` that is not abandoned, when it has reached its end (tracking on the store, or cancelled). */
export function findFinishedRun(state: ProfileState, ref: OrderRef): Run | undefined {
  const live: ProfileState = { ...state, runs: state.runs.filter((r) => !r.abandoned) };
  const newest = findTrackedRun(live, ref);
  return newest && !isUnfinished(newest) ? newest : undefined;
}

/** The command that makes an abandoned run's order the test order again (abandoning the one under way, if any). */
export function followAgainCommand(ctx: Context, run: Run): string {
  return ctx.commandLine('test-order', '--order', run.order?.number ?? '<order>', '--restart');
}

/** `authorize` never pays for an abandoned test order: exit 2, naming it and how to follow it again. */
export function abandonedRefusal(ctx: Context, run: Run): UsageError {
  const again = followAgainCommand(ctx, run);
  return new UsageError(
    `The test order ${run.order?.name ?? 'for this order'} was abandoned (another test order replaced it), so onboard does not authorize its payment`,
    {
      hint: `To make it the test order again: ${again}`,
      next: [again],
    },
  );
}
