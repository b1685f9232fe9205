// The one prompt boundary: the only file that loads @inquirer/prompts. When onboard may not prompt it throws
// InputRequiredError naming the flag that answers, and never touches stdin.
import { CancelledError, InputRequiredError } from '../core/errors.js';
import type { Prompter } from '../core/interaction.js';
import type { IO } from './io.js';

function isExitPrompt(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

export function createPrompter(io: IO, interactive: boolean, signal?: AbortSignal): Prompter {
  const context = { input: io.stdin, output: io.stderr, clearPromptOnDone: false, signal };
  const ask = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isExitPrompt(error)) throw new CancelledError('SIGINT');
      throw error;
    }
  };
  return {
    interactive,
    async confirm({ message, default: fallback, flag }) {
      if (!interactive) throw new InputRequiredError(message.replace(/\?$/, ''), [flag]);
      const { confirm } = await import('@inquirer/prompts');
      return ask(() => confirm({ message, default: fallback ?? true }, context));
    },
    async input({ message, default: fallback, flag, validate }) {
      if (!interactive) throw new InputRequiredError(message.replace(/[?:]$/, ''), [flag]);
      const { input } = await import('@inquirer/prompts');
      return ask(() => input({ message, default: fallback, validate }, context));
    },
  };
}
