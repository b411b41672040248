import { expect } from 'vitest';
import type { SimulatorBehaviour } from '../../local/symantec-simulator.js';
import type { ScenarioShape } from './scenario-script.js';
import type { ScenarioResult } from './scenario-runner.js';

/** What every cell of the matrix must show, whatever the API's behaviour. */

const HOUR = 3_600_000;

/** Small pages so that bursts, catch-up windows and sweeps all page (the default overlap is then 10 rows). */
export const SMALL_PAGES = { PAGE_SIZE: '50' } as const;

/**
 * The 10,000-result cap scaled down 1:66 so a scenario stays fast: a cap of 150 rows with the split
 * threshold at 90% of it, as WINDOW_SPLIT_THRESHOLD=9000 is for 10,000.
 */
export const SMALL_CAP = 150;
export const SMALL_CAP_SETTINGS = { PAGE_SIZE: '40', WINDOW_SPLIT_THRESHOLD: '135' } as const;

/** More than the small cap in the first window (history), in a forward window (a burst) and after the outage. */
export const capShape: Partial<ScenarioShape> = {
  bursts: [
    { atMs: 3 * HOUR, count: 90 },
    { atMs: 20 * HOUR, count: 160 },
    { atMs: 27 * HOUR, count: 160 },
  ],
};
export const capHistory = 170;

export function expectEveryVersionDeliveredOnce(result: ScenarioResult): void {
  const { check } = result;
  expect(result.runs.filter((run) => run.status !== 'completed').map((run) => `${run.status}: ${run.error ?? ''}`)).toEqual([]);
  expect(check.missing).toEqual([]);
  expect(check.duplicates).toEqual([]);
  expect(check.unknown).toEqual([]);
  // The only versions that may be missed are those the simulator replaced while answering a page (the
  // script spaces its own changes wider than a sweep interval): each has a successor made by the simulator.
  expect(check.shortLivedMissed).toBeLessThanOrEqual(result.simulator.updatesDuringPaging);
  // A scenario that required little would prove little: every one here needs hundreds of versions.
  expect(check.required).toBeGreaterThan(500);
}

/** The sweep ran on schedule and its cost is reported apart, in the summary and in the metrics. */
export function expectSweepsReported(result: ScenarioResult, scenarioMs: number): void {
  const sweeps = result.runs.flatMap((run) => (run.sweep ? [run.sweep] : []));
  expect(sweeps.length).toBeGreaterThanOrEqual(Math.floor(scenarioMs / result.config.updateSweepIntervalMs) - 1);
  expect(sweeps.every((sweep) => sweep.completed)).toBe(true);
  const sweepFetched = sweeps.reduce((sum, sweep) => sum + sweep.fetched, 0);
  const allFetched = result.runs.reduce((sum, run) => sum + run.fetched, 0);
  expect(result.metrics.SweepIncidentsFetched).toBe(sweepFetched);
  expect(result.metrics.SweepRecordsDelivered).toBe(sweeps.reduce((sum, sweep) => sum + sweep.delivered, 0));
  expect(result.metrics.IncidentsFetched).toBe(allFetched - sweepFetched);
}

export function expectEventIds(result: ScenarioResult, behaviour: Partial<SimulatorBehaviour>): void {
  expect([...result.documents.eventIdDigits]).toEqual([behaviour.eventIdDigits ?? 7]);
  expect(result.documents.unlabelled).toBe(0);
}
