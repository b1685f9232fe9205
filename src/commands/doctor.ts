// `onboard doctor [--fix] [--bundle FILE] [--force] [--include-customer-data]`: the checks, with fixes; exit 0
// when all pass, 1 otherwise, printing the result (and its `checks` under --json) either way. `--fix` moves
// damaged files aside, saying where.
import { runDoctor } from '../core/services/doctor.js';
import { VERSION } from '../version.js';
import { renderDoctor } from '../ui/render.js';
import type { CommandModule } from './types.js';

const doctor: CommandModule = async (ctx, _positional, options) => {
  const outcome = await runDoctor(ctx, {
    bundle: typeof options.bundle === 'string' ? options.bundle : null,
    force: options.force === true,
    includeCustomerData: options.includeCustomerData === true,
    fix: options.fix === true,
    version: VERSION,
  });
  return { ...outcome, render: (style) => renderDoctor(outcome.result, style) };
};
export default doctor;
