import { parseDuration } from '../core/inputs.js';
import { CREATE_FLAGS, type CreateOrderFlags } from '../core/create-flags.js';
import { runTestOrder } from '../core/services/test-order.js';
import { renderOrder } from '../ui/render.js';
import type { CommandModule } from './types.js';

function createFlags(options: Record<string, unknown>): CreateOrderFlags {
  const flags: CreateOrderFlags = {};
  for (const key of Object.keys(CREATE_FLAGS) as (keyof CreateOrderFlags)[]) if (typeof options[key] === 'string') flags[key] = options[key] as string;
  return flags;
}

const testOrder: CommandModule = async (ctx, _positional, options) => {
  const outcome = await runTestOrder(ctx, {
    order: typeof options.order === 'string' ? options.order : undefined,
    create: options.create === true,
    createFlags: createFlags(options),
    yes: options.yes === true,
    restart: options.restart === true,
    authorizeWithinMs: typeof options.authorizeWithin === 'string' ? parseDuration(options.authorizeWithin, '--authorize-within') : undefined,
  });
  // the wizard narrated the advice (and its email) on stderr where the problem showed: not a second time here
  return { ...outcome, render: (style) => renderOrder({ ...outcome.result, advice: null }, style, ctx.commandLine) };
};
export default testOrder;
