import type { FilterField, VersionRecord } from '../../local/incident-store.js';

/**
 * Which of the function's safeguards can reach an incident version, shared by the scenario matrix and the
 * fault simulation so that both books follow one rule. The API serves only the current version of an
 * incident, in the windows of the timestamp it filters on:
 * - a version whose filter timestamp moved past its predecessor's (a creation; an update when the API
 *   filters on `time` or `modified`; an edit when it filters on `modified`) falls into a window that has
 *   not been read yet, so the forward windows find it;
 * - any other version (an update when the API filters on `created`, an edit that moves only `modified`
 *   when it filters on `time` or `created`) sits in a window already read: only the update sweep finds it.
 */

/** An incident version: `incident_uid` + `modified`, in one spelling whatever the offset's form. */
export const versionKey = (uid: string, modified: string) => `${uid}@${new Date(modified).toISOString()}`;

/** How many records of each version were delivered, by `versionKey`. */
export function deliveriesByVersion(delivered: Iterable<{ readonly uid: string; readonly modified: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of delivered) {
    const key = versionKey(record.uid, record.modified);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The version's timestamp that the API filters windows on, as epoch ms. */
export function filterTimestamp(version: VersionRecord, field: FilterField): number {
  return field === 'time' ? version.time : Date.parse(field === 'modified' ? version.modified : version.created);
}

/** Whether a new forward window holds `version` (`previous` is the version it replaced, if any); else only the sweep can. */
export function isReachableByNewWindow(version: VersionRecord, previous: VersionRecord | undefined, field: FilterField): boolean {
  return previous === undefined || filterTimestamp(version, field) > filterTimestamp(previous, field);
}
