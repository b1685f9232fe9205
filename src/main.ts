// run(argv) → exit code. Builds the command table, maps every error to its exit code in one place, and
// prints errors as the spec's JSON error document under --json.
import { CommanderError, type Command } from './commander.js';
import { launcherFromEnv } from './core/command-line.js';
import { COMMAND_MODULES } from './commands/index.js';
import { buildProgram, type Dispatch } from './program.js';
import type { IO } from './ui/io.js';

export interface RunOverrides {
  env?: NodeJS.ProcessEnv;
  io?: IO;
  /** install SIGINT/SIGTERM handlers (the real process only) */
  handleSignals?: boolean;
}

export async function run(argv: string[], overrides: RunOverrides = {}): Promise<number> {
  const env = overrides.env ?? process.env;
  // stdin is opened only when something reads it (creating process.stdin loads Node's stream code).
  const io = overrides.io ?? {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  };
  const json = argv.includes('--json');
  // `onboard …` or `npx onboard …`, as the user launched it
  const help = (...words: string[]) => [...launcherFromEnv(env), ...words, '--help'].join(' ');
  let exitCode = 0;

  const dispatch: Dispatch = async (name, args) => {
    const loader = COMMAND_MODULES[name];
    const command = args.at(-1) as Command;
    const positional = args.slice(0, -2).filter((a): a is string => typeof a === 'string');
    const input = { name, loader, positional, options: command.optsWithGlobals(), argv, env, io, handleSignals: overrides.handleSignals ?? !overrides.io };
    // status and settings read local state; only `settings --sandbox` (the sandbox portal's settings) and a
    // --scenario (checked against the sandbox's list) need the systems, which dist/read.cjs leaves out
    const readsOnly =
      (name === 'status' || name === 'settings') && input.options.scenario === undefined && !(name === 'settings' && input.options.sandbox === true);
    if (readsOnly) {
      // the reading commands and their runner, one file when built (src/read.ts)
      const read = await import('./read.js');
      exitCode = await read.runCommand({ ...input, loader: async () => ({ default: read[name] }) });
      return;
    }
    // The command's module starts loading with the runner (its errors surface in runCommand, which loads it again).
    loader().catch(() => undefined);
    const { runCommand } = await import('./runner.js');
    exitCode = await runCommand(input);
  };

  // npm sets npm_command=exec for `npx onboard` (the same rule as src/core/command-line.ts, not loaded for --help)
  const program = buildProgram(dispatch, env.npm_command === 'exec' ? 'npx onboard' : 'onboard');
  program.exitOverride();
  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    // under --json a missing command is the usage error document, not the help text
    writeErr: (text) => (json ? undefined : io.stderr.write(text)),
    outputError: (text, write) => {
      if (!json) write(`${text.trimEnd()}\n(run ${help()} for usage)\n`);
    },
  });
  const configure = (parent: Command) => {
    for (const sub of parent.commands) {
      sub.exitOverride();
      sub.configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
        outputError: (text, write) => {
          if (!json) write(`${text.trimEnd()}\n(run ${help(...commandPath(sub))} for usage)\n`);
        },
      });
      configure(sub);
    }
  };
  configure(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // `onboard` with no command: commander shows the help on stderr as an error; that is a usage error.
      if (error.code === 'commander.help' && error.exitCode !== 0) return noCommand(io, json, help());
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      if (json) {
        const message = error.message.replace(/^error: /, '');
        io.stdout.write(`${JSON.stringify({ error: { code: 'usage', message, hint: `Run ${help()} for usage.`, next: [] } }, null, 2)}\n`);
        io.stderr.write(`onboard: ${message}\n`);
      }
      return 2;
    }
    throw error;
  }
  return exitCode;
}

/** No command given: the help on stderr (the usage error document under --json), exit 2. */
function noCommand(io: IO, json: boolean, help: string): number {
  if (json) {
    io.stdout.write(`${JSON.stringify({ error: { code: 'usage', message: 'No command given', hint: `Run ${help} for the commands.`, next: [] } }, null, 2)}\n`);
    io.stderr.write('onboard: no command given\n');
  }
  return 2;
}

/** `sandbox serve` for a nested command, `connect` for a top-level one. */
function commandPath(command: Command): string[] {
  const words: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) words.unshift(at.name());
  return words;
}
