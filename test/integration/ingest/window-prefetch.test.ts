import { afterEach, describe, expect, it } from 'vitest';
import type { RecordSink } from '../../../functions/aws/firehose-sink.js';
import { run } from '../../../functions/ingest/run.js';
import { startPagingRun, type PagingRun } from './paging-run.js';

/**
 * The run keeps one page in flight while it delivers the current one, across window boundaries too: the
 * first page of the next window is asked for while the last page of a window is delivered, and nothing is
 * asked for after the last window.
 */

let current: PagingRun | undefined;

afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** Resolves true once `condition` holds, false after `timeoutMs`. */
async function becomes(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

describe('paging ahead across windows', () => {
  it('asks for the next page, in the same window or the next, while each page is delivered, and for none after the last', async () => {
    // Three hour-long windows of 15 incidents each, read 10 at a time: two pages per window.
    current = await startPagingRun({ incidents: 45, hours: 3, settings: { MAX_WINDOW: '1h', PAGE_SIZE: '10', PAGE_OVERLAP: '0' } });
    const { deps } = current;
    const simulator = current.local.simulator;
    const askedAheadDuringPut: boolean[] = [];
    const sink: RecordSink = {
      put: async (records, deadlineMs) => {
        // Pages delivered so far, this one included; one more request means the next page is on its way.
        const pagesSoFar = askedAheadDuringPut.length + 1;
        const isLast = askedAheadDuringPut.length === 5;
        askedAheadDuringPut.push(await becomes(() => simulator.stats.incidentRequests > pagesSoFar, isLast ? 500 : 10_000));
        return deps.sink.put(records, deadlineMs);
      },
    };

    const summary = await run({ ...deps, sink });

    expect(summary).toMatchObject({ status: 'completed', windowsCompleted: 3, pages: 6, delivered: 45 });
    expect(askedAheadDuringPut).toEqual([true, true, true, true, true, false]);
    expect(simulator.stats.incidentRequests).toBe(6);
  });

  it('looks up the next page while the page before is still on its way to Firehose, and stores progress in order', async () => {
    // One window of 40 incidents read 10 at a time: four pages.
    current = await startPagingRun({ incidents: 40, hours: 1, settings: { MAX_WINDOW: '1h', PAGE_SIZE: '10', PAGE_OVERLAP: '0' } });
    const { deps } = current;
    const seen = deps.seen;
    if (!seen) throw new Error('the seen-set is on by default');
    let lookups = 0;
    const stored: number[] = [];
    const nextLookedUpDuringPut: boolean[] = [];
    const sink: RecordSink = {
      put: async (records, deadlineMs) => {
        const pagesSoFar = nextLookedUpDuringPut.length + 1;
        const isLast = pagesSoFar === 4;
        nextLookedUpDuringPut.push(await becomes(() => lookups > pagesSoFar, isLast ? 500 : 10_000));
        return deps.sink.put(records, deadlineMs);
      },
    };

    const summary = await run({
      ...deps,
      sink,
      seen: {
        filterUnseen: (source, fingerprints) => {
          lookups++;
          return seen.filterUnseen(source, fingerprints);
        },
        markSeen: (source, fingerprints) => seen.markSeen(source, fingerprints),
      },
      checkpoints: {
        acquire: (...args) => deps.checkpoints.acquire(...args),
        release: (lease, lastRun) => deps.checkpoints.release(lease, lastRun),
        complete: (lease, progress) => deps.checkpoints.complete(lease, progress),
        saveProgress: (lease, window) => {
          stored.push(window.next);
          return deps.checkpoints.saveProgress(lease, window);
        },
        saveSweep: (lease, sweep) => deps.checkpoints.saveSweep(lease, sweep),
        finishSweep: (lease, sweptAt) => deps.checkpoints.finishSweep(lease, sweptAt),
      },
    });

    expect(summary).toMatchObject({ status: 'completed', windowsCompleted: 1, pages: 4, delivered: 40 });
    expect(nextLookedUpDuringPut).toEqual([true, true, true, false]);
    expect(stored).toEqual([10, 20, 30]);
  });
});
