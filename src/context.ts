// Builds the one Context from the global flags, the environment and the streams (spec §6 rules), and owns
// what must be closed afterwards (the embedded sandbox server).
import { configDir, profileNames, validateProfileName } from './config/paths.js';
import { ProfileStore } from './config/store.js';
import { commandLineFor, launcherFromEnv, type CommandLine } from './core/command-line.js';
import type { Context, Systems } from './core/context.js';
import { UsageError } from './core/errors.js';
import { clip } from './core/identity.js';
import { parseDuration } from './core/inputs.js';
import { MIN_POLL_MS } from './core/poll-plan.js';
import type { Reporter } from './core/interaction.js';
import type { Namespace, Profiles } from './core/store.js';
import { colorEnabled, isInteractive, type IO } from './ui/io.js';
import { createOutput, type Output } from './ui/output.js';
import { createPrompter } from './ui/prompter.js';
import { createReporter } from './ui/reporter.js';
import { createStyle } from './ui/style.js';
import { loadWrapping, wrapWidth } from './ui/wrap.js';

export interface CliContext extends Context {
  /** the CLI's store is the file store (sandbox serve and reset hold its lock) */
  readonly store: ProfileStore;
  readonly io: IO;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly output: Output;
  close(): Promise<void>;
}

/**
 * The builder of printed commands for this invocation, usable before a context exists (errors in global flags):
 * `--sandbox` as given, `--profile NAME` when it came from the flag, and the launcher seen in the environment.
 */
export function invocationCommandLine(options: Record<string, unknown>, env: NodeJS.ProcessEnv, sandbox = options.sandbox === true): CommandLine {
  return commandLineFor({
    sandbox,
    profileFlag: typeof options.profile === 'string' ? options.profile : null,
    launcher: launcherFromEnv(env),
  });
}

export async function createCliContext(input: {
  command: string;
  options: Record<string, unknown>;
  argv: string[];
  env: NodeJS.ProcessEnv;
  io: IO;
  signal: AbortSignal;
}): Promise<CliContext> {
  const { options, env, io } = input;
  const json = options.json === true;
  const noInput = options.input === false || options.nonInteractive === true;
  const noColor = options.color === false;
  const verbose = options.verbose === true;
  // `sandbox serve` and `sandbox reset` act on the sandbox namespace by definition.
  const sandbox = options.sandbox === true || input.command.startsWith('sandbox ');
  const interactive = isInteractive(io, env, { noInput, json });
  const out = createStyle(colorEnabled(io.stdout, env, { json, noColor }));
  const err = createStyle(colorEnabled(io.stderr, env, { json, noColor }));
  const output = createOutput(io, { json, out, err });

  const profile =
    typeof options.profile === 'string' ? validateProfileName(options.profile) : validateProfileName(env.ONBOARD_PROFILE || 'default', 'ONBOARD_PROFILE');
  const commandLine = invocationCommandLine(options, env, sandbox);
  let scenario: string | null = null;
  if (typeof options.scenario === 'string') {
    if (!sandbox) throw new UsageError('--scenario needs --sandbox', { hint: `Run: ${invocationCommandLine(options, env, true)(...input.argv)}` });
    const { SCENARIOS } = await import('./sandbox/world.js');
    if (!(SCENARIOS as readonly string[]).includes(options.scenario)) {
      throw new UsageError(`Unknown scenario "${clip(options.scenario)}"; the scenarios are ${SCENARIOS.join(', ')}`, {
        hint: `For example: ${commandLine(...input.command.split(' '), '--scenario', 'unmapped-shipping')}`,
      });
    }
    scenario = options.scenario;
  }
  const timeoutMs = typeof options.timeout === 'string' ? parseDuration(options.timeout, '--timeout') : null;
  const pollIntervalMs = typeof options.pollInterval === 'string' ? parseDuration(options.pollInterval, '--poll-interval') : null;
  if (pollIntervalMs === 0) throw new UsageError('--poll-interval must be above 0', { hint: `Use ${MIN_POLL_MS / 1000}s or more, for example 30s.` });
  // The floor protects the vendors' rate limits (README "Polling"): say so instead of ignoring the value.
  if (pollIntervalMs !== null && pollIntervalMs < MIN_POLL_MS) {
    output.warn(
      `--poll-interval ${String(options.pollInterval).trim()} is below the ${MIN_POLL_MS / 1000} s floor; looking every ${MIN_POLL_MS / 1000} s instead.`,
    );
  }

  const root = configDir(env);
  const namespace: Namespace = sandbox ? 'sandbox' : 'real';
  const store = new ProfileStore(root, profile, commandLine);
  // A terminal that reports no width (some pseudo-terminals) or cannot move its cursor (TERM=dumb) gets plain
  // lines: a spinner cannot redraw there.
  const spinner = Boolean(io.stderr.isTTY) && !json && (io.stderr.columns ?? 0) > 0 && env.TERM !== 'dumb';
  // text for a terminal is wrapped to its width; the wrapper loads only then
  if (wrapWidth(io.stdout) !== null || wrapWidth(io.stderr) !== null) await loadWrapping();
  const reporter: Reporter = await createReporter(io.stderr, err, { spinner });
  const prompter = createPrompter(io, interactive, input.signal);
  const log = verbose ? (line: string) => io.stderr.write(`${err.dim(line)}\n`) : undefined;

  const profiles: Profiles = {
    names: () => profileNames(root),
    open: (name) => (name === profile ? store : new ProfileStore(root, name)),
  };
  const adapters = async () => (await import('./systems.js')).createAdapters({ log, signal: input.signal });
  let systems: Promise<Systems> | null = null;
  let closeSystems: (() => Promise<void>) | null = null;
  const context: CliContext = {
    env,
    io,
    json,
    verbose,
    output,
    argv: input.argv,
    profile,
    namespace,
    sandbox,
    scenario,
    store,
    profiles,
    configRoot: root,
    prompter,
    reporter,
    interactive,
    timeoutMs,
    pollIntervalMs: pollIntervalMs === null ? null : Math.max(pollIntervalMs, MIN_POLL_MS),
    signal: input.signal,
    commandLine,
    systems() {
      systems ??= (async () => {
        const { buildSystems } = await import('./systems.js');
        const built = await buildSystems({ sandbox, scenario, store, env, log, signal: input.signal });
        closeSystems = built.close;
        return built.systems;
      })();
      return systems;
    },
    // the composition root loads only when a command builds adapters
    adapters: {
      channel: async (credentials) => (await adapters()).channel(credentials),
      portal: async (credentials) => (await adapters()).portal(credentials),
      sandboxStoreDomain: async () => (await adapters()).sandboxStoreDomain(),
    },
    async close() {
      if (closeSystems) await closeSystems();
    },
  };
  return context;
}
