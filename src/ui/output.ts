// stdout holds only the result: one JSON document under --json, else the human rendering. Everything else
// (warnings, errors, narrative) goes to stderr.
import { OnboardError } from '../core/errors.js';
import type { IO } from './io.js';
import type { Style } from './style.js';
import { wrapText, wrapWidth } from './wrap.js';

export interface Output {
  readonly json: boolean;
  readonly out: Style;
  readonly err: Style;
  result(data: unknown, human: (style: Style) => string): void;
  warn(text: string): void;
  error(error: unknown, verbose: boolean): void;
}

export function createOutput(io: IO, options: { json: boolean; out: Style; err: Style }): Output {
  const { json, out, err } = options;
  return {
    json,
    out,
    err,
    result(data, human) {
      if (json) io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      else {
        // on a terminal the rendering is wrapped at word boundaries to its width
        const text = wrapText(human(out), wrapWidth(io.stdout));
        if (text) io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      }
    },
    warn(text) {
      io.stderr.write(`${wrapText(`${err.yellow('!')} ${text}`, wrapWidth(io.stderr))}\n`);
    },
    error(error, verbose) {
      const known = error instanceof OnboardError ? error : null;
      const message = known ? known.message : error instanceof Error ? error.message : String(error);
      const code = known ? known.code : 'upstream_error';
      const hint = known?.hint ?? (known ? null : 'This is unexpected; run again with --verbose and report it with `onboard doctor --bundle`.');
      if (json) {
        io.stdout.write(`${JSON.stringify({ error: { code, message, hint: hint ?? null, next: known?.next ?? [] } }, null, 2)}\n`);
        io.stderr.write(`onboard: ${message}\n`);
        return;
      }
      const width = wrapWidth(io.stderr);
      io.stderr.write(`${wrapText(`${err.red('✖')} ${message}`, width)}\n`);
      // a hint of several lines (several fixes) keeps each line indented under the message
      if (hint)
        io.stderr.write(
          `${hint
            .split('\n')
            .map((line) => wrapText(`  ${line}`, width))
            .join('\n')}\n`,
        );
      // a next step is a command to paste: one line each, never wrapped
      for (const next of known?.next ?? []) io.stderr.write(`  ${err.dim('→')} ${next}\n`);
      if (verbose && !known && error instanceof Error && error.stack) io.stderr.write(`${err.dim(error.stack)}\n`);
    },
  };
}
