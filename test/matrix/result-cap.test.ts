import { describe, expect, it } from 'vitest';
import type { SimulatorBehaviour } from '../../local/symantec-simulator.js';
import {
  capHistory,
  capShape,
  expectEventIds,
  expectEveryVersionDeliveredOnce,
  expectSweepsReported,
  SMALL_CAP,
  SMALL_CAP_SETTINGS,
} from './matrix-expectations.js';
import { defaultShape } from './scenario-script.js';
import { runScenario, type ScenarioOptions } from './scenario-runner.js';

/**
 * The matrix cells with a result cap (rows past it are never served): the window split must catch every
 * window that holds more, whether `total` reports the true count or the cap itself, in every order, and
 * with incidents updated while the window is paged. Scaled down (a cap of 150) for the two-day scenario,
 * and once at the real scale of 10,000.
 */

const HOUR = 3_600_000;
const SCENARIO_MS = defaultShape.activeMs + defaultShape.tailMs;
const NARROWED = 'window too large for one query: narrowing it';

function capScenario(behaviour: Partial<SimulatorBehaviour>, settings: Record<string, string> = SMALL_CAP_SETTINGS): ScenarioOptions {
  return {
    behaviour: { resultCap: SMALL_CAP, ...behaviour },
    settings,
    shape: capShape,
    // More than the cap inside the first window: the very first run has to split.
    prepare: ({ store, startMs }) => void store.createIncidentsBetween(capHistory, startMs - 20 * HOUR, startMs - HOUR),
  };
}

const cells: { name: string; behaviour: Partial<SimulatorBehaviour> }[] = [
  {
    name: 'sorts descending and reports the true total, filtering on time, with updates while paging',
    behaviour: { order: 'desc', resultCapTotal: 'true-count', filterField: 'time', updatesDuringPaging: 3 },
  },
  {
    name: 'sorts descending and reports the cap as total, filtering on created, last page without next, with updates while paging',
    behaviour: { order: 'desc', resultCapTotal: 'capped', filterField: 'created', lastPage: 'next-absent', updatesDuringPaging: 3 },
  },
  {
    name: 'returns rows unordered and reports the cap as total, filtering on modified, last page next: null',
    behaviour: { order: 'unordered', resultCapTotal: 'capped', filterField: 'modified', lastPage: 'next-null', eventIdDigits: 8 },
  },
];

describe('the window split against a result cap', () => {
  for (const { name, behaviour } of cells) {
    it(`delivers every version exactly once when the API caps results, ${name}`, async () => {
      const result = await runScenario(capScenario(behaviour));

      expectEveryVersionDeliveredOnce(result);
      expectSweepsReported(result, SCENARIO_MS);
      expectEventIds(result, behaviour);
      expect(result.logMessages).toContain(NARROWED);
      expect(result.warnings).toEqual([]);
    });
  }

  it('loses the rows past the cap when the split threshold is above it, which is what the split prevents', async () => {
    const result = await runScenario(capScenario({ order: 'desc', resultCapTotal: 'capped', filterField: 'time' }, { PAGE_SIZE: '40' }));

    expect(result.logMessages).not.toContain(NARROWED);
    expect(result.check.missing.length).toBeGreaterThan(0);
    expect(result.check.duplicates).toEqual([]);
  });

  it('splits at the real cap: 12,000 incidents in one day, descending, total reported as exactly 10,000', async () => {
    const result = await runScenario({
      behaviour: { filterField: 'time', order: 'desc', resultCap: 10_000, resultCapTotal: 'capped' },
      // Default PAGE_SIZE (2000) and WINDOW_SPLIT_THRESHOLD (9000); three runs, no script.
      shape: { activeMs: 0, tailMs: 10 * 60_000, historyCount: 0, bursts: [], outages: [] },
      prepare: ({ store, startMs }) => void store.createIncidentsBetween(12_000, startMs - 23 * HOUR, startMs - HOUR),
    });

    expect(result.config.splitThreshold).toBe(9000);
    expect(result.logMessages).toContain(NARROWED);
    expect(result.check).toMatchObject({ versions: 12_000, required: 12_000, delivered: 12_000, missing: [], duplicates: [] });
  }, 60_000);
});
