import type { Clock } from '../src/core/clock.js';

export interface RecordingClock extends Clock {
  /** every sleep asked for, in order, in ms */
  sleeps: number[];
}

/**
 * A clock whose sleep resolves at once and moves `now` forward by the time asked for. `virtual: false` makes
 * it pose as a process's view of the wall clock (as the shared pacing sees one).
 */
export function createRecordingClock(startMs = Date.parse('2026-01-15T12:00:00.000Z'), options: { virtual?: boolean } = {}): RecordingClock {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    virtual: options.virtual ?? true,
    sleeps,
    now: () => now,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
  };
}
