/**
 * Pages through an arbitrary past range without storing progress: the update sweep and `replay` use it.
 * The range is cut into windows of at most MAX_WINDOW; a window too large for one query is narrowed and
 * its rest fetched next. Everything goes through the seen-set, so versions already delivered stay out.
 */
import { iso } from '../window.js';
import type { RunDependencies } from './ports.js';
import { drainWindow, type PagerCounts } from './window-pager.js';

/** Returns whether the whole range was read before the run's time was up. `keep` picks the rows to deliver. */
export async function drainRange(
  fromMs: number,
  toMs: number,
  deps: RunDependencies,
  counts: PagerCounts,
  keep?: (incident: unknown) => boolean,
): Promise<boolean> {
  for (let startMs = fromMs; startMs < toMs; ) {
    const window = { start: iso(startMs), end: iso(Math.min(toMs, startMs + deps.settings.maxWindowMs)), next: 0 };
    deps.logger.appendKeys({ window: { start: window.start, end: window.end } });
    const outcome = await drainWindow(window, deps, { counts, onProgress: async () => undefined, ...(keep ? { keep } : {}) });
    if (!outcome.completed) return false;
    startMs = Date.parse(outcome.window.end);
  }
  return true;
}
