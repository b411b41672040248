import type { IncidentStore } from '../../local/incident-store.js';
import { createRandom, type Random } from '../../local/random.js';

/**
 * The scripted life of a tenant, the same for every API behaviour: a history that starts before the
 * function's first window, new incidents every tick, bursts large enough to page through, analyst updates
 * (which move `time` and `modified`) and edits (which move only `modified`) to new and old incidents, and
 * an outage during which no run happens. Seeded: one seed, one story.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface ScenarioShape {
  /** The schedule: one run per tick. */
  tickMs: number;
  /** Scripted changes happen in [start, start + activeMs); afterwards only runs (and the simulator) act. */
  activeMs: number;
  /** Runs after the last scripted change, long enough for the last versions to reach a sweep. */
  tailMs: number;
  /** Incidents created before the first run, spread over `historySpanMs` before it. */
  historyCount: number;
  historySpanMs: number;
  /** New incidents per tick, drawn from [min, max]. */
  arrivalsPerTick: readonly [number, number];
  /** Chance per tick of one scripted update, and of one edit that moves only `modified`. */
  updateChance: number;
  editChance: number;
  /** A scripted change never follows another on the same incident sooner than this. */
  minChangeGapMs: number;
  /** Incidents created at once, spread over the tick before `atMs` (relative to the start). */
  bursts: readonly { atMs: number; count: number }[];
  /** Spans (relative to the start) when no run happens: the schedule or the function was down. */
  outages: readonly { fromMs: number; toMs: number }[];
}

export const defaultShape: ScenarioShape = {
  tickMs: 5 * MINUTE,
  activeMs: 32 * HOUR,
  tailMs: 9 * HOUR,
  historyCount: 120,
  historySpanMs: 72 * HOUR,
  arrivalsPerTick: [0, 1],
  updateChance: 0.35,
  editChance: 0.2,
  // A sweep runs every 6 h, and an outage of 2 h can delay it: a version that lives longer than that
  // reaches a sweep, so no scripted change may replace it sooner.
  minChangeGapMs: 8 * HOUR + 30 * MINUTE,
  bursts: [
    { atMs: 3 * HOUR, count: 90 },
    { atMs: 20 * HOUR, count: 140 },
  ],
  outages: [{ fromMs: 26 * HOUR, toMs: 28 * HOUR }],
};

export interface ScenarioScript {
  /** Before the first run. */
  prepare(startMs: number): void;
  /** Before the run of a tick; false when the tick falls in an outage (no run). */
  beforeTick(nowMs: number): boolean;
  /** Versions the script itself made (the simulator can make more while answering). */
  readonly scriptedChanges: number;
}

export function createScenarioScript(store: IncidentStore, shape: ScenarioShape, seed: number): ScenarioScript {
  const random: Random = createRandom(seed ^ 0x5c21);
  const lastChangeMs = new Map<string, number>();
  let startMs = 0;
  let changes = 0;

  const changeable = (nowMs: number) =>
    store.all().filter((incident) => nowMs - (lastChangeMs.get(incident.incident_uid) ?? -Infinity) >= shape.minChangeGapMs);

  const changeOne = (nowMs: number, change: 'update' | 'edit') => {
    const candidates = changeable(nowMs);
    if (candidates.length === 0) return;
    const uid = random.pick(candidates).incident_uid;
    if (change === 'update') store.updateIncidents([uid], nowMs);
    else store.touchIncidents([uid], nowMs);
    lastChangeMs.set(uid, nowMs);
    changes++;
  };

  const created = (count: number, fromMs: number, toMs: number) => {
    for (const incident of store.createIncidentsBetween(count, fromMs, toMs))
      lastChangeMs.set(incident.incident_uid, Date.parse(incident.created));
    changes += count;
  };

  return {
    prepare(at) {
      startMs = at;
      created(shape.historyCount, at - shape.historySpanMs, at - shape.tickMs);
    },
    beforeTick(nowMs) {
      const elapsed = nowMs - startMs;
      if (elapsed < shape.activeMs) {
        const arrivals = random.int(shape.arrivalsPerTick[0], shape.arrivalsPerTick[1]);
        if (arrivals > 0) created(arrivals, nowMs - shape.tickMs, nowMs);
        for (const burst of shape.bursts) {
          if (burst.atMs > elapsed - shape.tickMs && burst.atMs <= elapsed) created(burst.count, nowMs - shape.tickMs, nowMs);
        }
        if (random.chance(shape.updateChance)) changeOne(nowMs, 'update');
        if (random.chance(shape.editChance)) changeOne(nowMs, 'edit');
      }
      return !shape.outages.some((outage) => elapsed >= outage.fromMs && elapsed < outage.toMs);
    },
    get scriptedChanges() {
      return changes;
    },
  };
}
