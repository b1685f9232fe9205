// The profile's records (settings and runs) in the current world, read and updated under the profile lock.
// Apart from the runs and the readings of the systems, so a command that only reads or sets settings loads no lifecycle code.
import type { Context } from './context.js';
import { stateSchema, type ProfileState } from './lifecycle/record.js';

export function readState(ctx: Context): ProfileState {
  return ctx.store.read(ctx.namespace, 'state', stateSchema);
}

export async function updateState<R>(ctx: Context, mutate: (state: ProfileState) => R): Promise<R> {
  const { result } = await ctx.store.update(ctx.namespace, 'state', stateSchema, mutate);
  return result;
}
