// Time as the core sees it. Real: the wall clock. Sandbox: the world's virtual clock, which moves only
// while a command waits (see src/sandbox/control-client.ts).

export interface Clock {
  /** milliseconds since the epoch */
  now(): number;
  /** waits `ms` (virtual under --sandbox); rejects with the signal's reason when aborted */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  readonly virtual: boolean;
}

export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: realSleep,
  virtual: false,
};

/** A time as ISO-8601 UTC, the form every record and JSON document uses. */
export const iso = (ms: number) => new Date(ms).toISOString();
