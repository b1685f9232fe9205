// A command module: flags → validated options → one core call → a result and a renderer.
import type { CommandOutcome } from '../core/services/outcome.js';
import type { CliContext } from '../context.js';
import type { Style } from '../ui/style.js';

export interface CommandRun<T = unknown> extends CommandOutcome<T> {
  render: (style: Style) => string;
  /** the command wrote its own output (a long-running server's line); print nothing more */
  printed?: boolean;
}

export type CommandModule = (ctx: CliContext, positional: string[], options: Record<string, unknown>) => Promise<CommandRun>;
