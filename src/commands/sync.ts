import { runSync } from '../core/services/sync.js';
import { renderSync } from '../ui/render.js';
import type { CommandModule } from './types.js';

const sync: CommandModule = async (ctx, _positional, options) => {
  const outcome = await runSync(ctx, { force: options.force === true });
  return { ...outcome, render: (style) => renderSync(outcome.result, style) };
};
export default sync;
