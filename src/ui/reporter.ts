// The wizard's narrative on stderr. A spinner only when stderr is a terminal and --json is absent;
// otherwise one line per change of state.
import type { Reporter } from '../core/interaction.js';
import type { OutStream } from './io.js';
import type { Style } from './style.js';

interface Spinner {
  text: string;
  start(): Spinner;
  stop(): Spinner;
  stopAndPersist(options: { symbol: string; text: string }): Spinner;
}

export async function createReporter(stream: OutStream, style: Style, options: { spinner: boolean }): Promise<Reporter> {
  const write = (line: string) => stream.write(`${line}\n`);
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
    waiting(label, detail) {
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
