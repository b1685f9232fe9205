// Times for people: local, with the zone; spans in words.
import { afterEach, describe, expect, it } from 'vitest';
import { formatClock, formatSpan, formatWhen } from '../../src/core/local-time.js';

const saved = process.env.TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

describe('local times with the zone', () => {
  it('follows TZ: 13:41 UTC reads 07:41 CST in Chicago in winter, 08:41 CDT in summer', () => {
    process.env.TZ = 'America/Chicago';
    expect(formatClock(Date.parse('2026-12-01T13:41:00Z'))).toBe('07:41 CST');
    expect(formatWhen(Date.parse('2026-12-01T13:41:00Z'))).toBe('2026-12-01 07:41 CST');
    expect(formatWhen(Date.parse('2026-07-01T13:41:00Z'))).toBe('2026-07-01 08:41 CDT');
    // the local date, not the UTC one
    expect(formatWhen(Date.parse('2026-12-02T03:00:00Z'))).toBe('2026-12-01 21:00 CST');
  });

  it('says UTC where the machine runs on UTC', () => {
    process.env.TZ = 'UTC';
    expect(formatWhen(Date.parse('2026-12-01T13:41:00Z'))).toBe('2026-12-01 13:41 UTC');
  });

  it('spans in words', () => {
    expect(formatSpan(45 * 60_000)).toBe('45 min');
    expect(formatSpan(3 * 3_600_000 + 20 * 60_000)).toBe('3 h 20 min');
    expect(formatSpan(3_600_000)).toBe('1 h');
    expect(formatSpan(86_400_000)).toBe('1 day');
    expect(formatSpan(2 * 86_400_000 + 2 * 3_600_000)).toBe('2 days 2 h');
  });
});
