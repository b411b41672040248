import { describe, expect, it } from 'vitest';
import type { FilterField } from '../../local/incident-store.js';
import { expectEveryVersionDeliveredOnce, SMALL_PAGES } from './matrix-expectations.js';
import type { ScenarioShape } from './scenario-script.js';
import { runScenario, SCENARIO_START_MS } from './scenario-runner.js';

/**
 * Each safeguard proven necessary: switched off, the same scenario loses versions; switched on, it loses
 * none. (The window split is proven the same way in result-cap.test.ts.)
 */

const HOUR = 3_600_000;
const NO_SWEEP = { UPDATE_SWEEP_INTERVAL: '0s' } as const;
// Without the sweep no version needs to wait for one: half a day with a burst every three hours pages
// enough windows for the simulator's updates to shift offsets.
const HALF_DAY: Partial<ScenarioShape> = {
  activeMs: 12 * HOUR,
  tailMs: HOUR,
  bursts: [1, 4, 7, 10].map((hours) => ({ atMs: hours * HOUR, count: 120 })),
  outages: [],
};

describe('the page overlap', () => {
  it('skips rows when each page is asked at the reported next while incidents leave the window', async () => {
    const result = await runScenario({
      behaviour: { filterField: 'modified', updatesDuringPaging: 3 },
      settings: { ...SMALL_PAGES, ...NO_SWEEP, PAGE_OVERLAP: '0' },
      shape: HALF_DAY,
    });

    expect(result.simulator.updatesDuringPaging).toBeGreaterThan(0);
    expect(result.check.missing.length).toBeGreaterThan(0);
    expect(result.check.duplicates).toEqual([]);
  });

  it('alone delivers every version while incidents leave the window between pages', async () => {
    const result = await runScenario({
      behaviour: { filterField: 'modified', updatesDuringPaging: 3 },
      settings: { ...SMALL_PAGES, ...NO_SWEEP },
      shape: HALF_DAY,
    });

    expect(result.config.pageOverlap).toBe(10);
    expect(result.runs.some((run) => run.sweep)).toBe(false);
    expect(result.simulator.updatesDuringPaging).toBeGreaterThan(0);
    expectEveryVersionDeliveredOnce(result);
  });
});

describe('the update sweep', () => {
  it('is what delivers updates when the API filters windows on created', async () => {
    const result = await runScenario({ behaviour: { filterField: 'created' }, settings: { ...SMALL_PAGES, ...NO_SWEEP }, shape: HALF_DAY });

    const lost = result.check.missing.map((key) =>
      result.versions.find((v) => `${v.incident_uid}@${new Date(v.modified).toISOString()}` === key),
    );
    expect(lost.length).toBeGreaterThan(0);
    // Only changes are lost: every creation falls in a window of its own.
    expect(lost.every((version) => version !== undefined && version.modified !== version.created)).toBe(true);
  });

  for (const filterField of ['created', 'time'] satisfies FilterField[]) {
    it(`delivers a change to an incident created before the first window, and nothing older, when the API filters on ${filterField}`, async () => {
      let old: string[] = [];
      const result = await runScenario({
        behaviour: { filterField },
        shape: { activeMs: 0, tailMs: 14 * HOUR, historyCount: 0, bursts: [], outages: [] },
        prepare: ({ store, startMs }) => {
          // Three days back: before the first window (INITIAL_LOOKBACK 24h), inside the sweep's 7 days.
          old = store.createIncidentsBetween(6, startMs - 72 * HOUR, startMs - 70 * HOUR).map((incident) => incident.incident_uid);
          store.createIncidentsBetween(4, startMs - 10 * HOUR, startMs - 9 * HOUR);
        },
        onTick: ({ store, elapsedMs }) => {
          if (elapsedMs !== HOUR) return;
          store.updateIncidents(old.slice(0, 2));
          // An edit moves only `modified`: with the API filtering on `time` no new window holds it either.
          store.touchIncidents(old.slice(2, 4));
        },
      });

      // 4 incidents of the first window, 2 updates and 2 edits of old ones; the 6 old creations stay out.
      expect(result.check).toMatchObject({ versions: 14, inScope: 8, required: 8, delivered: 8, missing: [], duplicates: [] });
      expect(result.runs.find((run) => run.sweep)?.sweep?.from).toBe(new Date(SCENARIO_START_MS + 6 * HOUR - 7 * 24 * HOUR).toISOString());
    });
  }
});
