import { runStatus } from '../core/services/status.js';
import { renderStatus } from '../ui/render.js';
import type { CommandModule } from './types.js';

const status: CommandModule = async (ctx) => {
  const outcome = await runStatus(ctx);
  return { ...outcome, render: (style) => renderStatus(outcome.result, style) };
};
export default status;
