// `onboard [COMMAND] --help` is written without commander, from layouts asked of commander (src/help-layout.ts,
// stored by the build in dist/help.cjs): every page must be commander's, word for word, at any width.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/commander.js';
import { helpLayouts } from '../../src/help-layout.js';
import { formatHelp, printHelp } from '../../src/help-text.js';
import { buildProgram } from '../../src/program.js';

/** commander's page for the command at `path`, at `width` columns (undefined: not a terminal). */
function commanderHelp(path: string[], width: number | undefined, launcher: string): string {
  let command: Command = buildProgram(async () => undefined, launcher);
  for (const word of path) command = command.commands.find((c) => c.name() === word)!;
  let written = '';
  command.configureOutput({ writeOut: (text) => (written += text), getOutHelpWidth: () => width as number, getOutHasColors: () => false });
  command.outputHelp();
  return written;
}

const layouts = helpLayouts();
const paths = Object.keys(layouts);

describe('help pages without commander', () => {
  it('cover every command, hidden ones and the sandbox group too', () => {
    expect(paths).toEqual(expect.arrayContaining(['', 'test-order', 'status', 'settings', 'complete', 'sandbox', 'sandbox serve', 'sandbox reset']));
  });

  it.each(paths.map((path) => [path || 'onboard', path]))("%s --help is commander's page at every width", (_name, path) => {
    const words = path ? path.split(' ') : [];
    for (const width of [undefined, 30, 50, 60, 72, 80, 100, 132, 200]) {
      expect(formatHelp(layouts[path]!, width ?? 80, 'onboard'), `width ${width}`).toBe(commanderHelp(words, width, 'onboard'));
    }
    expect(formatHelp(layouts[path]!, 80, 'npx onboard')).toBe(commanderHelp(words, undefined, 'npx onboard'));
  });
});

describe('printHelp', () => {
  const stdout = (isTTY: boolean, columns?: number) => {
    let text = '';
    const stream = new Writable({ write: (chunk, _encoding, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
    Object.assign(stream, { isTTY, columns });
    return { stream, text: () => text };
  };

  it('writes the page for a command path followed by --help or -h, at the terminal width', () => {
    const out = stdout(true, 60);
    expect(printHelp(layouts, ['sandbox', 'serve', '-h'], {}, out.stream)).toBe(true);
    expect(out.text()).toBe(commanderHelp(['sandbox', 'serve'], 60, 'onboard'));
    const piped = stdout(false, 60);
    expect(printHelp(layouts, ['--help'], { npm_command: 'exec' }, piped.stream)).toBe(true);
    expect(piped.text()).toBe(commanderHelp([], undefined, 'npx onboard'));
  });

  it('leaves every other argv to commander and writes nothing', () => {
    for (const argv of [
      [],
      ['status'],
      ['--json', '--help'],
      ['status', '--json', '--help'],
      ['bogus', '--help'],
      ['sandbox serve', '--help'],
      ['help', 'status'],
      ['status', '--help', 'x'],
      ['constructor', '--help'],
    ]) {
      const out = stdout(false);
      expect(printHelp(layouts, argv, {}, out.stream), argv.join(' ')).toBe(false);
      expect(out.text()).toBe('');
    }
  });
});
