// Colour for one stream, on or off as the colour rules chose. Six basic SGR styles are all onboard uses, so
// they are written here rather than loading a colour library into every command.

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/**
 * Wraps text in an SGR open/close pair. A close of the same kind inside (bold and dim share 22, colours share
 * 39) would end the outer style early, so it is followed by the outer open again, as colour libraries do.
 */
function sgr(open: number, close: number): (text: string) => string {
  const start = `\x1b[${open}m`;
  const end = `\x1b[${close}m`;
  return (text) => `${start}${text.replaceAll(end, `${end}${start}`)}${end}`;
}

const plain = (text: string) => text;

export function createStyle(enabled: boolean): Style {
  if (!enabled) return { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}
