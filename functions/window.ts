/**
 * Window planning: which slice of time the next run pages through. Pure: a function of the stored
 * checkpoint, the time and the settings.
 */

/** The API keeps 30 days; peers stay a few minutes inside that so a start computed now is still valid when sent. */
export const RETENTION_MS = 30 * 86_400_000;
export const RETENTION_MARGIN_MS = 5 * 60_000;

/** A window in flight: fixed once opened, stored with the checkpoint so a later run resumes it. */
export interface OpenWindow {
  /** ISO instants, UTC with milliseconds. */
  readonly start: string;
  readonly end: string;
  /** Row offset of the next page to ask for. */
  readonly next: number;
  /**
   * Rows per page for this window when smaller than PAGE_SIZE: a page of PAGE_SIZE rows was larger than
   * the response cap, so the window goes on with smaller pages, in a resumed run as well.
   */
  readonly pageSize?: number;
}

export interface WindowSettings {
  readonly initialLookbackMs: number;
  readonly settleDelayMs: number;
  readonly maxWindowMs: number;
}

export interface StoredPosition {
  /** End of the last completed window. */
  readonly cursor?: string | undefined;
  readonly window?: OpenWindow | undefined;
}

export type WindowPlan =
  | { readonly kind: 'window'; readonly window: OpenWindow; readonly resumed: boolean; readonly clamped?: ClampedInterval }
  | { readonly kind: 'idle'; readonly reason: string; readonly clamped?: ClampedInterval };

/** Time that can no longer be fetched because the API no longer holds it: data lost, reported loudly. */
export interface ClampedInterval {
  readonly lostFrom: string;
  readonly lostTo: string;
}

export function earliestFetchableMs(nowMs: number): number {
  return nowMs - RETENTION_MS + RETENTION_MARGIN_MS;
}

export function planWindow(position: StoredPosition, nowMs: number, settings: WindowSettings): WindowPlan {
  const floorMs = earliestFetchableMs(nowMs);
  if (position.window) {
    const startMs = Date.parse(position.window.start);
    if (startMs >= floorMs) return { kind: 'window', window: position.window, resumed: true };
    // The open window began before the API's horizon: the part before it is gone. Its offsets no longer
    // mean anything once the start moves, so the shortened window restarts at offset 0 (dedupe absorbs repeats).
    const clamped = { lostFrom: position.window.start, lostTo: iso(floorMs) };
    const endMs = Math.max(Date.parse(position.window.end), floorMs);
    return endMs > floorMs
      ? { kind: 'window', window: { start: iso(floorMs), end: iso(endMs), next: 0 }, resumed: true, clamped }
      : { kind: 'idle', reason: 'window entirely outside the retention', clamped };
  }

  const wantedStartMs = position.cursor === undefined ? nowMs - settings.initialLookbackMs : Date.parse(position.cursor);
  let clamped: ClampedInterval | undefined;
  let startMs = wantedStartMs;
  if (startMs < floorMs) {
    // A first run asking for more than the API keeps is not a loss: there was never a cursor to honour.
    if (position.cursor !== undefined) clamped = { lostFrom: iso(wantedStartMs), lostTo: iso(floorMs) };
    startMs = floorMs;
  }
  const endMs = Math.min(nowMs - settings.settleDelayMs, startMs + settings.maxWindowMs);
  if (endMs <= startMs) {
    return clamped ? { kind: 'idle', reason: 'nothing settled yet', clamped } : { kind: 'idle', reason: 'nothing settled yet' };
  }
  const window = { start: iso(startMs), end: iso(endMs), next: 0 };
  return clamped ? { kind: 'window', window, resumed: false, clamped } : { kind: 'window', window, resumed: false };
}

/**
 * The first part of a window whose result set is too large for one query; the rest is the next window.
 * `keepShare` is the share of its time span to keep (0 to 1): half by default.
 */
export function narrowWindow(window: OpenWindow, keepShare = 0.5): OpenWindow | undefined {
  const startMs = Date.parse(window.start);
  const endMs = Date.parse(window.end);
  // At least a millisecond is kept; below a millisecond nothing can be split: the caller pages what the
  // API gives and says so.
  const cutMs = Math.max(startMs + 1, startMs + Math.floor((endMs - startMs) * Math.min(1, keepShare)));
  if (cutMs >= endMs) return undefined;
  return { start: window.start, end: iso(cutMs), next: 0 };
}

/**
 * How much of a window to keep when its first page reports `total` rows at or over `threshold`: a span
 * expected to hold 80% of the threshold if the rows are spread evenly, so one narrowing usually suffices
 * (100,000 rows in a day: one wasted page instead of four halvings); never more than half, because a
 * `total` that is the API's cap rather than the true count says nothing about the spread.
 */
export function narrowingShare(total: number, threshold: number): number {
  return Math.min(0.5, (0.8 * threshold) / total);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
