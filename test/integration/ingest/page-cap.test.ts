import { afterEach, describe, expect, it } from 'vitest';
import { type IngestHarness, reconcile, startIngestHarness } from '../../support/ingest-harness.js';

const HOUR = 3_600_000;
let harness: IngestHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('the page cap of a window', () => {
  it('narrows a window that needs more pages than the cap instead of closing it over unread rows', async () => {
    // 3 pages of 10 rows at most per window, 95 incidents in it: the window must be narrowed, twice or more.
    harness = await startIngestHarness({ PAGE_SIZE: '10', PAGE_OVERLAP: '0', MAX_PAGES_PER_WINDOW: '3' });
    harness.local.simulator.store.createIncidentsBetween(95, Date.now() - 20 * HOUR, Date.now() - 10 * 60_000);

    const summary = await harness.invoke();

    expect(summary).toMatchObject({ status: 'completed', delivered: 95, failed: 0 });
    expect(summary.windowsCompleted).toBeGreaterThan(1);
    expect(harness.output.some((line) => line.includes('page cap reached: narrowing the window'))).toBe(true);
    expect(reconcile(harness)).toMatchObject({ created: 95, missing: [], duplicates: [] });
  });
});
