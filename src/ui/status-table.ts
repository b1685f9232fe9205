// `onboard status` for people: a header, then one row per run in people's words (profile, order, stage,
// waiting for, since, next look), times local with their zone.
import { localTime } from '../core/local-time.js';
import type { StatusResult } from '../core/services/status.js';
import { stageWords, WAITING_WORDS } from '../core/words.js';
import type { Style } from './style.js';

/** The characters people see (colour codes do not count). */
// eslint-disable-next-line no-control-regex
const visible = (text: string): number => text.replace(/\x1b\[[0-9;]*m/g, '').length;

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visible(text)));
}

export function renderStatusTable(
  result: StatusResult,
  s: Style,
  options: { allProfiles: boolean; timeZone?: string; start: string; /** the terminal's width, when stdout is one */ columns?: number },
): string {
  const where = options.allProfiles ? `every profile (${result.profiles.length})` : `profile ${result.profiles[0] ?? 'default'}`;
  const lines = [s.bold(`Test orders · ${where}${result.sandbox ? ' · sandbox' : ''}`)];
  if (result.orders.length === 0) {
    lines.push(result.hint ?? `No tracked orders yet. Start one with: ${options.start}`);
  } else {
    const time = (iso: string | null) => localTime(iso, options.timeZone) ?? '';
    const header = [...(options.allProfiles ? ['PROFILE'] : []), 'ORDER', 'STAGE', 'WAITING FOR', 'SINCE', 'NEXT LOOK'];
    const rows = result.orders.map((o) => {
      const stage = stageWords(o.stage, o.problem, o.abandoned);
      const coloured = o.abandoned ? s.dim(stage) : o.problem ? s.red(stage) : o.stage === 'tracking_synced' ? s.green(stage) : stage;
      return [
        ...(options.allProfiles ? [o.profile ?? ''] : []),
        o.name ?? '(no order)',
        coloured,
        o.waitingFor ? (WAITING_WORDS[o.waitingFor] ?? o.waitingFor) : '',
        time(o.since),
        time(o.nextCheckAt),
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] as string))));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] as number)))
        .join('  ')
        .trimEnd();
    const tableWidth = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
    if (options.columns && tableWidth > options.columns) {
      // too wide for this terminal: one short block per run instead of a table that wraps mid-row
      for (const cells of rows) {
        const [order, stage, waiting, since, next] = options.allProfiles ? cells.slice(1) : cells;
        lines.push('', `${options.allProfiles ? `${s.bold(cells[0] as string)}  ` : ''}${order}  ${stage}`);
        const details = [waiting && `waiting for ${waiting}`, since && `since ${since}`, next && `next look ${next}`].filter(Boolean);
        // as many details on a line as fit
        let current = '';
        for (const detail of details as string[]) {
          if (current && 2 + current.length + 3 + detail.length > (options.columns as number)) {
            lines.push(s.dim(`  ${current}`));
            current = detail;
          } else current = current ? `${current} · ${detail}` : detail;
        }
        if (current) lines.push(s.dim(`  ${current}`));
      }
    } else lines.push(s.dim(line(header)), ...rows.map(line));
  }
  for (const e of result.errors) lines.push(s.red(`profile ${e.profile} could not be read: ${e.message}`));
  return lines.join('\n');
}
