// `onboard --help` and `onboard COMMAND --help` without commander: the help pages are laid out at build time
// from the command table (src/help-layout.ts, which asks commander for every term and description) and
// written here at the terminal's width the way commander's Help.formatHelp writes them (test/cli/help-fast.test.ts
// compares the two for every command at several widths). bin/onboard.js asks this first; anything else,
// including any other way of asking for help, goes to commander.

/** One help page, everything but the width: commander's Help for that command, computed at build time. */
export interface HelpLayout {
  usage: string;
  description: string;
  /** Arguments, the option groups, Global Options and the command groups, in commander's order, none empty */
  sections: { title: string; items: [term: string, description: string][] }[];
  termWidth: number;
  /** the text added before and after the page (addHelpText), the launcher written as LAUNCHER */
  before: string;
  after: string;
}

/** Stands for `onboard` or `npx onboard` in the layouts (the text after the top-level page names it). */
export const LAUNCHER = '\u0000launcher\u0000';

// commander's Help defaults
const ITEM_INDENT = 2;
const SPACER = 2;
const MIN_WIDTH_TO_WRAP = 40;

// eslint-disable-next-line no-control-regex
const displayWidth = (text: string) => text.replace(/\x1b\[\d*(;\d*)*m/g, '').length;

function boxWrap(text: string, width: number): string {
  if (width < MIN_WIDTH_TO_WRAP) return text;
  const lines: string[] = [];
  for (const line of text.split(/\r\n|\n/)) {
    const chunks = line.match(/[\s]*[^\s]+/g);
    if (chunks === null) {
      lines.push('');
      continue;
    }
    let sum = [chunks.shift()!];
    let sumWidth = displayWidth(sum[0]!);
    for (const chunk of chunks) {
      const visible = displayWidth(chunk);
      if (sumWidth + visible <= width) {
        sum.push(chunk);
        sumWidth += visible;
        continue;
      }
      lines.push(sum.join(''));
      const next = chunk.trimStart();
      sum = [next];
      sumWidth = displayWidth(next);
    }
    lines.push(sum.join(''));
  }
  return lines.join('\n');
}

function formatItem(term: string, termWidth: number, description: string, helpWidth: number): string {
  const indent = ' '.repeat(ITEM_INDENT);
  if (!description) return indent + term;
  const padded = term.padEnd(termWidth + term.length - displayWidth(term));
  const remaining = helpWidth - termWidth - SPACER - ITEM_INDENT;
  const preformatted = /\n[^\S\r\n]/.test(description);
  const formatted =
    remaining < MIN_WIDTH_TO_WRAP || preformatted ? description : boxWrap(description, remaining).replace(/\n/g, `\n${' '.repeat(termWidth + SPACER)}`);
  return indent + padded + ' '.repeat(SPACER) + formatted.replace(/\n/g, `\n${indent}`);
}

/** The page as commander writes it at `helpWidth` columns (80 when the output is not a terminal). */
export function formatHelp(layout: HelpLayout, helpWidth = 80, launcher = 'onboard'): string {
  const lines = [`Usage: ${layout.usage}`, ''];
  if (layout.description.length > 0) lines.push(boxWrap(layout.description, helpWidth), '');
  for (const section of layout.sections) {
    lines.push(section.title, ...section.items.map(([term, description]) => formatItem(term, layout.termWidth, description, helpWidth)), '');
  }
  return `${layout.before}${lines.join('\n')}${layout.after}`.replaceAll(LAUNCHER, launcher);
}

/**
 * Writes the help page when argv is exactly a command path (or nothing) followed by --help or -h, and returns
 * true; returns false for anything else (commander handles it).
 */
export function printHelp(layouts: Record<string, HelpLayout>, argv: string[], env: NodeJS.ProcessEnv, stdout: NodeJS.WriteStream): boolean {
  const last = argv.at(-1);
  if (last !== '--help' && last !== '-h') return false;
  const words = argv.slice(0, -1);
  if (!words.every((word) => /^[a-z][a-z-]*$/.test(word))) return false;
  const key = words.join(' ');
  if (!Object.hasOwn(layouts, key)) return false;
  // commander's width: the terminal's columns, else 80
  const width = (stdout.isTTY ? stdout.columns : undefined) ?? 80;
  // npm sets npm_command=exec for `npx onboard` (the same rule as src/main.ts)
  stdout.write(formatHelp(layouts[key]!, width, env.npm_command === 'exec' ? 'npx onboard' : 'onboard'));
  return true;
}
