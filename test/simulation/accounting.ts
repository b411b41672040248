/**
 * Reconciles what the simulator created with what Firehose received. An incident version is
 * `incident_uid` + `modified`. Its filter timestamp is the one the simulated API filters windows on
 * (`time` unless switched). A version that a new window holds (see test/support/version-reach.ts) and
 * that was not delivered is, in this order:
 * - in a clamp: its filter timestamp lies in an interval a run announced as lost (the 30-day limit);
 * - pending: its filter timestamp is at or after the final cursor (its window has not been read yet);
 * - superseded unread: a newer version replaced it before any window holding it was completed, so no
 *   run could have been expected to see it (the API serves only the current version of an incident);
 * - lost: anything else.
 * A version only the update sweep can find (an update when the API filters on `created`) and that was not
 * delivered is, in this order:
 * - beyond the horizon: its filter timestamp was older than UPDATE_SWEEP_HORIZON by the time a sweep was
 *   due, so no sweep was ever meant to read it (unreachable by design);
 * - replaced before a sweep: it lived less than the sweep interval plus the slack (time without any run
 *   does not count), as the scenario matrix's ledger allows;
 * - not yet swept: it is still current but appeared less than that before the end;
 * - lost: anything else. Lost must be 0.
 * A version delivered more than once is a duplicate; each is traced to records that a process put into
 * Firehose and never marked seen (a kill between the two, or a failed seen-mark), else it is unexplained.
 */
import type { ClampedInterval } from '../../functions/window.js';
import type { FilterField, VersionRecord } from '../../local/incident-store.js';
import { deliveriesByVersion, filterTimestamp, isReachableByNewWindow, versionKey } from '../support/version-reach.js';

export { versionKey } from '../support/version-reach.js';

export type DuplicateCause = 'kill' | 'mark-failed' | 'run-ended';

export interface AccountingInput {
  readonly versions: readonly VersionRecord[];
  /** When each version (same index) appeared in the simulator, on the simulated clock. */
  readonly appearedAtMs: readonly number[];
  /** Delivered records, parsed, in delivery order. */
  readonly delivered: readonly { uid: string; modified: string }[];
  /** Every cursor write that took effect, in order. */
  readonly cursorMoves: readonly { atMs: number; cursor: string }[];
  readonly clamps: readonly ClampedInterval[];
  readonly finalCursor: string | undefined;
  /** Versions that were put into Firehose and not marked seen when their run ended, by cause. */
  readonly unmarked: ReadonlyMap<string, DuplicateCause>;
  readonly reach: ReachRule;
}

/** Which safeguard reaches a version, and how long the update sweep may take to. */
export interface ReachRule {
  readonly filterField: FilterField;
  /** UPDATE_SWEEP_INTERVAL; 0 when the sweep is off (nothing then excuses a version only a sweep could find). */
  readonly sweepIntervalMs: number;
  /** UPDATE_SWEEP_HORIZON: how far back a sweep reads, by the filter timestamp. */
  readonly sweepHorizonMs: number;
  /** How much later than its interval a sweep may come (runs failed by faults, a Firehose outage). */
  readonly sweepSlackMs: number;
  /** No run at all in here (the long outage): waiting for a sweep does not count this time. */
  readonly noRuns: { readonly fromMs: number; readonly toMs: number } | undefined;
  readonly endMs: number;
}

export interface Accounting {
  readonly created: number;
  readonly deliveredRecords: number;
  readonly deliveredVersions: number;
  readonly lost: number;
  readonly lostSamples: readonly string[];
  readonly clampLost: number;
  /** Versions in a reported clamp interval that were delivered anyway (the clamp over-reported). */
  readonly clampDelivered: number;
  readonly supersededUnread: number;
  readonly pending: number;
  /** Only a sweep could find these, and it was not due yet or they were replaced before it was. */
  readonly replacedBeforeSweep: number;
  readonly notYetSwept: number;
  /** Only a sweep could find these, and their filter timestamp was older than its horizon: unreachable by design. */
  readonly beyondSweepHorizon: number;
  /** Extra deliveries: records beyond the first of each version. */
  readonly duplicates: number;
  readonly duplicatesByCause: Readonly<Record<DuplicateCause | 'unexplained', number>>;
  readonly duplicateRate: number;
  /** Delivered records that match no created version. */
  readonly phantoms: number;
}

