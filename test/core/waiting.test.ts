// waitUntilFound: the core's one "look until found or the deadline" wait, on whichever clock it is given.
import { describe, expect, it } from 'vitest';
import type { Systems } from '../../src/core/context.js';
import { CancelledError } from '../../src/core/errors.js';
import { formatClock } from '../../src/core/local-time.js';
import { waitUntilFound } from '../../src/core/waiting.js';
import { testContext } from '../helpers/context.js';
import { createRecordingClock } from '../helpers/fake-server.js';

const T0 = Date.parse('2026-12-01T13:00:00.000Z');

function setup() {
  const { ctx, reporter } = testContext({} as Systems);
  const waits: { label: string; detail: string | undefined }[] = [];
  reporter.waiting = (label, detail) => waits.push({ label, detail });
  return { ctx, waits, clock: createRecordingClock(T0) };
}

describe('waitUntilFound', () => {
  it('looks until found, sleeping the interval between looks, each wait shown with its label and the next look', async () => {
    const { ctx, waits, clock } = setup();
    let looks = 0;
    const found = await waitUntilFound(ctx, {
      clock,
      deadline: null,
      intervalMs: 15_000,
      label: 'Waiting for a new order',
      look: async () => (++looks === 3 ? 'order' : null),
    });
    expect(found).toBe('order');
    expect(looks).toBe(3);
    expect(clock.sleeps).toEqual([15_000, 15_000]);
    expect(waits).toEqual([
      { label: 'Waiting for a new order', detail: `next look ${formatClock(T0 + 15_000)}` },
      { label: 'Waiting for a new order', detail: `next look ${formatClock(T0 + 30_000)}` },
    ]);
  });

  it('never sleeps past the deadline, and gives null once it passes with nothing found', async () => {
    const { ctx, clock } = setup();
    let looks = 0;
    const found = await waitUntilFound(ctx, { clock, deadline: T0 + 20_000, intervalMs: 15_000, look: async () => (looks++, null) });
    expect(found).toBeNull();
    expect(clock.sleeps).toEqual([15_000, 5_000]);
    expect(looks).toBe(3); // one last look at the deadline
  });

  it('without a label it waits quietly', async () => {
    const { ctx, waits, clock } = setup();
    await waitUntilFound(ctx, { clock, deadline: T0 + 1_000, intervalMs: 100, look: async () => null });
    expect(waits).toEqual([]);
  });

  it('a cancelled command stops before the next look', async () => {
    const controller = new AbortController();
    const { ctx, clock } = setup();
    const cancelled = { ...ctx, signal: controller.signal };
    let looks = 0;
    const waiting = waitUntilFound(cancelled, {
      clock,
      deadline: null,
      intervalMs: 1_000,
      look: async () => {
        if (++looks === 2) controller.abort(new CancelledError('SIGINT'));
        return null;
      },
    });
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    expect(looks).toBe(2);
  });
});
