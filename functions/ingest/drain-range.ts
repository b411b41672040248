/**
 * Pages through an arbitrary past range; the update sweep and `replay` use it. The range is cut into
 * windows of at most MAX_WINDOW; a window too large for one query is narrowed and its rest fetched next.
 * Everything goes through the seen-set, so versions already delivered stay out. Progress is not stored
 * here: a range stopped for time says where it stopped, and the caller keeps that if it wants to resume.
 */
import { iso, type OpenWindow } from '../window.js';
import type { RunDependencies } from './ports.js';
import { drainWindow, freshPace, type PagerCounts, type RunPace } from './window-pager.js';

/** Whether the whole range was read before the run's time was up; if not, the window to go on from. */
export type RangeOutcome = { readonly completed: true } | { readonly completed: false; readonly stoppedAt: OpenWindow };

export interface RangeOptions {
  /** Which rows to deliver. @default every row */
  readonly keep?: (incident: unknown) => boolean;
  /** A window where an earlier read of the same range stopped (with its next offset): read first, then on from its end. */
  readonly resumeAt?: OpenWindow;
  /** The run's pace so far (see `PagerHooks.pace`). @default a pace of this range's pages */
  readonly pace?: RunPace;
  /** Told of each window read to its end, with the counts so far (replay's progress lines). */
  readonly onWindowDone?: (window: OpenWindow, counts: Readonly<PagerCounts>) => void;
}

export async function drainRange(
  fromMs: number,
  toMs: number,
  deps: RunDependencies,
  counts: PagerCounts,
  options: RangeOptions = {},
): Promise<RangeOutcome> {
  // One pace for the whole range, so each window's first page is judged by the pages before it.
  const { keep, pace = freshPace() } = options;
  let first = options.resumeAt;
  for (let startMs = first ? Date.parse(first.start) : fromMs; startMs < toMs; ) {
    const window = first ?? { start: iso(startMs), end: iso(Math.min(toMs, startMs + deps.settings.maxWindowMs)), next: 0 };
    first = undefined;
    deps.logger.appendKeys({ window: { start: window.start, end: window.end } });
    const outcome = await drainWindow(window, deps, { counts, onProgress: async () => undefined, ...(keep ? { keep } : {}), pace });
    if (!outcome.completed) return { completed: false, stoppedAt: outcome.window };
    options.onWindowDone?.(outcome.window, counts);
    startMs = Date.parse(outcome.window.end);
  }
  return { completed: true };
}
