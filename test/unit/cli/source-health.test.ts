import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../functions/cli/source-health.js';
import { span } from '../../../functions/cli/status-table.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const MINUTE = 60_000;
const ago = (minutes: number) => new Date(NOW - minutes * MINUTE).toISOString();

describe('assessHealth', () => {
  it('calls a source Healthy while a run succeeded within three intervals and the last did not fail', () => {
    const health = assessHealth(
      { source: 's', checkpoint: { lastSucceededAt: ago(14), lastRun: { status: 'idle', at: ago(14) }, cursor: ago(20) } },
      NOW,
      5 * MINUTE,
    );

    expect(health).toMatchObject({ state: 'Healthy', lagSeconds: 1_200 });
  });

  it('calls a source Stale when no run succeeded for more than three intervals, though the last did not fail', () => {
    const checkpoint = { lastSucceededAt: ago(16), lastRun: { status: 'completed' as const, at: ago(16) } };

    expect(assessHealth({ source: 's', checkpoint }, NOW, 5 * MINUTE).state).toBe('Stale');
    expect(assessHealth({ source: 's', checkpoint }, NOW, 10 * MINUTE).state).toBe('Healthy');
  });

  it('calls a source Error when its last run failed, however recent its last success', () => {
    const health = assessHealth(
      { source: 's', checkpoint: { lastSucceededAt: ago(6), lastRun: { status: 'failed', at: ago(1), error: 'ApiError: 503' } } },
      NOW,
      5 * MINUTE,
    );

    expect(health).toMatchObject({ state: 'Error', lastRun: { error: 'ApiError: 503' } });
  });

  it('calls a source Never run when its item has no run outcome, and tells an expired lease from a held one', () => {
    const expired = assessHealth(
      { source: 's', checkpoint: { cursor: ago(60) }, lease: { owner: 'r1', expiresAtMs: NOW - 1 } },
      NOW,
      5 * MINUTE,
    );
    const held = assessHealth({ source: 's', lease: { owner: 'r2', expiresAtMs: NOW + MINUTE } }, NOW, 5 * MINUTE);

    expect(expired).toMatchObject({ state: 'Never run', lease: { owner: 'r1', held: false } });
    expect(held).toEqual({ source: 's', state: 'Never run', lease: { owner: 'r2', expiresAt: '2026-12-01T12:01:00.000Z', held: true } });
  });
});

describe('span', () => {
  it('writes a lag in its two largest units', () => {
    expect([span(42), span(425), span(11_040), span(190_800)]).toEqual(['42s', '7m05s', '3h04m', '2d05h']);
  });
});
