/**
 * One ingestion run for one source: take the lease, page through the windows that are due (catching up
 * after an outage, in steps of MAX_WINDOW), sweep the trailing horizon for updates when that is due, and
 * release the lease whatever happens. Every collaborator comes in through `RunDependencies`.
 */
import type { LastRun, Lease } from '../aws/checkpoint-store.js';
import { DeliveryError, describeError } from '../errors.js';
import { VERSION } from '../version.js';
import { iso, planWindow, type ClampedInterval, type OpenWindow, type WindowPlan } from '../window.js';
import type { RunDependencies } from './ports.js';
import type { RunStatus, RunSummary, SweepSummary } from './run-summary.js';
import { sweepForUpdates, isSweepDue } from './update-sweep.js';
import { drainWindow, emptyCounts, freshPace, hasTimeForPage, type PrefetchedWindow } from './window-pager.js';

// Keep catching up in the same run while the cursor trails the settled edge by more than this.
const CATCH_UP_GAP_MS = 5 * 60_000;

export async function run(deps: RunDependencies): Promise<RunSummary> {
  const { source, clock, logger, checkpoints } = deps;
  const startedMs = clock.now();
  // A run that never held the lease: nothing was read or written, so there is only the status to tell.
  const withoutLease = (status: 'lease-held' | 'failed', error?: string): RunSummary => ({
    source,
    version: VERSION,
    status,
    completed: false,
    windowsCompleted: 0,
    ...emptyCounts(),
    failed: 0,
    durationMs: clock.now() - startedMs,
    ...(error === undefined ? {} : { error }),
  });
  let lease: Lease | undefined;
  try {
    lease = await checkpoints.acquire(source, deps.owner, startedMs, deps.leaseMs);
  } catch (thrown) {
    // Reported like any other failed run (a summary, RunSucceeded 0), not thrown past the run's own handling.
    const summary = withoutLease('failed', describeError(thrown));
    logger.error('run failed: could not take the lease; the checkpoint is unchanged', { error: summary.error });
    logger.info('run finished', { summary });
    return summary;
  }
  if (!lease) {
    logger.info('another run holds the lease on this source: exiting', { source });
    return withoutLease('lease-held');
  }

  const counts = emptyCounts();
  let current: Lease = lease;
  let status: RunStatus = 'idle';
  let window: OpenWindow | undefined;
  let clamped: ClampedInterval | undefined;
  let sweep: SweepSummary | undefined;
  let windowsCompleted = 0;
  let failed = 0;
  let error: string | undefined;
  let following: PrefetchedWindow | undefined;
  // How long the run's pages take: every window's time checks, and the sweep's, go by it.
  const pace = freshPace();
  // Whether the run goes on to another window after the one ending at `endIso`, and which.
  const isCaughtUp = (endIso: string) => clock.now() - deps.settings.settleDelayMs - Date.parse(endIso) < CATCH_UP_GAP_MS;
  const nextWindow = (completed: OpenWindow): OpenWindow | undefined => {
    if (isCaughtUp(completed.end)) return undefined;
    const next = planWindow({ cursor: completed.end }, clock.now(), deps.settings);
    return next.kind === 'window' && !next.clamped ? next.window : undefined;
  };
  try {
    for (;;) {
      const nowMs = clock.now();
      // The pager of the window before planned this one (from the same cursor, a moment ago) and already
      // asked for its first page.
      const plan: WindowPlan = following
        ? { kind: 'window', window: following.window, resumed: false }
        : planWindow(current.checkpoint, nowMs, deps.settings);
      const firstPage = following?.firstPage;
      following = undefined;
      if (plan.clamped) {
        clamped = plan.clamped;
        logger.warn('checkpoint older than the API keeps: incidents in the lost interval can no longer be fetched', { lost: plan.clamped });
      }
      if (plan.kind === 'idle') {
        if (plan.clamped) current = await checkpoints.complete(current, { cursor: plan.clamped.lostTo });
        break;
      }
      window = plan.window;
      logger.appendKeys({ window: { start: window.start, end: window.end } });
      const outcome = await drainWindow(window, deps, {
        counts,
        onProgress: async (progress) => {
          current = await checkpoints.saveProgress(current, progress);
        },
        following: nextWindow,
        pace,
        ...(firstPage ? { firstPage } : {}),
      });
      window = outcome.window;
      following = outcome.following;
      if (!outcome.completed) {
        status = 'stopped-for-time';
        logger.info('stopping before the time limit: the next run resumes this window', { next: window.next });
        break;
      }
      current = await checkpoints.complete(current, {
        cursor: window.end,
        origin: current.checkpoint.origin ?? window.start,
        // The first window needs no sweep: nothing before it was ever delivered.
        sweptAt: current.checkpoint.sweptAt ?? iso(nowMs),
      });
      windowsCompleted++;
      status = 'completed';
      if (isCaughtUp(window.end)) break;
    }
    // A sweep due with no time left for a page waits for the next run.
    if (status !== 'stopped-for-time' && hasTimeForPage(deps, pace) && isSweepDue(current.checkpoint, clock.now(), deps.settings)) {
      const result = await sweepForUpdates(current, deps, counts, pace);
      sweep = result.summary;
      current = result.lease;
      if (!sweep.completed) status = 'stopped-for-time';
    }
  } catch (thrown) {
    status = 'failed';
    error = describeError(thrown);
    if (thrown instanceof DeliveryError) failed = thrown.failedCount;
    logger.error('run failed: the checkpoint stays at the last delivered page', { error });
  } finally {
    following?.cancel();
    try {
      // The run's outcome goes in with the release, so `symantec-edr status` can tell how each source is doing.
      const lastRun: LastRun = { status, at: iso(clock.now()), ...(error === undefined ? {} : { error }) };
      await checkpoints.release(current, lastRun);
    } catch (thrown) {
      // The lease expires on its own; the checkpoint is already safe.
      logger.warn('could not release the lease', { error: describeError(thrown) });
    }
  }

  const cursor = current.checkpoint.cursor;
  const endedMs = clock.now();
  const summary: RunSummary = {
    source,
    version: VERSION,
    status,
    window: window && { start: window.start, end: window.end },
    completed: status === 'completed' || status === 'idle',
    windowsCompleted,
    ...counts,
    failed,
    clamped,
    sweep,
    cursor,
    lagSeconds: cursor === undefined ? undefined : Math.max(0, Math.round((endedMs - Date.parse(cursor)) / 1000)),
    durationMs: endedMs - startedMs,
    error,
  };
  logger.info('run finished', { summary });
  return summary;
}
