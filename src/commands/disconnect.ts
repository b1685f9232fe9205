// `onboard disconnect <system>`: forgets one system's stored credentials (exit 0 when none were stored).
import { parseSystem, runDisconnect } from '../core/services/connect.js';
import { renderDisconnect } from '../ui/render.js';
import type { CommandModule } from './types.js';

const disconnect: CommandModule = async (ctx, positional) => {
  const system = parseSystem(positional[0]);
  const outcome = await runDisconnect(ctx, system);
  return { ...outcome, render: () => renderDisconnect(outcome.result) };
};
export default disconnect;
