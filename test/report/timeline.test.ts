// The timeline's mark positions (percent of the width): to scale between the first and the last stage reached,
// never closer than a mark's width, unreached stages trailing after, always inside 5%–95% and in step order.
import { describe, expect, it } from 'vitest';
import { markPositions } from '../../src/core/report-html.js';
import type { ReportStage } from '../../src/core/report.js';
import { STAGES } from '../../src/core/lifecycle/record.js';

function stages(times: (string | null)[]): ReportStage[] {
  return STAGES.map((key, i) => ({
    step: i + 1,
    key,
    title: key,
    at: times[i] ?? null,
    seenAt: times[i] ?? null,
    reached: Boolean(times[i]),
    where: '',
    evidence: [],
    links: [],
  }));
}

function expectOrdered(positions: number[]) {
  expect(positions).toHaveLength(6);
  for (const p of positions) {
    expect(p).toBeGreaterThanOrEqual(5);
    expect(p).toBeLessThanOrEqual(95);
  }
  for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThanOrEqual((positions[i - 1] as number) + 6.99);
}

describe('markPositions', () => {
  it('draws to scale: a stage two days after the one before it sits far to the right', () => {
    const p = markPositions(
      stages(['2026-12-01T10:00:00Z', '2026-12-01T10:15:00Z', '2026-12-01T10:20:00Z', '2026-12-01T11:00:00Z', '2026-12-03T11:00:00Z', '2026-12-03T12:00:00Z']),
    );
    expectOrdered(p);
    expect(p[0]).toBe(5);
    expect(p[5]).toBe(95);
    expect((p[4] as number) - (p[3] as number)).toBeGreaterThan(60);
  });

  it('sets stages reached in the same reading side by side', () => {
    const t = '2026-12-01T10:00:00Z';
    expectOrdered(markPositions(stages([t, t, t, t, t, t])));
  });

  it('puts the stages not reached yet after the last one reached', () => {
    const p = markPositions(stages(['2026-12-01T10:00:00Z', '2026-12-01T10:15:00Z', null, null, null, null]));
    expectOrdered(p);
    expect(p[1]).toBeLessThan(p[2] as number);
  });

  it('spreads the six evenly before any stage is reached', () => {
    expect(markPositions(stages([null, null, null, null, null, null]))).toEqual([5, 23, 41, 59, 77, 95]);
  });
});
