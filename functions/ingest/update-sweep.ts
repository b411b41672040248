/**
 * The update sweep. If the API filtered windows by creation time, an update to an old incident would
 * never fall in a new window; so every UPDATE_SWEEP_INTERVAL a run also re-reads the trailing
 * UPDATE_SWEEP_HORIZON. The seen-set keeps it to the versions not yet delivered; what it costs is counted
 * apart in the summary and metrics. Its progress is not stored: an interrupted sweep starts over later.
 */
import type { Checkpoint, Lease } from '../aws/checkpoint-store.js';
import { incidentVersionKey } from '../ecs/map-incident.js';
import { earliestFetchableMs, iso } from '../window.js';
import type { RunDependencies, RunSettings } from './ports.js';
import type { SweepSummary } from './run-summary.js';
import { drainRange } from './drain-range.js';
import { emptyCounts, type PagerCounts } from './window-pager.js';

export function isSweepDue(checkpoint: Checkpoint, nowMs: number, settings: RunSettings): boolean {
  if (settings.updateSweepIntervalMs === 0 || !checkpoint.sweptAt || !checkpoint.cursor) return false;
  return nowMs - Date.parse(checkpoint.sweptAt) >= settings.updateSweepIntervalMs;
}

export async function sweepForUpdates(
  lease: Lease,
  deps: RunDependencies,
  totals: PagerCounts,
): Promise<{ summary: SweepSummary; lease: Lease }> {
  const { settings, clock, logger } = deps;
  const startedMs = clock.now();
  const cursor = lease.checkpoint.cursor as string;
  // The whole horizon, even before the first window: an incident created before it and changed since has
  // a new version in scope, and if the API filters on `created` (or `time`, for an edit) only this read
  // finds it. Versions last modified before the first window stay out, as the initial lookback intends.
  const fromMs = Math.max(startedMs - settings.updateSweepHorizonMs, earliestFetchableMs(startedMs));
  const originMs = lease.checkpoint.origin === undefined ? undefined : Date.parse(lease.checkpoint.origin);
  const keep = originMs === undefined ? undefined : (incident: unknown) => isModifiedSince(incident, originMs);
  const toMs = Date.parse(cursor);
  const counts = emptyCounts();
  logger.info('sweeping the trailing horizon for updates', { sweep: { from: iso(fromMs), to: cursor } });

  const completed = await drainRange(fromMs, toMs, deps, counts, keep);
  for (const key of Object.keys(counts) as (keyof PagerCounts)[]) totals[key] += counts[key];

  const summary: SweepSummary = { from: iso(fromMs), to: cursor, completed, pages: counts.pages, fetched: counts.fetched, delivered: counts.delivered, duplicates: counts.duplicates };
  if (!completed) {
    logger.info('update sweep stopped for time: the next run starts it again', { sweep: summary });
    return { summary, lease };
  }
  const next = await deps.checkpoints.complete(lease, { cursor, sweptAt: iso(startedMs) });
  return { summary, lease: next };
}

/** Whether the version was made at or after `sinceMs`; a row without a version key is kept (it cannot be judged). */
function isModifiedSince(incident: unknown, sinceMs: number): boolean {
  const key = incidentVersionKey(incident);
  return key === undefined || Date.parse(key.version) >= sinceMs;
}
