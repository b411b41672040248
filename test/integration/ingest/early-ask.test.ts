import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentPageSource } from '../../../functions/ingest/ports.js';
import { run } from '../../../functions/ingest/run.js';
import { startPagingRun, type PagingRun } from './paging-run.js';

/**
 * While the run waits for a page, the next page is asked for as soon as the page's bytes arrive, before
 * they are parsed, at the offset paging will ask if the page is as full as the window's total says. An
 * early request paging does not want is cancelled, and nothing is lost or asked twice.
 */

let current: PagingRun | undefined;

afterEach(async () => {
  await current?.close();
  current = undefined;
});

type Event = { kind: 'asked' | 'received' | 'parsed' | 'cancelled'; offset: number };

/** The real client, with each request, arrival of bytes, parse and cancellation written down in order. */
function recording(
  api: IncidentPageSource,
  events: Event[],
  reshape: (page: Awaited<ReturnType<IncidentPageSource['fetchIncidentPage']>>) => typeof page = (page) => page,
): IncidentPageSource {
  return {
    fetchIncidentPage: async (query, options) => {
      const offset = query.offset;
      events.push({ kind: 'asked', offset });
      options.signal?.addEventListener('abort', () => events.push({ kind: 'cancelled', offset }));
      const page = await api.fetchIncidentPage(query, {
        ...options,
        onReceived: () => {
          events.push({ kind: 'received', offset });
          options.onReceived?.();
        },
      });
      events.push({ kind: 'parsed', offset });
      return reshape(page);
    },
  };
}

/** One hour-long window of 50 incidents, read 10 at a time with an overlap of 2. */
async function setUp() {
  // Each page takes a while, so the run is waiting when its bytes arrive (as with the real API); 200 ms
  // leaves the run done with the page before even on a loaded machine, where 60 ms did not always.
  current = await startPagingRun({
    incidents: 50,
    hours: 1,
    apiLatencyMs: 200,
    settings: { MAX_WINDOW: '1h', PAGE_SIZE: '10', PAGE_OVERLAP: '2' },
  });
  return { deps: current.deps, api: current.deps.api, simulator: current.local.simulator };
}

describe('asking early for the next page', () => {
  it('asks for each page after the second before the page before it is parsed, and never asks twice', async () => {
    const { deps, api, simulator } = await setUp();
    const events: Event[] = [];

    const summary = await run({ ...deps, api: recording(api, events) });

    expect(summary).toMatchObject({ status: 'completed', delivered: 50 });
    const asked = events.filter((event) => event.kind === 'asked').map((event) => event.offset);
    // 0, then 8, 16, ... (10 a page, 2 asked again): 0-9, 8-17, ..., 40-49.
    expect(asked).toEqual([0, 8, 16, 24, 32, 40]);
    expect(simulator.stats.incidentRequests).toBe(asked.length);
    expect(events.filter((event) => event.kind === 'cancelled')).toEqual([]);
    // From the third page on, the page was asked for between the arrival of the page before and its parse.
    for (const offset of [16, 24, 32, 40]) {
      const previous = offset - 8;
      const at = (kind: Event['kind'], of: number) => events.findIndex((event) => event.kind === kind && event.offset === of);
      expect(at('received', previous), `page ${offset}`).toBeLessThan(at('asked', offset));
      expect(at('asked', offset), `page ${offset}`).toBeLessThan(at('parsed', previous));
    }
  });

  it('cancels an early request paging does not want, and delivers every incident all the same', async () => {
    const { deps, api } = await setUp();
    const events: Event[] = [];
    // A total that over-counts by 25: every page looks as if more full pages follow.
    const overCounting = recording(api, events, (page) => ({ ...page, total: page.total === undefined ? undefined : page.total + 25 }));

    const summary = await run({ ...deps, api: overCounting });

    expect(summary).toMatchObject({ status: 'completed', delivered: 50 });
    const cancelled = events.filter((event) => event.kind === 'cancelled').map((event) => event.offset);
    expect(cancelled.length).toBeGreaterThan(0);
    // A cancelled offset is never the one a later page of the run was read from.
    const parsed = new Set(events.filter((event) => event.kind === 'parsed').map((event) => event.offset));
    for (const offset of cancelled) expect(parsed.has(offset), `offset ${offset}`).toBe(false);
  });
});
