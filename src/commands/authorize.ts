import { runAuthorize } from '../core/services/authorize.js';
import { renderAuthorize } from '../ui/render.js';
import type { CommandModule } from './types.js';

const authorize: CommandModule = async (ctx, positional, options) => {
  const outcome = await runAuthorize(ctx, { order: positional[0] ?? '', yes: options.yes === true, watch: options.watch === true });
  return { ...outcome, render: (style) => renderAuthorize(outcome.result, style) };
};
export default authorize;
