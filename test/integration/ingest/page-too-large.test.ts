/**
 * A page larger than the response cap (scaled to the function's memory) does not fail the run: the page
 * size of that window is narrowed, said in a warning and the PageSizeNarrowed metric, stored with the
 * open window, and every incident is delivered.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoCheckpointStore } from '../../../functions/aws/checkpoint-store.js';
import { type IngestHarness, reconcile, startIngestHarness } from '../../support/ingest-harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let harness: IngestHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** `count` incidents with `eventsEach` events each (about 1.4 KB an event), in the last hours. */
function seedWithEvents(h: IngestHarness, count: number, eventsEach: number): void {
  const created = h.local.simulator.store.createIncidentsBetween(count, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);
  for (const incident of created) {
    const events = (incident.events ?? []) as Record<string, unknown>[];
    incident.events = Array.from({ length: eventsEach }, (_, index) => ({
      ...events[index % events.length],
      event_uid: `${incident.incident_uid}-${index}`,
    }));
  }
}

describe('a page larger than the response cap', () => {
  it('narrows the page size for its window, says so, and delivers every incident', async () => {
    // prepare: a 128 MB function has a 6.4 MiB cap; 2,000 incidents with 5 events each are about 14 MB
    const h = (harness = await startIngestHarness({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128', PAGE_SIZE: '2000', INCLUDE_EVENTS: 'true' }));
    seedWithEvents(h, 2000, 5);
    // act
    const summary = await h.invoke();
    // assess
    expect(summary).toMatchObject({ status: 'completed', delivered: 2000, failed: 0, pageSizeNarrowed: 1 });
    expect(reconcile(h)).toMatchObject({ created: 2000, missing: [], duplicates: [] });
    const limits = h.local.simulator.requests.filter((r) => r.path === '/v1/incidents').map((r) => (r.body as { limit: number }).limit);
    expect(limits[0]).toBe(2000);
    expect(limits.slice(1).every((limit) => limit > 0 && limit < 2000)).toBe(true);
    const output = h.output.join('');
    expect(output).toContain('page larger than the response cap: asking for fewer rows per page in this window');
    expect(output).toMatch(/"PageSizeNarrowed":1\b/);
  });

  it('stores the narrowed page size with the open window, and a resumed run asks for the smaller pages', async () => {
    // prepare
    const h = (harness = await startIngestHarness({
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      PAGE_SIZE: '2000',
      PAGE_OVERLAP: '0',
      INCLUDE_EVENTS: 'true',
    }));
    seedWithEvents(h, 600, 5);
    const client = new DynamoDBClient({});
    const store = new DynamoCheckpointStore(client, h.local.env.CHECKPOINT_TABLE);
    const window = {
      start: new Date(Date.now() - 4 * HOUR).toISOString(),
      end: new Date(Date.now() - 2 * MINUTE).toISOString(),
      next: 0,
      pageSize: 250,
    };
    const lease = await store.acquire('default', 'an-earlier-run', Date.now(), MINUTE);
    await store.release(await store.saveProgress(lease as NonNullable<typeof lease>, window));
    // act
    const reading = await store.acquire('default', 'a-reader', Date.now(), MINUTE);
    const stored = reading?.checkpoint.window;
    if (reading) await store.release(reading);
    const summary = await h.invoke();
    client.destroy();
    // assess
    expect(stored).toEqual(window);
    expect(summary).toMatchObject({ status: 'completed', delivered: 600, pageSizeNarrowed: 0 });
    const limits = h.local.simulator.requests.filter((r) => r.path === '/v1/incidents').map((r) => (r.body as { limit: number }).limit);
    expect(limits.slice(0, 3)).toEqual([250, 250, 250]);
  });
});
