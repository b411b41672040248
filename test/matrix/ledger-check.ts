import type { FilterField, VersionRecord } from '../../local/incident-store.js';
import { deliveriesByVersion, isReachableByNewWindow, versionKey } from '../support/version-reach.js';

export { versionKey } from '../support/version-reach.js';

/**
 * Compares the versions the simulator created with the documents Firehose received. Pure.
 *
 * A polling client can only deliver a version the API showed it: one replaced before any query could
 * return it is gone for everybody. So a version is *required* when it is in scope (its `modified` is at or
 * after the start of the first window) and lived long enough for the function's safeguards to reach it:
 * - a version whose filter timestamp moved (a creation; an update when the API filters on `time` or
 *   `modified`; an edit when it filters on `modified`) falls into a new window, read within the settle
 *   delay plus one tick;
 * - any other version (an update when the API filters on `created`, an edit when it filters on `time` or
 *   `created`) is found by the update sweep, within the sweep interval plus one tick and the longest
 *   outage.
 * Every required version must be delivered exactly once; nothing may be delivered twice or invented.
 */

export interface DeliveredVersion {
  readonly uid: string;
  readonly modified: string;
}

export interface LedgerCheckInput {
  readonly versions: readonly VersionRecord[];
  readonly delivered: readonly DeliveredVersion[];
  readonly filterField: FilterField;
  /** Start of the first window: versions modified before it were never asked for. */
  readonly originMs: number;
  /** When the scenario ended: the current versions lived until then. */
  readonly endMs: number;
  readonly forwardLatencyMs: number;
  readonly sweepLatencyMs: number;
}

export interface LedgerCheck {
  readonly versions: number;
  readonly inScope: number;
  readonly required: number;
  readonly delivered: number;
  /** Required versions that never arrived: lost. */
  readonly missing: readonly string[];
  /** Versions that arrived more than once. */
  readonly duplicates: readonly string[];
  /** Documents that match no version the simulator made. */
  readonly unknown: readonly string[];
  /** In scope, too short-lived to be required, and not delivered (no client could be sure to see them). */
  readonly shortLivedMissed: number;
  /** In scope and too short-lived to be required, yet delivered anyway. */
  readonly shortLivedDelivered: number;
}

export function checkLedger(input: LedgerCheckInput): LedgerCheck {
  const deliveredCount = deliveriesByVersion(input.delivered);

  const byUid = new Map<string, VersionRecord[]>();
  for (const version of input.versions) {
    const list = byUid.get(version.incident_uid) ?? [];
    list.push(version);
    byUid.set(version.incident_uid, list);
  }

  const known = new Set<string>();
  const missing: string[] = [];
  let inScope = 0;
  let required = 0;
  let shortLivedMissed = 0;
  let shortLivedDelivered = 0;
  for (const history of byUid.values()) {
    history.forEach((version, index) => {
      const key = versionKey(version.incident_uid, version.modified);
      known.add(key);
      const modifiedMs = Date.parse(version.modified);
      if (modifiedMs < input.originMs) return;
      inScope++;
      const previous = history[index - 1];
      const replacedMs = history[index + 1] ? Date.parse((history[index + 1] as VersionRecord).modified) : input.endMs;
      const movedForward = isReachableByNewWindow(version, previous, input.filterField);
      const neededMs = movedForward ? input.forwardLatencyMs : input.sweepLatencyMs;
      const wasDelivered = deliveredCount.has(key);
      if (replacedMs - modifiedMs >= neededMs) {
        required++;
        if (!wasDelivered) missing.push(key);
      } else if (wasDelivered) shortLivedDelivered++;
      else shortLivedMissed++;
    });
  }

  return {
    versions: input.versions.length,
    inScope,
    required,
    delivered: input.delivered.length,
    missing,
    duplicates: [...deliveredCount].filter(([, n]) => n > 1).map(([key]) => key),
    unknown: [...deliveredCount.keys()].filter((key) => !known.has(key)),
    shortLivedMissed,
    shortLivedDelivered,
  };
}
