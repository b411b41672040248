/**
 * The update sweep. If the API filtered windows by creation time, an update to an old incident would
 * never fall in a new window; so every UPDATE_SWEEP_INTERVAL a run also re-reads the trailing
 * UPDATE_SWEEP_HORIZON. The seen-set keeps it to the versions not yet delivered; what it costs is counted
 * apart in the summary and metrics. A sweep stopped for time stores where it stopped, and the next run
 * goes on from there, so a horizon too long for one run is still read to its end over several.
 */
import type { Checkpoint, Lease, SweepProgress } from '../aws/checkpoint-store.js';
import { incidentVersionKey } from '../ecs/map-incident.js';
import { earliestFetchableMs, iso, type OpenWindow } from '../window.js';
import type { RunDependencies, RunSettings } from './ports.js';
import type { SweepSummary } from './run-summary.js';
import { drainRange } from './drain-range.js';
import { emptyCounts, freshPace, type PagerCounts, type RunPace } from './window-pager.js';

export function isSweepDue(checkpoint: Checkpoint, nowMs: number, settings: RunSettings): boolean {
  if (settings.updateSweepIntervalMs === 0 || !checkpoint.cursor) return false;
  // A sweep that stopped for time goes on at the next run.
  if (checkpoint.sweep) return true;
  if (!checkpoint.sweptAt) return false;
  return nowMs - Date.parse(checkpoint.sweptAt) >= settings.updateSweepIntervalMs;
}

export async function sweepForUpdates(
  lease: Lease,
  deps: RunDependencies,
  totals: PagerCounts,
  pace: RunPace = freshPace(),
): Promise<{ summary: SweepSummary; lease: Lease }> {
  const { logger } = deps;
  const plan = planSweep(lease.checkpoint, deps.clock.now(), deps.settings);
  const originMs = lease.checkpoint.origin === undefined ? undefined : Date.parse(lease.checkpoint.origin);
  const keep = originMs === undefined ? undefined : (incident: unknown) => isModifiedSince(incident, originMs);
  const counts = emptyCounts();
  const range = { from: iso(plan.fromMs), to: plan.to };
  if (plan.resumeAt)
    logger.info('going on with the update sweep where it stopped', {
      sweep: { ...range, startedAt: plan.startedAt, resumeAt: plan.resumeAt },
    });
  else logger.info('sweeping the trailing horizon for updates', { sweep: range });

  const outcome = await drainRange(plan.fromMs, Date.parse(plan.to), deps, counts, {
    ...(keep ? { keep } : {}),
    ...(plan.resumeAt ? { resumeAt: plan.resumeAt } : {}),
    pace,
  });
  for (const key of Object.keys(counts) as (keyof PagerCounts)[]) totals[key] += counts[key];

  const summary: SweepSummary = {
    ...range,
    completed: outcome.completed,
    pages: counts.pages,
    fetched: counts.fetched,
    delivered: counts.delivered,
    duplicates: counts.duplicates,
  };
  if (!outcome.completed) {
    const progress: SweepProgress = { startedAt: plan.startedAt, from: plan.sweepFrom, to: plan.to, window: outcome.stoppedAt };
    logger.info('update sweep stopped for time: the next run goes on from where it stopped', {
      sweep: summary,
      resumeAt: outcome.stoppedAt,
    });
    return { summary, lease: await deps.checkpoints.saveSweep(lease, progress) };
  }
  return { summary, lease: await deps.checkpoints.finishSweep(lease, plan.startedAt) };
}

interface SweepPlan {
  /** When the sweep began: this run, or the run that started the sweep now resumed. */
  readonly startedAt: string;
  /** The whole sweep's start (ISO), kept for the runs that go on with it. */
  readonly sweepFrom: string;
  /** Where this run starts reading. */
  readonly fromMs: number;
  readonly to: string;
  readonly resumeAt?: OpenWindow;
}

function planSweep(checkpoint: Checkpoint, nowMs: number, settings: RunSettings): SweepPlan {
  const floorMs = earliestFetchableMs(nowMs);
  const stored = checkpoint.sweep;
  if (stored) {
    const resumeMs = Date.parse(stored.window.start);
    // Resumed days later, part of what is left may be past what the API keeps: read what it still has.
    return resumeMs >= floorMs
      ? { startedAt: stored.startedAt, sweepFrom: stored.from, fromMs: resumeMs, to: stored.to, resumeAt: stored.window }
      : { startedAt: stored.startedAt, sweepFrom: stored.from, fromMs: floorMs, to: stored.to };
  }
  // The whole horizon, even before the first window: an incident created before it and changed since has
  // a new version in scope, and if the API filters on `created` (or `time`, for an edit) only this read
  // finds it. Versions last modified before the first window stay out, as the initial lookback intends.
  const fromMs = Math.max(nowMs - settings.updateSweepHorizonMs, floorMs);
  return { startedAt: iso(nowMs), sweepFrom: iso(fromMs), fromMs, to: checkpoint.cursor as string };
}

/** Whether the version was made at or after `sinceMs`; a row without a version key is kept (it cannot be judged). */
function isModifiedSince(incident: unknown, sinceMs: number): boolean {
  const key = incidentVersionKey(incident);
  return key === undefined || Date.parse(key.version) >= sinceMs;
}
