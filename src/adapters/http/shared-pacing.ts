// Pacing per token shared by every onboard process of a profile: two processes on one Flxpoint token (a cron
// `sync` while `track --watch` runs) take their request slots from one small file, so together they keep the
// vendor's pace. Each request start reserves the next free slot of its token under a lock file (held for one
// read-modify-write, a stale one is taken over), then waits for it through the Clock and the abort signal.
// The file names tokens by a hash, never the token itself. Slots are wall-clock times: the store is for the
// real clock only (the sandbox's virtual clock is one view per process, so its pacing stays per process).
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { realSleep, type Clock } from '../../core/clock.js';
import type { RequestPacer } from './client.js';

export interface PacingStore {
  /** a pacer for one token: at least `minIntervalMs` between request starts, across every process sharing the store */
  pacer(system: string, token: string, minIntervalMs: number, clock: Clock): RequestPacer;
}

/** A lock older than this belongs to a process that died holding it. */
const STALE_LOCK_MS = 5_000;
/** Slots that ended this long ago are dropped from the file. */
const FORGET_AFTER_MS = 60_000;
/** After this long without the lock the request goes ahead on its own process's pace. */
const LOCK_GIVE_UP_MS = 10_000;

export function tokenKey(system: string, token: string): string {
  return `${system}:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

function readSlots(file: string): Record<string, number> {
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
    return Object.fromEntries(Object.entries(data).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1])));
  } catch {
    return {};
  }
}

async function withFileLock<T>(lockPath: string, signal: AbortSignal | undefined, fn: () => T): Promise<T | undefined> {
  const startedAt = Date.now();
  mkdirSync(dirname(lockPath), { recursive: true, mode: 0o700 });
  for (;;) {
    try {
      closeSync(openSync(lockPath, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > STALE_LOCK_MS) unlinkSync(lockPath);
      } catch {
        // gone in between: try again
      }
      if (Date.now() - startedAt > LOCK_GIVE_UP_MS) return undefined;
      // a lock is held for one small file write: a few real milliseconds (not paced time, so not the clock)
      await realSleep(2 + Math.floor(Math.random() * 5), signal);
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      // already taken over as stale
    }
  }
}

/** The store in `file` (created with its folder, owner-only, on first use). */
export function createFilePacingStore(file: string): PacingStore {
  const lockPath = `${file}.lock`;
  return {
    pacer(system, token, minIntervalMs, clock) {
      const key = tokenKey(system, token);
      let localNext = Number.NEGATIVE_INFINITY;
      return {
        async beforeRequest(signal) {
          if (signal?.aborted) throw signal.reason;
          const now = clock.now();
          let start = Math.max(now, localNext);
          if (!clock.virtual) {
            // a folder that cannot be written (read-only, damaged) leaves the request on this process's own pace
            const shared = await withFileLock(lockPath, signal, () => {
              const slots = readSlots(file);
              const slot = Math.max(start, slots[key] ?? Number.NEGATIVE_INFINITY);
              slots[key] = slot + minIntervalMs;
              for (const [name, next] of Object.entries(slots)) if (next < now - FORGET_AFTER_MS) delete slots[name];
              const temp = `${file}.${process.pid}.tmp`;
              writeFileSync(temp, JSON.stringify(slots), { mode: 0o600 });
              renameSync(temp, file);
              return slot;
            }).catch((error: unknown) => {
              if (signal?.aborted) throw error;
              return undefined;
            });
            if (shared !== undefined) start = shared;
          }
          localNext = start + minIntervalMs;
          if (start > now) await clock.sleep(start - now, signal);
        },
      };
    },
  };
}
