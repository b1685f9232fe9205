import { zoneFromEnv } from '../core/local-time.js';
import { runStatus } from '../core/services/status.js';
import { renderStatusTable } from '../ui/status-table.js';
import type { CommandModule } from './types.js';

const status: CommandModule = async (ctx, _positional, options) => {
  const allProfiles = options.allProfiles === true;
  const outcome = await runStatus(ctx, { allProfiles });
  const { orders, profiles, errors } = outcome.result;
  // JSON: the orders (each with its profile under --all-profiles), the profiles read, and those that could not be
  const json = { orders, ...(allProfiles ? { profiles } : {}), ...(errors.length ? { errors } : {}) };
  const start = `${ctx.commandLine('test-order')}${ctx.sandbox ? '' : ` (or ${ctx.commandLine('test-order', '--sandbox')} to try it)`}`;
  return {
    result: json,
    exitCode: outcome.exitCode,
    render: (style) =>
      renderStatusTable(outcome.result, style, {
        allProfiles,
        timeZone: zoneFromEnv(ctx.env),
        start,
        columns: ctx.io.stdout.isTTY ? ctx.io.stdout.columns : undefined,
      }),
  };
};
export default status;
