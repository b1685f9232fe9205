// Runs one command: builds the context, calls the command module, prints its result or error, and returns
// the exit code. Ctrl-C and SIGTERM abort the context's signal; progress is already saved after every step.
import { CancelledError, EXIT, exitCodeFor, OnboardError } from './core/errors.js';
import type { CommandModule } from './commands/types.js';
import { createCliContext } from './context.js';
import type { IO } from './ui/io.js';

export interface RunCommandInput {
  name: string;
  loader: () => Promise<{ default: CommandModule }>;
  positional: string[];
  options: Record<string, unknown>;
  argv: string[];
  env: NodeJS.ProcessEnv;
  io: IO;
  handleSignals: boolean;
}

export async function runCommand(input: RunCommandInput): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new CancelledError('SIGINT'));
  const onSigterm = () => controller.abort(new CancelledError('SIGTERM'));
  if (input.handleSignals) {
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
  }
  let ctx: Awaited<ReturnType<typeof createCliContext>> | null = null;
  try {
    ctx = await createCliContext({ command: input.name, options: input.options, argv: input.argv, env: input.env, io: input.io, signal: controller.signal });
    const module = await input.loader();
    const outcome = await module.default(ctx, input.positional, input.options);
    ctx.reporter.stopWaiting();
    if (!outcome.printed) ctx.output.result(outcome.result, outcome.render);
    return outcome.exitCode;
  } catch (raw) {
    const error = controller.signal.aborted && !(raw instanceof OnboardError && raw.code !== 'cancelled') ? (controller.signal.reason as CancelledError) : raw;
    ctx?.reporter.stopWaiting();
    if (error instanceof CancelledError) {
      const cancelled = new CancelledError(error.signal, `Cancelled. Progress is saved; resume with: ${resumeCommand(input)}`);
      printError(input, cancelled);
      return error.signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    }
    printError(input, error, ctx);
    return exitCodeFor(error);
  } finally {
    if (input.handleSignals) {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    }
    await ctx?.close();
  }
}

/** The command that picks up where a cancelled one stopped (test-order resumes its run by itself). */
function resumeCommand(input: RunCommandInput): string {
  if (input.name !== 'test-order') return ['onboard', ...input.argv].join(' ');
  const words = ['onboard', 'test-order'];
  if (input.options.sandbox) words.push('--sandbox');
  if (typeof input.options.profile === 'string') words.push('--profile', input.options.profile);
  return words.join(' ');
}

function printError(input: RunCommandInput, error: unknown, ctx?: Awaited<ReturnType<typeof createCliContext>> | null) {
  if (ctx) {
    ctx.output.error(error, ctx.verbose);
    return;
  }
  // The context could not be built (bad global flag): print plainly, honouring --json.
  const known = error instanceof OnboardError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  if (input.options.json) {
    input.io.stdout.write(`${JSON.stringify({ error: { code: known?.code ?? 'upstream_error', message, hint: known?.hint ?? null, next: known?.next ?? [] } }, null, 2)}\n`);
    input.io.stderr.write(`onboard: ${message}\n`);
  } else {
    input.io.stderr.write(`✖ ${message}\n${known?.hint ? `  ${known.hint}\n` : ''}`);
  }
}
