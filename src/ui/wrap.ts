// Wrapping for the terminal: at word boundaries, to the stream's width, with a hanging indent so a wrapped
// item ("  ✔ …", "    2. …") stays under its own text. Only terminals are wrapped: pipes and files get the
// lines as they are, and a word longer than the width (a URL) is never cut.
import type WrapAnsi from 'wrap-ansi';

/**
 * wrap-ansi is loaded only where something may be wrapped (a terminal): its string-width compiles an emoji
 * regex that costs a reading command about a third of its startup. Until it is loaded, lines stay as they are.
 */
let wrapAnsi: typeof WrapAnsi | null = null;

/** Loads the wrapper; call it (once, before writing) when a stream to be wrapped is a terminal. */
export async function loadWrapping(): Promise<void> {
  wrapAnsi ??= (await import('wrap-ansi')).default;
}

const ANSI = /\x1b\[[0-9;]*m/g;
/** leading space, then at most one marker (✔ ✖ ! … · → ↷, or "12.") and its space, colour codes allowed */
const PREFIX = /^((?:\s|\x1b\[[0-9;]*m)*(?:(?:[✔✖!…·→↷]|\d+\.)(?:\x1b\[[0-9;]*m)*\s+)?)/u;

/** The width of text as the terminal shows it (no colour codes; onboard's markers are one column each). */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * Kept on one line: commands, so they paste whole (`[npx] onboard …` up to ", or", ";", a bracket or a word
 * such as "again"; `printenv VARS | ` before it; `[sudo] chmod|chown -R … PATH`), and times
 * (`2026-12-01 09:47 UTC`, `07:41 CST`).
 */
const UNBREAKABLE =
  /(?:\d{4}-\d\d-\d\d )?\d\d:\d\d(?: [A-Z]{2,5}\b)?|(?:printenv (?:[A-Z0-9_]+ )+\| )?(?:npx )?onboard (?:(?!(?:or|and|then|again|to|for|if|when|with|before|after|instead|first)\b)[^\s,;()]+ ?)+|(?:sudo )?ch(?:mod|own) -R (?:"[^"]*"|\S+) \S+/g;
const KEEP = '\u00a0';

/** One line wrapped to `width` columns; continuation lines are indented under the text after the marker. */
export function wrapLine(line: string, width: number): string {
  if (wrapAnsi === null || visibleWidth(line) <= width) return line;
  const prefix = PREFIX.exec(line)?.[1] ?? '';
  const indent = ' '.repeat(visibleWidth(prefix));
  // a deep indent on a narrow terminal still leaves room for words
  const room = Math.max(20, width - indent.length);
  // a command is one unbreakable word (a non-breaking space inside it, put back after wrapping)
  const rest = line.slice(prefix.length).replace(UNBREAKABLE, (command) => command.trimEnd().replaceAll(' ', KEEP) + (command.endsWith(' ') ? ' ' : ''));
  const wrapped = wrapAnsi(rest, room, { hard: false, trim: true, wordWrap: true });
  return wrapped
    .split('\n')
    .map((part, i) => (i === 0 ? prefix : indent) + part.replaceAll(KEEP, ' '))
    .join('\n');
}

/** Every line of `text` wrapped to `width`; null width (not a terminal) leaves it as it is. */
export function wrapText(text: string, width: number | null): string {
  if (width === null) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

/** The width to wrap a stream's text to: its columns when it is a terminal that reports them, else null. */
export function wrapWidth(stream: { isTTY?: boolean; columns?: number }): number | null {
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : null;
}
