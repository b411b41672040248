import { describe, expect, it } from 'vitest';
import type { Fault, SimulatorBehaviour } from '../../local/symantec-simulator.js';
import { expectEventIds, expectEveryVersionDeliveredOnce, expectSweepsReported, SMALL_PAGES } from './matrix-expectations.js';
import { defaultShape } from './scenario-script.js';
import { runScenario } from './scenario-runner.js';

/**
 * The matrix without a result cap: two simulated days of the same scripted tenant against every value of
 * the filter field, the order, the last-page form, Retry-After and the event_id width, with incidents
 * updated while windows are paged. The capped cells are in result-cap.test.ts.
 */

const SCENARIO_MS = defaultShape.activeMs + defaultShape.tailMs;
// One 429 and one 503 every hour or so, each answered on the incidents endpoint of the next run.
const FAULTS: readonly { every: number; fault: Fault }[] = [
  { every: 11, fault: { kind: '429' } },
  { every: 13, fault: { kind: '503' } },
];
// A Retry-After no backoff would produce: the waits then show which rule the client followed.
const RETRY_AFTER_SECONDS = 7;

interface Cell {
  name: string;
  behaviour: Partial<SimulatorBehaviour>;
  faults?: typeof FAULTS;
}

const cells: Cell[] = [
  {
    name: 'filters on time, ascending, last page next == total, Retry-After sent, 7-digit event_id',
    behaviour: {
      filterField: 'time',
      order: 'asc',
      lastPage: 'next-equals-total',
      retryAfter: true,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      eventIdDigits: 7,
    },
    faults: FAULTS,
  },
  {
    name: 'filters on modified, descending, last page without next, no Retry-After, 8-digit event_id, updates while paging',
    behaviour: {
      filterField: 'modified',
      order: 'desc',
      lastPage: 'next-absent',
      retryAfter: false,
      eventIdDigits: 8,
      updatesDuringPaging: 3,
    },
    faults: FAULTS,
  },
  {
    name: 'filters on created, unordered, last page next: null, updates while paging',
    behaviour: { filterField: 'created', order: 'unordered', lastPage: 'next-null', updatesDuringPaging: 3 },
  },
  {
    name: 'filters on time, unordered, last page next: null, updates while paging',
    behaviour: { filterField: 'time', order: 'unordered', lastPage: 'next-null', updatesDuringPaging: 3 },
  },
];

describe('every incident version arrives once, whichever way the API behaves', () => {
  for (const { name, behaviour, faults } of cells) {
    it(`delivers every version exactly once when the API ${name}`, async () => {
      const result = await runScenario({ behaviour, settings: SMALL_PAGES, ...(faults ? { faults } : {}) });

      expectEveryVersionDeliveredOnce(result);
      expectSweepsReported(result, SCENARIO_MS);
      expectEventIds(result, behaviour);
      if (behaviour.updatesDuringPaging) expect(result.simulator.updatesDuringPaging).toBeGreaterThan(0);
      if (behaviour.filterField === 'created') {
        // Only the sweep can find an update when windows filter on creation time.
        expect(result.metrics.SweepRecordsDelivered).toBeGreaterThan(0);
      }
      if (faults) {
        const answered = (result.simulator.faults['429'] ?? 0) + (result.simulator.faults['503'] ?? 0);
        expect(answered).toBeGreaterThan(0);
        if (behaviour.retryAfter) expect(result.sleptMs).toBe(answered * RETRY_AFTER_SECONDS * 1000);
        // Without Retry-After the first retry backs off one second at most (half of it jittered).
        else expect(result.sleptMs).toBeLessThanOrEqual(answered * 1000);
      }
    });
  }
});
