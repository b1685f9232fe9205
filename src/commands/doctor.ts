// `onboard doctor [--fix] [--bundle FILE] [--force] [--include-customer-data]`: the checks, with fixes; exit 0
// when all pass, 1 otherwise, printing the result (and its `checks` under --json) either way. `--fix` moves
// damaged files aside, saying where.
import { runDoctor, type DoctorResult } from '../core/services/doctor.js';
import { VERSION } from '../version.js';
import type { Style } from '../ui/style.js';
import type { CommandModule } from './types.js';

export function renderDoctor(result: DoctorResult, style: Style): string {
  const lines: string[] = [];
  for (const check of result.checks) {
    lines.push(`${check.ok ? style.green('✔') : style.red('✖')} ${style.bold(check.system)}: ${check.message}`);
    if (!check.ok && check.fix) lines.push(`    ${style.dim('fix:')} ${check.fix}`);
  }
  const failing = result.checks.filter((check) => !check.ok).length;
  lines.push(failing === 0 ? 'Every check passed.' : `${failing} check${failing === 1 ? '' : 's'} failed.`);
  if (result.bundle) {
    lines.push(`Support bundle written to ${result.bundle} (secrets removed, customer data ${result.customerData === 'included' ? 'included' : 'masked'}).`);
  }
  return lines.join('\n');
}

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
