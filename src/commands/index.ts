// Each command's module, loaded only when that command runs. The command table (src/program.ts) names them.
import type { CommandName } from '../program.js';
import type { CommandModule } from './types.js';

type Loader = () => Promise<{ default: CommandModule }>;

export const COMMAND_MODULES = {
  'test-order': () => import('./test-order.js'),
  sync: () => import('./sync.js'),
  authorize: () => import('./authorize.js'),
  settings: () => import('./settings.js'),
  track: () => import('./track.js'),
  status: () => import('./status.js'),
  report: () => import('./report.js'),
  connect: () => import('./connect.js'),
  disconnect: () => import('./disconnect.js'),
  orders: () => import('./orders.js'),
  doctor: () => import('./doctor.js'),
  completion: () => import('./completion.js'),
  complete: async () => ({ default: (await import('./completion.js')).complete }),
  'sandbox serve': () => import('./sandbox-serve.js'),
  'sandbox reset': () => import('./sandbox-reset.js'),
} satisfies Record<CommandName, Loader>;
