// The profile's records (settings and runs) in the current world, read and updated under the profile lock.
// Apart from the runs and the readings of the systems, so a command that only reads or sets settings loads no lifecycle code.
import { existsSync } from 'node:fs';
import * as z from 'zod/mini';
import type { Context } from './context.js';
import { stateSchema, type ProfileState, type Run } from './lifecycle/record.js';
import type { DocumentStore } from './store.js';

/** The sandbox world's clock, as its record holds it (virtual: it moves only while a sandbox command waits). */
const worldClockSchema = z.object({ world: z.optional(z.looseObject({ now: z.number() })) });

/**
 * The sandbox's time now, read from its record without starting it (a reading command starts nothing), or null
 * when there is no world yet.
 */
export function sandboxWorldNow(store: DocumentStore): number | null {
  if (!existsSync(store.filePath('sandbox', 'world'))) return null;
  return store.read('sandbox', 'world', worldClockSchema).world?.now ?? null;
}

export function readState(ctx: Context): ProfileState {
  return ctx.store.read(ctx.namespace, 'state', stateSchema);
}

export async function updateState<R>(ctx: Context, mutate: (state: ProfileState) => R): Promise<R> {
  const { result } = await ctx.store.update(ctx.namespace, 'state', stateSchema, mutate);
  return result;
}

/** One recorded run as stored now, or undefined when it is not (or no longer) recorded. */
export function readRun(ctx: Context, runId: string): Run | undefined {
  return readState(ctx).runs.find((r) => r.id === runId);
}

/** Changes one recorded run under the lock; a run no longer recorded is left alone (undefined). */
export async function updateRun<R>(ctx: Context, runId: string, mutate: (run: Run) => R): Promise<R | undefined> {
  return updateState(ctx, (state) => {
    const run = state.runs.find((r) => r.id === runId);
    return run ? mutate(run) : undefined;
  });
}
