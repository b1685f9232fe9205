// Times as people read them: local, with the zone ("2026-12-01 07:41 CST"). JSON stays ISO-8601 UTC.

/** The zone of this process (TZ), or an explicit IANA zone. */
function parts(ms: number, timeZone?: string): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  return Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** The IANA zone named by a TZ value (`America/Chicago`, `:America/Chicago`), or undefined (this process's zone). */
export function zoneFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const tz = env.TZ?.replace(/^:/, '').trim();
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

/** `2026-12-01 07:41 CST`; null in, null out. */
export function localTime(iso: string | number | null | undefined, timeZone?: string): string | null {
  if (iso === null || iso === undefined) return null;
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (!Number.isFinite(ms)) return null;
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** A span in people's words: `40 s`, `3 min`, `2 h 5 min`, `3 d 4 h`. */
export function spanWords(ms: number): string {
  if (ms < 60_000) return `${Math.round(Math.max(0, ms) / 1000)} s`;
  const minutes = Math.round(Math.max(0, ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