export function reconcile(input: AccountingInput): Accounting {
  const deliveries = deliveriesByVersion(input.delivered);
  const keys = input.versions.map((version) => versionKey(version.incident_uid, version.modified));
  const createdKeys = new Set(keys);
  const { supersededAt, previous } = neighbours(input.versions, input.appearedAtMs);
  const field = input.reach.filterField;
  const cursorAt = cursorHistory(input.cursorMoves);
  const finalCursorMs = input.finalCursor === undefined ? -Infinity : Date.parse(input.finalCursor);
  const inClamp = (timeMs: number) =>
    input.clamps.some((clamp) => timeMs >= Date.parse(clamp.lostFrom) && timeMs < Date.parse(clamp.lostTo));

  let lost = 0;
  let clampLost = 0;
  let clampDelivered = 0;
  let supersededUnread = 0;
  let pending = 0;
  const sweepVerdicts = { 'replaced-before-sweep': 0, 'not-yet-swept': 0, 'beyond-horizon': 0 };
  const lostSamples: string[] = [];
  input.versions.forEach((version, index) => {
    const delivered = deliveries.has(keys[index] as string);
    const filterMs = filterTimestamp(version, field);
    const replacedMs = supersededAt[index];
    const before = previous[index];
    if (!isReachableByNewWindow(version, before === undefined ? undefined : input.versions[before], field)) {
      if (delivered) return;
      const verdict = judgeSweepOnly(filterMs, input.appearedAtMs[index] as number, replacedMs, input.reach);
      if (verdict !== 'lost') {
        sweepVerdicts[verdict]++;
        return;
      }
    } else {
      if (inClamp(filterMs)) {
        if (delivered) clampDelivered++;
        else clampLost++;
        return;
      }
      if (delivered) return;
      if (filterMs >= finalCursorMs) {
        pending++;
        return;
      }
      if (replacedMs !== undefined && !(cursorAt(replacedMs) > filterMs)) {
        supersededUnread++;
        return;
      }
    }
    lost++;
    if (lostSamples.length < 10)
      lostSamples.push(
        `${keys[index]} (${field} ${new Date(filterMs).toISOString()}${replacedMs === undefined ? '' : `, replaced at ${new Date(replacedMs).toISOString()}`})`,
      );
  });

  const duplicatesByCause = { kill: 0, 'mark-failed': 0, 'run-ended': 0, unexplained: 0 };
  let duplicates = 0;
  let phantoms = 0;
  for (const [key, count] of deliveries) {
    if (!createdKeys.has(key)) phantoms++;
    if (count < 2) continue;
    duplicates += count - 1;
    duplicatesByCause[input.unmarked.get(key) ?? 'unexplained'] += count - 1;
  }
  return {
    created: input.versions.length,
    deliveredRecords: input.delivered.length,
    deliveredVersions: deliveries.size,
    lost,
    lostSamples,
    clampLost,
    clampDelivered,
    supersededUnread,
    pending,
    replacedBeforeSweep: sweepVerdicts['replaced-before-sweep'],
    notYetSwept: sweepVerdicts['not-yet-swept'],
    beyondSweepHorizon: sweepVerdicts['beyond-horizon'],
    duplicates,
    duplicatesByCause,
    duplicateRate: input.delivered.length === 0 ? 0 : duplicates / input.delivered.length,
    phantoms,
  };
}

/**
 * For each version, when the next version of the same incident appeared (undefined for the latest), and
 * the index of the version it replaced (undefined for a creation).
 */
function neighbours(
  versions: readonly VersionRecord[],
  appearedAtMs: readonly number[],
): { supersededAt: (number | undefined)[]; previous: (number | undefined)[] } {
  const supersededAt: (number | undefined)[] = new Array(versions.length).fill(undefined);
  const previous: (number | undefined)[] = new Array(versions.length).fill(undefined);
  const latest = new Map<string, number>();
  versions.forEach((version, index) => {
    const before = latest.get(version.incident_uid);
    if (before !== undefined) supersededAt[before] = appearedAtMs[index];
    previous[index] = before;
    latest.set(version.incident_uid, index);
  });
  return { supersededAt, previous };
}

type SweepVerdict = 'lost' | 'replaced-before-sweep' | 'not-yet-swept' | 'beyond-horizon';

/** Why a version only the sweep could find was not delivered, if the sweep's design excuses it. */
function judgeSweepOnly(filterMs: number, appearedMs: number, replacedMs: number | undefined, rule: ReachRule): SweepVerdict {
  if (rule.sweepIntervalMs === 0) return 'lost';
  const dueMs = sweepDueBy(appearedMs, rule);
  // A sweep reads back UPDATE_SWEEP_HORIZON from when it runs, and the one that was due ran by `dueMs`
  // at the latest. (A sweep that came earlier reaches a little further back: such a version is excused too.)
  if (filterMs < dueMs - rule.sweepHorizonMs) return 'beyond-horizon';
  if (replacedMs !== undefined && replacedMs < dueMs) return 'replaced-before-sweep';
  if (replacedMs === undefined && rule.endMs < dueMs) return 'not-yet-swept';
  return 'lost';
}

/** The latest a sweep may read a version that appeared at `appearedMs`; time without any run is not counted. */
function sweepDueBy(appearedMs: number, rule: ReachRule): number {
  let dueMs = appearedMs + rule.sweepIntervalMs + rule.sweepSlackMs;
  const gap = rule.noRuns;
  if (gap && appearedMs < gap.toMs && dueMs > gap.fromMs) dueMs += gap.toMs - Math.max(appearedMs, gap.fromMs);
  return dueMs;
}

/** The stored cursor (as epoch ms) at any instant: the furthest move at or before it; -Infinity before the first. */
function cursorHistory(moves: readonly { atMs: number; cursor: string }[]): (atMs: number) => number {
  // The furthest so far, not the latest: a regression must not be able to hide a loss here.
  const furthest: number[] = [];
  moves.forEach((move, index) =>
    furthest.push(Math.max(index === 0 ? -Infinity : (furthest[index - 1] as number), Date.parse(move.cursor))),
  );
  return (atMs) => {
    let low = 0;
    let high = moves.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((moves[middle] as { atMs: number }).atMs <= atMs) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? -Infinity : (furthest[low - 1] as number);
  };
}
