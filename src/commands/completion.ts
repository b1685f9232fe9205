// Shell completion for bash, zsh and fish, by @bomb.sh/tab: `onboard completion <shell>` prints the script
// (installed once, see the README), and the script asks `onboard complete -- <words>` for the candidates at
// each Tab: commands, flags, scenario names, report formats, systems, plans, the profiles that exist and the
// orders this profile tracks. Loaded only for these two commands; `--help` and every other command never load it.
import { existsSync } from 'node:fs';
import { RootCommand, script, type Command as TabCommand } from '@bomb.sh/tab';
import type { Command as Commander } from '../commander.js';
import { configDir, profileNames } from '../config/paths.js';
import { UsageError } from '../core/errors.js';
import { buildProgram } from '../program.js';
import type { CommandModule } from './types.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
const SYSTEMS = ['shopify', 'woocommerce', 'bigcommerce', 'flxpoint', 'inventory-source'];

/** tab prints with console.log; this collects what it prints so the command writes to its own stdout. */
function printed(fn: () => void): string {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    fn();
  } finally {
    console.log = original;
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The orders the typed world (--sandbox) and profile (--profile, ONBOARD_PROFILE) track, newest first. */
async function trackedOrders(root: string, words: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    const flag = words.indexOf('--profile');
    const profile = (flag >= 0 ? words[flag + 1] : undefined) || env.ONBOARD_PROFILE || 'default';
    const [{ ProfileStore }, { stateSchema }] = await Promise.all([import('../config/store.js'), import('../core/lifecycle/record.js')]);
    const store = new ProfileStore(root, profile);
    const namespace = words.includes('--sandbox') ? 'sandbox' : 'real';
    if (!existsSync(store.filePath(namespace, 'state'))) return [];
    return [...new Set(store.read(namespace, 'state', stateSchema).runs.flatMap((r) => (r.order ? [r.order.number] : [])))].reverse();
  } catch {
    return [];
  }
}

type Values = Record<string, string[]>;

/** The values onboard knows for options and arguments; the costly ones are read only when the words ask for them. */
async function knownValues(root: string, words: string[], env: NodeJS.ProcessEnv): Promise<Values> {
  const values: Values = {
    profile: profileNames(root),
    format: ['markdown', 'json', 'html'],
    plan: ['basic', 'plus', 'vip'],
    system: SYSTEMS,
    shell: [...SHELLS],
  };
  if (words.some((w) => w.startsWith('--scenario'))) values.scenario = [...(await import('../sandbox/world.js')).SCENARIOS];
  if (['report', 'track', 'authorize'].includes(words[0] ?? '') || words.some((w) => !w.startsWith('-') && ['report', 'track', 'authorize'].includes(w))) {
    values.order = await trackedOrders(root, words, env);
  }
  return values;
}

/** Mirrors onboard's command table into tab's: every command with its own flags and the global ones. */
function completionTree(program: Commander, known: Values): RootCommand {
  const tree = new RootCommand();
  const addOptions = (target: TabCommand, command: Commander) => {
    for (const option of command.options) {
      const long = option.long?.replace(/^--/, '');
      if (!long || option.hidden) continue;
      const short = option.short?.replace(/^-/, '');
      if (option.required || option.optional) {
        const values = known[long] ?? [];
        target.option(long, option.description, (complete) => values.forEach((v) => complete(v, '')), short);
      } else if (short) target.option(long, option.description, short);
      else target.option(long, option.description);
    }
  };
  const addArguments = (target: TabCommand, command: Commander) => {
    for (const argument of command.registeredArguments) {
      const values = known[argument.name()];
      target.argument(argument.name(), values ? (complete) => values.forEach((v) => complete(v, '')) : undefined, argument.variadic);
    }
  };
  addOptions(tree, program);
  const visit = (command: Commander, path: string) => {
    for (const sub of command.commands) {
      if ((sub as unknown as { _hidden?: boolean })._hidden) continue;
      const name = path ? `${path} ${sub.name()}` : sub.name();
      const node = tree.command(name, sub.description());
      addOptions(node, sub);
      addOptions(node, program);
      addArguments(node, sub);
      visit(sub, name);
    }
  };
  visit(program, '');
  return tree;
}

/** `onboard complete -- <words>`: the candidates for the last word, one per line, then tab's directive line. */
export const complete: CommandModule = async (ctx) => {
  // the words after `complete --`, exactly as the shell sent them (an empty last word: complete a new one)
  const from = ctx.argv.indexOf('--');
  const words = from >= 0 ? ctx.argv.slice(from + 1) : ctx.argv.slice(ctx.argv.indexOf('complete') + 1);
  const tree = completionTree(
    buildProgram(async () => undefined),
    await knownValues(configDir(ctx.env), words, ctx.env),
  );
  ctx.io.stdout.write(printed(() => tree.parse(words)));
  return { result: null, exitCode: 0, printed: true, render: () => '' };
};

/** `onboard completion <shell>`: the script to install. */
const completion: CommandModule = async (ctx, positional) => {
  const shell = positional[0] ?? '';
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`"${shell.slice(0, 20)}" is not a shell onboard completes`, {
      hint: `Use one of: ${SHELLS.map((s) => ctx.commandLine('completion', s)).join(', ')}.`,
    });
  }
  ctx.io.stdout.write(printed(() => script(shell, 'onboard', 'onboard')));
  return { result: null, exitCode: 0, printed: true, render: () => '' };
};
export default completion;
