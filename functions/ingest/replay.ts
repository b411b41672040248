/**
 * Re-ingests a past range through the seen-set without touching the checkpoint: for a destination that
 * lost data, or to backfill after changing the output format (with DEDUPE off, to send everything again).
 */
import { ConfigError } from '../errors.js';
import { earliestFetchableMs } from '../window.js';
import { drainRange, type RangeOptions } from './drain-range.js';
import type { RunDependencies } from './ports.js';
import { emptyCounts, type PagerCounts } from './window-pager.js';

export interface ReplaySummary extends PagerCounts {
  readonly from: string;
  readonly to: string;
  readonly completed: boolean;
  /** When the time was up before the end of the range: the `--from` that goes on with it. */
  readonly resumeFrom?: string;
}

export async function replay(
  deps: RunDependencies,
  fromMs: number,
  toMs: number,
  options: Pick<RangeOptions, 'onWindowDone'> = {},
): Promise<ReplaySummary> {
  const nowMs = deps.clock.now();
  if (!(fromMs < toMs)) throw new ConfigError('replay: --from must be earlier than --to');
  if (fromMs < earliestFetchableMs(nowMs)) {
    throw new ConfigError(
      `replay: --from ${new Date(fromMs).toISOString()} is older than the 30 days the API keeps (earliest: ${new Date(earliestFetchableMs(nowMs)).toISOString()})`,
    );
  }
  if (toMs > nowMs) throw new ConfigError('replay: --to must not be in the future');
  const counts = emptyCounts();
  const outcome = await drainRange(fromMs, toMs, deps, counts, options);
  const range = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  // The window where it stopped is read again from its start: the seen-set keeps its delivered rows out.
  return outcome.completed
    ? { ...range, completed: true, ...counts }
    : { ...range, completed: false, resumeFrom: outcome.stoppedAt.start, ...counts };
}
