// The wizard's narrative on stderr. A spinner only when stderr is a terminal and --json is absent;
// otherwise one line per change of state. On a terminal every line is wrapped at word boundaries to its width.
import type { Reporter } from '../core/interaction.js';
import type { OutStream } from './io.js';
import type { Style } from './style.js';
import { visibleWidth, wrapLine, wrapText, wrapWidth } from './wrap.js';

interface Spinner {
  text: string;
  start(): Spinner;
  stop(): Spinner;
  stopAndPersist(options: { symbol: string; text: string }): Spinner;
}

export async function createReporter(stream: OutStream, style: Style, options: { spinner: boolean }): Promise<Reporter> {
  // the width is read at each line: the terminal may be resized while the wizard runs
  const write = (line: string) => stream.write(`${wrapText(line, wrapWidth(stream))}\n`);
  let spinner: Spinner | null = null;
  let lastLabel: string | null = null;
  const ora = options.spinner ? (await import('ora')).default : null;

  const pause = () => {
    if (spinner) spinner.stop();
  };
  const resume = () => {
    if (spinner) spinner.start();
  };
  const line = (text: string) => {
    pause();
    write(text);
    resume();
  };

  return {
    heading(step, title) {
      line('');
      line(style.bold(`Step ${step} of 6 · ${title}`));
    },
    info: (text) => line(`  ${text}`),
    success: (text) => line(`  ${style.green('✔')} ${text}`),
    warn: (text) => line(`  ${style.yellow('!')} ${text}`),
    block(lines) {
      for (const l of lines) line(`    ${l}`);
    },
    email(draft) {
      // flush left between two marks, so a selection from To to the last line pastes into a mail as it is;
      // wrapped at word boundaries like mail, never wider than the terminal
      // only where the terminal would otherwise split a word: To and Subject stay whole (a mail header is one line)
      const width = wrapWidth(stream);
      const header = [`To: ${draft.to ?? '(the supplier)'}`, `Subject: ${draft.subject}`];
      const body = ['', ...draft.body.split('\n')];
      pause();
      stream.write(`${style.dim('    ----- email: copy from the next line -----')}\n`);
      for (const l of header) stream.write(`${l}\n`);
      for (const l of body) stream.write(`${width === null ? l : wrapLine(l, width)}\n`);
      stream.write(`${style.dim('    ----- end of email -----')}\n`);
      resume();
    },
    waiting(label, detail) {
      // a spinner redraws one line: fit it to the terminal (detail first to go), or the line wraps mid-word
      const columns = wrapWidth(stream);
      const room = columns === null ? Infinity : columns - 3;
      if (visibleWidth(`${label} · ${detail ?? ''}`) > room) detail = undefined;
      if (ora && visibleWidth(label) > room) label = `${[...label].slice(0, Math.max(10, room - 1)).join('')}…`;
      const text = detail ? `${label} ${style.dim(`· ${detail}`)}` : label;
      if (ora) {
        if (spinner) spinner.text = text;
        else spinner = (ora({ text, stream, discardStdin: false, isEnabled: true }) as unknown as Spinner).start();
        lastLabel = label;
        return;
      }
      if (label === lastLabel) return;
      lastLabel = label;
      write(`  … ${label}`);
    },
    stopWaiting(final) {
      lastLabel = null;
      if (spinner) {
        if (final) spinner.stopAndPersist({ symbol: final.ok ? `  ${style.green('✔')}` : `  ${style.yellow('!')}`, text: final.text });
        else spinner.stop();
        spinner = null;
      } else if (final) {
        write(`  ${final.ok ? style.green('✔') : style.yellow('!')} ${final.text}`);
      }
    },
  };
}
