// Runs one command: builds the context, calls the command module, prints its result or error, and returns
// the exit code. Ctrl-C and SIGTERM abort the context's signal; progress is already saved after every step.
import { configDir } from './config/paths.js';
import { configFault } from './config/store.js';
import { resumeWords } from './core/command-line.js';
import { CancelledError, EXIT, exitCodeFor, OnboardError } from './core/errors.js';
import type { CommandModule } from './commands/types.js';
import { createCliContext, invocationCommandLine, type CliContext } from './context.js';
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
  let ctx: CliContext | null = null;
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
      const again = resumeCommand(input, ctx);
      const cancelled = new CancelledError(
        error.signal,
        RECORDS_PROGRESS.has(input.name) || input.options.watch === true
          ? `Cancelled. Progress is saved; resume with: ${again}`
          : `Cancelled; nothing was changed. Run it again with: ${again}`,
        // under --json the command to paste is in `next` too, as in every other error document
        { next: [again] },
      );
      printError(input, cancelled, ctx);
      return error.signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    }
    // a file under the configuration folder that cannot be used is a local fault, whoever raised it
    const local = error instanceof OnboardError ? null : configFault(error, ctx?.configRoot ?? configDir(input.env));
    printError(input, local ?? error, ctx);
    return exitCodeFor(local ?? error);
  } finally {
    if (input.handleSignals) {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    }
    await ctx?.close();
  }
}

/** The command that picks up where a cancelled one stopped (test-order resumes its run by itself). */
function resumeCommand(input: RunCommandInput, ctx: CliContext | null): string {
  const commandLine = ctx?.commandLine ?? invocationCommandLine(input.options, input.env);
  // test-order resumes the run as it was going: the same answers and limits, without what would start another
  return commandLine(...(input.name === 'test-order' ? resumeWords(input.argv) : input.argv));
}

/** Commands that record progress as they go (a cancelled read-only command changed nothing). */
const RECORDS_PROGRESS = new Set(['test-order', 'sync', 'authorize']);

function printError(input: RunCommandInput, error: unknown, ctx?: CliContext | null) {
  if (ctx) {
    ctx.output.error(error, ctx.verbose);
    return;
  }
  // The context could not be built (bad global flag): print plainly, honouring --json.
  const known = error instanceof OnboardError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  if (input.options.json) {
    input.io.stdout.write(
      `${JSON.stringify({ error: { code: known?.code ?? 'upstream_error', message, hint: known?.hint ?? null, next: known?.next ?? [] } }, null, 2)}\n`,
    );
    input.io.stderr.write(`onboard: ${message}\n`);
  } else {
    input.io.stderr.write(`✖ ${message}\n${known?.hint ? `  ${known.hint}\n` : ''}`);
  }
}
