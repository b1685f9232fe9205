// `onboard sandbox reset`: deletes the profile's sandbox world (store, portal, clock, settings) and its
// sandbox records. Asks on a terminal; --yes skips the question; without a terminal it needs --yes.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from './types.js';

const reset: CommandModule = async (ctx, _positional, options) => {
  const confirmed =
    options.yes === true ||
    (await ctx.prompter.confirm({ message: `Delete the sandbox world and sandbox records of profile "${ctx.profile}"?`, default: false, flag: '--yes' }));
  if (!confirmed) {
    return { result: { reset: false, profile: ctx.profile }, exitCode: 8, render: () => 'Nothing deleted.' };
  }
  await ctx.store.withLock(() => {
    for (const name of ['world', 'state'] as const) rmSync(ctx.store.filePath('sandbox', name), { force: true });
    rmSync(join(ctx.store.namespaceDir('sandbox'), 'reports'), { recursive: true, force: true });
  });
  return {
    result: { reset: true, profile: ctx.profile },
    exitCode: 0,
    render: () => `Sandbox reset for profile "${ctx.profile}": the next sandbox order is #1001.`,
  };
};
export default reset;
