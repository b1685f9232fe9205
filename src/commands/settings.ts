import { UsageError } from '../core/errors.js';
import { parseAmount } from '../core/inputs.js';
import { runSettings, type SettingsChange } from '../core/services/settings.js';
import { renderSettings } from '../ui/render.js';
import type { CommandModule } from './types.js';

/** Flags are validated in full before anything is read or written. */
function settingsChange(argv: readonly string[], options: Record<string, unknown>): SettingsChange {
  if (argv.includes('--auto-authorize') && argv.includes('--no-auto-authorize')) {
    throw new UsageError('--auto-authorize and --no-auto-authorize contradict each other', { hint: 'Pass one of them.' });
  }
  const maxGiven = argv.some((a) => a === '--max' || a.startsWith('--max='));
  if (maxGiven && argv.includes('--no-max')) throw new UsageError('--max and --no-max contradict each other', { hint: 'Pass one of them.' });
  const change: SettingsChange = {};
  if (argv.includes('--auto-authorize') || argv.includes('--no-auto-authorize')) change.autoAuthorize = options.autoAuthorize === true;
  if (maxGiven) change.max = parseAmount(String(options.max ?? ''), '--max');
  else if (argv.includes('--no-max')) change.max = null;
  return change;
}

const settings: CommandModule = async (ctx, _positional, options) => {
  const change = settingsChange(ctx.argv, options);
  if (options.path === true) {
    const result = { path: ctx.configRoot };
    return { result, exitCode: 0, render: () => ctx.configRoot };
  }
  const outcome = await runSettings(ctx, change);
  return { ...outcome, render: (style) => renderSettings(outcome.result, style) };
};
export default settings;
