import { parseDuration } from '../core/inputs.js';
import { runTestOrder } from '../core/services/test-order.js';
import { renderOrder } from '../ui/render.js';
import type { CommandModule } from './types.js';

const testOrder: CommandModule = async (ctx, _positional, options) => {
  const outcome = await runTestOrder(ctx, {
    order: typeof options.order === 'string' ? options.order : undefined,
    create: options.create === true,
    yes: options.yes === true,
    restart: options.restart === true,
    authorizeWithinMs: typeof options.authorizeWithin === 'string' ? parseDuration(options.authorizeWithin, '--authorize-within') : undefined,
  });
  return { ...outcome, render: (style) => renderOrder(outcome.result, style) };
};
export default testOrder;
