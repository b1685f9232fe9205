// The help pages' layouts (src/help-text.ts) from the command table, computed by commander's own Help: the
// build stores them next to the bundle so `--help` needs no commander, and test/cli/help-fast.test.ts checks the
// pages written from them against commander's at several widths.
import type { Command } from './commander.js';
import { LAUNCHER, type HelpLayout } from './help-text.js';
import { buildProgram } from './program.js';

function layoutOf(command: Command): HelpLayout {
  const helper = command.createHelp();
  helper.prepareContext({ helpWidth: 80 });
  const sections: HelpLayout['sections'] = [];
  const add = (title: string, items: [string, string][]) => {
    if (items.length > 0) sections.push({ title, items });
  };
  add(
    'Arguments:',
    helper.visibleArguments(command).map((a) => [helper.argumentTerm(a), helper.argumentDescription(a)]),
  );
  for (const [title, options] of helper.groupItems([...command.options], helper.visibleOptions(command), (o) => o.helpGroupHeading ?? 'Options:')) {
    add(
      title,
      options.map((o) => [helper.optionTerm(o), helper.optionDescription(o)]),
    );
  }
  if (helper.showGlobalOptions)
    add(
      'Global Options:',
      helper.visibleGlobalOptions(command).map((o) => [helper.optionTerm(o), helper.optionDescription(o)]),
    );
  for (const [title, commands] of helper.groupItems([...command.commands], helper.visibleCommands(command), (c) => c.helpGroup() || 'Commands:')) {
    add(
      title,
      commands.map((c) => [helper.subcommandTerm(c), helper.subcommandDescription(c)]),
    );
  }
  // the text added before and after the page: what outputHelp writes around helpInformation
  let written = '';
  command.configureOutput({ writeOut: (text) => (written += text), getOutHelpWidth: () => 80, getOutHasColors: () => false });
  command.outputHelp();
  const page = command.helpInformation();
  const at = written.indexOf(page);
  if (at < 0) throw new Error(`help layout: the page of "${command.name()}" is not in its output`);
  return {
    usage: helper.commandUsage(command),
    description: helper.commandDescription(command),
    sections,
    termWidth: helper.padWidth(command, helper),
    before: written.slice(0, at),
    after: written.slice(at + page.length),
  };
}

/** Every help page of the command table (hidden commands too), by command path: '' is `onboard --help`. */
export function helpLayouts(program: Command = buildProgram(async () => undefined, LAUNCHER)): Record<string, HelpLayout> {
  const layouts: Record<string, HelpLayout> = {};
  const visit = (command: Command, path: string[]) => {
    layouts[path.join(' ')] = layoutOf(command);
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return layouts;
}
