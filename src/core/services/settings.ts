// `onboard settings`: the portal's "Auto Authorize Orders For Payment" and "Only Auto Authorize Up to a
// Maximum Order Total". Applied to the portal where it can be driven (sandbox); otherwise recorded locally,
// with the clicks that set them in the dealer portal.
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import type { AutoAuthorizeSettings } from '../ports.js';
import { formatMoney, type Money } from '../money.js';
import { parseMoney } from '../money.js';
import { readState, updateState } from '../state.js';
import type { CommandOutcome } from './outcome.js';

export interface SettingsChange {
  autoAuthorize?: boolean;
  /** a validated amount, or null for --no-max */
  max?: Money | null;
}

export interface SettingsResult {
  autoAuthorize: boolean;
  maxOrderTotal: string | null;
  appliedTo: 'portal' | 'local';
  changed: boolean;
  clicks: string[];
}

export function settingsClicks(settings: AutoAuthorizeSettings): string[] {
  return [
    'Click Settings at the top of the dealer portal.',
    `Set "Auto Authorize Orders For Payment" to ${settings.autoAuthorize ? 'yes' : 'no'}.`,
    settings.maxOrderTotal === null
      ? 'Clear "Only Auto Authorize Up to a Maximum Order Total".'
      : `Set "Only Auto Authorize Up to a Maximum Order Total" to ${settings.maxOrderTotal}.`,
    'Save.',
  ];
}

function display(settings: AutoAuthorizeSettings): AutoAuthorizeSettings {
  return {
    autoAuthorize: settings.autoAuthorize,
    maxOrderTotal: settings.maxOrderTotal === null ? null : formatMoney(parseMoney(settings.maxOrderTotal, 'USD')),
  };
}

function applyChange(current: AutoAuthorizeSettings, change: SettingsChange): AutoAuthorizeSettings {
  return {
    autoAuthorize: change.autoAuthorize ?? current.autoAuthorize,
    maxOrderTotal: change.max === undefined ? current.maxOrderTotal : change.max === null ? null : formatMoney(change.max),
  };
}

export async function runSettings(ctx: Context, change: SettingsChange): Promise<CommandOutcome<SettingsResult>> {
  const changing = change.autoAuthorize !== undefined || change.max !== undefined;
  // `changed`: whether the settings now differ from before (setting the same values again changes nothing)
  const differ = (a: AutoAuthorizeSettings, b: AutoAuthorizeSettings) => JSON.stringify(display(a)) !== JSON.stringify(display(b));
  if (ctx.sandbox) {
    const systems = await ctx.systems();
    const controls = systems.portalControls!;
    const current = await controls.getSettings();
    const wanted = applyChange(current, change);
    const changed = changing && differ(current, wanted);
    const next = changed ? await controls.setSettings(wanted) : current;
    return { result: { ...display(next), appliedTo: 'portal', changed, clicks: [] }, exitCode: EXIT.ok };
  }
  const { settings, changed } = changing
    ? await updateState(ctx, (state) => {
        const before = state.settings;
        state.settings = applyChange(before, change);
        return { settings: state.settings, changed: differ(before, state.settings) };
      })
    : { settings: readState(ctx).settings, changed: false };
  const shown = display(settings);
  return { result: { ...shown, appliedTo: 'local', changed, clicks: settingsClicks(shown) }, exitCode: EXIT.ok };
}
