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

/** Local time of day with its zone, for people: `07:41 CST` (JSON keeps ISO-8601 UTC). */
export function formatClock(ms: number): string {
  const p = parts(ms);
  return `${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** Local date and time with its zone, for people: `2026-12-01 07:41 CST` (the report's form). */
export function formatWhen(ms: number): string {
  return localTime(ms) as string;
}

/** A span in people's words, as the narrative says how long it waited: `45 min`, `3 h 20 min`, `1 day 2 h`. */
export function formatSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const words = [days && `${days} day${days === 1 ? '' : 's'}`, hours && `${hours} h`, !days && (mins || !hours) && `${mins} min`].filter(Boolean);
  return words.join(' ');
}
