import { parseDuration } from '../core/inputs.js';
import { runTrack } from '../core/services/track.js';
import { renderOrder } from '../ui/render.js';
import type { CommandModule } from './types.js';

const track: CommandModule = async (ctx, positional, options) => {
  const outcome = await runTrack(ctx, {
    order: positional[0] ?? '',
    watch: options.watch === true,
    authorizeWithinMs: typeof options.authorizeWithin === 'string' ? parseDuration(options.authorizeWithin, '--authorize-within') : undefined,
  });
  return { ...outcome, render: (style) => renderOrder(outcome.result, style, ctx.commandLine) };
};
export default track;
