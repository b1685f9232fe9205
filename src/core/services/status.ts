// `onboard status [--all-profiles]`: every tracked order of this profile (or of every profile), its stage, what
// it waits for, since when, and the earliest time a read could show progress. Reads the records only, each
// profile under its own lock; no vendor is called and nothing is written.
import { existsSync } from 'node:fs';
import { sandboxWorldNow } from '../state.js';
import { storedPlanSchema } from '../credentials.js';
import type { DocumentStore, Namespace } from '../store.js';
import type { Context } from '../context.js';
import { EXIT, OnboardError } from '../errors.js';
import { evaluate } from '../lifecycle/machine.js';
import { stateSchema, type ProfileState, type Run } from '../lifecycle/record.js';
import { PLAN_INTERVAL_MS } from '../ports.js';
import { iso } from '../clock.js';
import { pollDelay } from '../poll-plan.js';
import type { CommandOutcome } from './outcome.js';

export interface StatusRow {
  /** only with --all-profiles */
  profile?: string;
  number: string | null;
  name: string | null;
  stage: string | null;
  problem: string | null;
  waitingFor: string | null;
  /** since when the order has been at this stage (or held by this problem), ISO UTC */
  since: string | null;
  nextCheckAt: string | null;
  abandoned: boolean;
  startedAt: string;
  lastCheckedAt: string | null;
  runId: string;
}

export interface StatusResult {
  orders: StatusRow[];
  /** the profiles read (--all-profiles), else this one */
  profiles: string[];
  sandbox: boolean;
  /** profiles that could not be read, with why */
  errors: { profile: string; message: string }[];
  /** a hint when nothing is tracked here but the other world has runs */
  hint: string | null;
}

interface ProfileReading {
  state: ProfileState;
  now: number;
  intervalMs: number;
}

function readProfile(store: DocumentStore, namespace: Namespace): ProfileReading {
  const state = store.read(namespace, 'state', stateSchema);
  if (namespace === 'sandbox') {
    // the world's clock under --sandbox, else the wall clock
    return { state, now: sandboxWorldNow(store) ?? Date.now(), intervalMs: PLAN_INTERVAL_MS.plus };
  }
  const plan = store.read('real', 'credentials', storedPlanSchema)['inventory-source']?.plan ?? 'basic';
  return { state, now: Date.now(), intervalMs: PLAN_INTERVAL_MS[plan] };
}

/** Reads one profile under its lock; a profile with no folder has nothing tracked (and none is created). */
async function readLocked(store: DocumentStore, namespace: Namespace): Promise<ProfileReading | null> {
  if (!existsSync(store.dir)) return null;
  return store.readLocked(() => readProfile(store, namespace));
}

function since(run: Run, problem: string | null): string | null {
  if (problem) {
    const shown = [...run.events].reverse().find((e) => e.kind === 'problem' && e.evidence.problem === problem);
    if (shown) return shown.at;
  }
  return (run.lastStage ? run.stageReachedAt[run.lastStage] : null) ?? run.startedAt;
}

export function statusRows(reading: ProfileReading, pollIntervalMs: number | null): StatusRow[] {
  const { now, intervalMs } = reading;
  return reading.state.runs
    .map((run): StatusRow => {
      const evaluation = evaluate(run, { now, planIntervalMs: intervalMs });
      let nextCheckAt: string | null = null;
      if (!run.abandoned && evaluation.waitingFor && evaluation.waitingFor !== 'person') {
        const base = Math.max(now, run.lastCheckedAt ? Date.parse(run.lastCheckedAt) : now);
        let next = Date.parse(run.lastCheckedAt ?? iso(now)) + pollDelay(evaluation.waitingFor, 0, pollIntervalMs, intervalMs);
        if (evaluation.waitingFor === 'import' && run.order) next = Math.max(next, Date.parse(run.order.createdAt) + intervalMs);
        nextCheckAt = iso(Math.max(next, base));
      }
      return {
        number: run.order?.number ?? null,
        name: run.order?.name ?? null,
        stage: evaluation.stage,
        problem: evaluation.problem,
        waitingFor: run.abandoned ? null : evaluation.waitingFor,
        since: run.abandoned ? null : since(run, evaluation.problem),
        nextCheckAt,
        abandoned: run.abandoned,
        startedAt: run.startedAt,
        lastCheckedAt: run.lastCheckedAt,
        runId: run.id,
      };
    })
    .reverse();
}

function runCount(store: DocumentStore, namespace: Namespace): number {
  try {
    return existsSync(store.filePath(namespace, 'state')) ? store.read(namespace, 'state', stateSchema).runs.length : 0;
  } catch {
    return 0;
  }
}

export async function runStatus(ctx: Context, options: { allProfiles?: boolean } = {}): Promise<CommandOutcome<StatusResult>> {
  const profiles = options.allProfiles ? ctx.profiles.names() : [ctx.profile];
  const orders: StatusRow[] = [];
  const errors: StatusResult['errors'] = [];
  for (const profile of profiles) {
    const store = ctx.profiles.open(profile);
    let reading: ProfileReading | null;
    try {
      reading = await readLocked(store, ctx.namespace);
    } catch (error) {
      if (!options.allProfiles) throw error;
      // one damaged or unreadable profile does not hide the others
      errors.push({ profile, message: error instanceof OnboardError || error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (!reading) continue;
    const rows = statusRows(reading, ctx.pollIntervalMs);
    orders.push(...(options.allProfiles ? rows.map((row) => ({ profile, ...row })) : rows));
  }

  let hint: string | null = null;
  if (orders.length === 0 && !ctx.sandbox) {
    const sandboxRuns = profiles.reduce((n, p) => n + runCount(ctx.profiles.open(p), 'sandbox'), 0);
    if (sandboxRuns > 0) {
      const command = ctx.commandLine('status', ...(options.allProfiles ? ['--all-profiles'] : []), '--sandbox');
      hint = `No orders on your real systems; the sandbox has ${sandboxRuns === 1 ? 'one run' : `${sandboxRuns} runs`}: ${command}`;
    }
  }
  return { result: { orders, profiles, sandbox: ctx.sandbox, errors, hint }, exitCode: EXIT.ok };
}
