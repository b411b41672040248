/**
 * The health of a source, judged from its checkpoint item alone: how its last run ended and when one last
 * succeeded, against the schedule's interval.
 */
import type { SourceState } from '../aws/source-states.js';

export type HealthState = 'Healthy' | 'Error' | 'Stale' | 'Never run';

/** Like the no-successful-run alarm: three intervals without a success is not a hiccup. */
export const STALE_INTERVALS = 3;

export interface SourceHealth {
  readonly source: string;
  readonly state: HealthState;
  readonly cursor?: string | undefined;
  /** Seconds from the cursor to now. */
  readonly lagSeconds?: number | undefined;
  readonly lastSucceededAt?: string | undefined;
  readonly lastRun?: { readonly status: string; readonly at: string; readonly error?: string | undefined } | undefined;
  /** The window a run stopped in, resumed by the next one. */
  readonly openWindow?: { readonly start: string; readonly end: string } | undefined;
  readonly lease?: { readonly owner: string; readonly expiresAt: string; readonly held: boolean } | undefined;
  readonly sweptAt?: string | undefined;
  /** An update sweep that stopped for time and goes on in the next run. */
  readonly sweepInProgress?: { readonly startedAt: string; readonly from: string; readonly to: string } | undefined;
}

/**
 * - Never run: no run has ended since the source's item got these fields (no `lastRun`, no `lastSucceededAt`).
 * - Error: the last run failed.
 * - Stale: the last run did not fail, but none succeeded for STALE_INTERVALS intervals (runs stopped
 *   happening, or each one finds the lease held).
 * - Healthy: a run succeeded within STALE_INTERVALS intervals and the last one did not fail.
 */
export function assessHealth(state: SourceState, nowMs: number, intervalMs: number): SourceHealth {
  const checkpoint = state.checkpoint ?? {};
  const { lastRun, lastSucceededAt, cursor } = checkpoint;
  const health: SourceHealth = {
    source: state.source,
    state: healthState(lastRun?.status, lastSucceededAt, nowMs, intervalMs),
    cursor,
    lagSeconds: cursor === undefined ? undefined : Math.max(0, Math.round((nowMs - Date.parse(cursor)) / 1000)),
    lastSucceededAt,
    lastRun,
    openWindow: checkpoint.window && { start: checkpoint.window.start, end: checkpoint.window.end },
    lease: state.lease && {
      owner: state.lease.owner,
      expiresAt: new Date(state.lease.expiresAtMs).toISOString(),
      held: state.lease.expiresAtMs > nowMs,
    },
    sweptAt: checkpoint.sweptAt,
    sweepInProgress: checkpoint.sweep && { startedAt: checkpoint.sweep.startedAt, from: checkpoint.sweep.from, to: checkpoint.sweep.to },
  };
  // JSON output leaves out what is unknown instead of printing nulls.
  return Object.fromEntries(Object.entries(health).filter(([, value]) => value !== undefined)) as unknown as SourceHealth;
}

function healthState(lastStatus: string | undefined, lastSucceededAt: string | undefined, nowMs: number, intervalMs: number): HealthState {
  if (lastStatus === undefined && lastSucceededAt === undefined) return 'Never run';
  if (lastStatus === 'failed') return 'Error';
  const succeededMs = lastSucceededAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(lastSucceededAt);
  return nowMs - succeededMs > STALE_INTERVALS * intervalMs ? 'Stale' : 'Healthy';
}
