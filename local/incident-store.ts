import type { Clock } from '../functions/clock.js';
import { createIncidentGenerator, type Incident, type IncidentGeneratorOptions } from './incident-generator.js';
import { createRandom } from './random.js';

/**
 * The simulator's data: the current version of each incident (what the API serves) and a ledger of every
 * version ever created, so a test can compare versions created with versions delivered. A version replaced
 * before anyone fetched it is gone from the API, as in the real service.
 */

export type FilterField = 'time' | 'modified' | 'created';

/** The API keeps 30 days of incidents (vendor documentation; every peer integration clamps to it). */
export const retentionMs = 30 * 24 * 60 * 60 * 1000;

export interface VersionRecord {
  incident_uid: string;
  type: string;
  /** ISO, as in the incident. */
  modified: string;
  /** Epoch ms, as in the incident. */
  time: number;
  created: string;
}

export interface IncidentStoreOptions extends IncidentGeneratorOptions {
  /** Time source for "now" (default timestamps, retention). */
  clock: Clock;
}

export interface IncidentStore {
  /** Creates `n` incidents at `atMs` (default: the clock's now). */
  createIncidents(n: number, atMs?: number): Incident[];
  /** Creates `n` incidents spread evenly over [startMs, endMs), oldest first: a history to page through. */
  createIncidentsBetween(n: number, startMs: number, endMs: number): Incident[];
  /** Updates `n` random retained incidents, or the named ones, at `atMs` (default: now). */
  updateIncidents(target: number | readonly string[], atMs?: number): Incident[];
  /** Moves only `modified` of the named incidents (an analyst's edit); `time` stays. */
  touchIncidents(incidentUids: readonly string[], atMs?: number): Incident[];
  /** Every version created so far, in creation order. */
  versionsCreated(): readonly VersionRecord[];
  get(incidentUid: string): Incident | undefined;
  /** The current version of every incident still held. */
  all(): Incident[];
  /** Retained incidents whose `field` lies in the window; unordered. */
  select(field: FilterField, startMs: number, endMs: number, endInclusive: boolean): Incident[];
}

export function timestampOf(incident: Incident, field: FilterField): number {
  if (field === 'time') return incident.time;
  // Every page request scans the whole store: each date text is parsed once per incident version.
  let parsed = parsedDates.get(incident);
  if (parsed === undefined) {
    parsed = { modified: Date.parse(incident.modified), created: Date.parse(incident.created) };
    parsedDates.set(incident, parsed);
  }
  return field === 'modified' ? parsed.modified : parsed.created;
}

// Incident versions are never changed in place (an update makes a new object), so their parsed dates keep.
const parsedDates = new WeakMap<Incident, { readonly modified: number; readonly created: number }>();

export function createIncidentStore(options: IncidentStoreOptions): IncidentStore {
  const { clock } = options;
  const generator = createIncidentGenerator(options);
  const random = createRandom((options.seed ?? 1) ^ 0x5eed);
  const current = new Map<string, Incident>();
  const ledger: VersionRecord[] = [];

  const record = (incident: Incident) => {
    current.set(incident.incident_uid, incident);
    ledger.push({
      incident_uid: incident.incident_uid,
      type: incident.type,
      modified: incident.modified,
      time: incident.time,
      created: incident.created,
    });
  };

  const isRetained = (incident: Incident, nowMs: number) => timestampOf(incident, 'modified') >= nowMs - retentionMs;

  // Incidents past retention under every filter field can never be served again; dropping them keeps a
  // month-long simulation's memory flat. `modified` is the latest of the three timestamps.
  const prune = () => {
    const nowMs = clock.now();
    for (const [uid, incident] of current) if (!isRetained(incident, nowMs)) current.delete(uid);
  };

  return {
    createIncidents(n, atMs = clock.now()) {
      prune();
      const made = Array.from({ length: n }, () => generator.create(atMs));
      made.forEach(record);
      return made;
    },
    createIncidentsBetween(n, startMs, endMs) {
      prune();
      const span = Math.max(0, endMs - startMs);
      const made = Array.from({ length: n }, (_, i) => generator.create(startMs + Math.floor((span * i) / n)));
      made.forEach(record);
      return made;
    },
    updateIncidents(target, atMs = clock.now()) {
      const nowMs = clock.now();
      let chosen: Incident[];
      if (typeof target === 'number') {
        const candidates = [...current.values()].filter((incident) => isRetained(incident, nowMs));
        chosen = random.shuffle(candidates).slice(0, target);
      } else {
        chosen = target.map((uid) => {
          const found = current.get(uid);
          if (!found) throw new RangeError(`No incident ${uid} in the simulator's store`);
          return found;
        });
      }
      const updated = chosen.map((incident) => generator.update(incident, atMs));
      updated.forEach(record);
      return updated;
    },
    touchIncidents(incidentUids, atMs = clock.now()) {
      const touched = incidentUids.map((uid) => {
        const found = current.get(uid);
        if (!found) throw new RangeError(`No incident ${uid} in the simulator's store`);
        return generator.touch(found, atMs);
      });
      touched.forEach(record);
      return touched;
    },
    versionsCreated: () => ledger,
    get: (uid) => current.get(uid),
    all: () => [...current.values()],
    select(field, startMs, endMs, endInclusive) {
      const oldestServedMs = clock.now() - retentionMs;
      const rows: Incident[] = [];
      for (const incident of current.values()) {
        const at = timestampOf(incident, field);
        if (at < oldestServedMs || at < startMs) continue;
        if (endInclusive ? at > endMs : at >= endMs) continue;
        rows.push(incident);
      }
      return rows;
    },
  };
}
