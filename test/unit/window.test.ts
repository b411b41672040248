import { describe, expect, it } from 'vitest';
import { RETENTION_MARGIN_MS, RETENTION_MS, iso, narrowWindow, planWindow } from '../../functions/window.js';

const H = 3_600_000;
const settings = { initialLookbackMs: 24 * H, settleDelayMs: 60_000, maxWindowMs: 24 * H };
const now = Date.parse('2026-11-29T12:00:00.000Z');

describe('planWindow', () => {
  it('starts a first run at now minus the initial lookback and ends it at now minus the settle delay', () => {
    const plan = planWindow({}, now, settings);

    expect(plan).toEqual({
      kind: 'window',
      resumed: false,
      window: { start: iso(now - 24 * H), end: iso(now - 60_000), next: 0 },
    });
  });

  it('ends the window at now minus the settle delay when the cursor is recent', () => {
    const plan = planWindow({ cursor: iso(now - H) }, now, settings);

    expect(plan).toMatchObject({ kind: 'window', window: { start: iso(now - H), end: iso(now - 60_000), next: 0 } });
  });

  it('caps a window at the maximum length so a long outage catches up in steps', () => {
    const plan = planWindow({ cursor: iso(now - 5 * 24 * H) }, now, settings);

    expect(plan).toMatchObject({ window: { start: iso(now - 5 * 24 * H), end: iso(now - 4 * 24 * H) } });
  });

  it('resumes the open window at the stored page', () => {
    const window = { start: iso(now - 2 * H), end: iso(now - H), next: 4000 };

    expect(planWindow({ cursor: iso(now - 2 * H), window }, now, settings)).toEqual({ kind: 'window', window, resumed: true });
  });

  it('is idle when nothing has settled since the cursor', () => {
    expect(planWindow({ cursor: iso(now - 30_000) }, now, settings)).toMatchObject({ kind: 'idle' });
  });

  it('clamps a cursor older than the API keeps and reports the lost interval', () => {
    const cursor = iso(now - 40 * 24 * H);
    const floor = now - RETENTION_MS + RETENTION_MARGIN_MS;

    const plan = planWindow({ cursor }, now, settings);

    expect(plan).toMatchObject({
      kind: 'window',
      clamped: { lostFrom: cursor, lostTo: iso(floor) },
      window: { start: iso(floor), end: iso(floor + 24 * H), next: 0 },
    });
  });

  it('clamps an open window that fell out of the retention and restarts it at offset 0', () => {
    const floor = now - RETENTION_MS + RETENTION_MARGIN_MS;
    const window = { start: iso(floor - H), end: iso(floor + H), next: 600 };

    const plan = planWindow({ window }, now, settings);

    expect(plan).toMatchObject({ kind: 'window', resumed: true, window: { start: iso(floor), end: iso(floor + H), next: 0 } });
    expect(plan.clamped).toEqual({ lostFrom: window.start, lostTo: iso(floor) });
  });

  it('does not call a first run with a lookback beyond the retention a loss', () => {
    const plan = planWindow({}, now, { ...settings, initialLookbackMs: 45 * 24 * H });

    expect(plan.clamped).toBeUndefined();
    expect(plan).toMatchObject({ window: { start: iso(now - RETENTION_MS + RETENTION_MARGIN_MS) } });
  });
});

describe('narrowWindow', () => {
  it('keeps the first half of the window and restarts it at offset 0', () => {
    expect(narrowWindow({ start: iso(0), end: iso(2 * H), next: 2000 })).toEqual({ start: iso(0), end: iso(H), next: 0 });
  });

  it('refuses to split a window of one millisecond', () => {
    expect(narrowWindow({ start: iso(0), end: iso(1), next: 0 })).toBeUndefined();
  });
});
