/**
 * Regressions for what the fault simulation revealed in the function, each reproduced on one run against
 * the local environment:
 * - a page that signalled the end of a window while its own `total` said more rows remained closed the
 *   window, moving the checkpoint past rows never read (only the update sweep could still find them);
 * - DynamoDB throttling that outlasted the SDK's retries on the seen-mark failed the run after Firehose
 *   had accepted the page, so the next run delivered the page again;
 * - DynamoDB failing while the lease was taken threw out of `run`, so that run left no summary, no
 *   "run finished" line and no RunSucceeded metric.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type LocalEnvironment } from '../../local/environment.js';
import type { FaultKind } from '../../local/symantec-simulator.js';
import { createSimClock } from './sim-clock.js';
import { runOnce } from './single-run.js';

const HOUR = 3_600_000;
const credentials = { clientId: 'regression-client', clientSecret: 'regression-secret-not-a-credential' };
const clock = createSimClock(Date.UTC(2025, 5, 2));
let local: LocalEnvironment;
let sources = 0;
beforeAll(async () => {
  local = await startLocalEnvironment({ clock, seed: 31, credentials });
  local.simulator.store.createIncidentsBetween(35, clock.now() - 3 * HOUR, clock.now() - 5 * 60_000);
});
afterAll(async () => {
  await local.close();
});

/** Distinct versions Firehose received since `from`, and how many records that took. */
function deliveredSince(from: number): { records: number; versions: number } {
  const records = local.firehose.records(local.env.DELIVERY_STREAM).slice(from);
  const versions = new Set(records.map((record) => JSON.parse(record.toString('utf8')).event.id as string));
  return { records: records.length, versions: versions.size };
}

describe('a page whose end signal its own total contradicts', () => {
  it.each<FaultKind>(['next-missing', 'next-stuck', 'next-beyond-total'])(
    '(%s on the first page) does not close the window early',
    async (kind) => {
      // prepare: 35 incidents in pages of 10; the first page lies about the end; no update sweep to rescue it
      const before = local.firehose.records(local.env.DELIVERY_STREAM).length;
      local.simulator.inject({ kind });
      // act
      const { summary } = await runOnce(local, clock, {
        source: `contradicted-${++sources}`,
        credentials,
        settings: { PAGE_SIZE: '10', UPDATE_SWEEP_INTERVAL: '0s' },
      });
      // assess
      expect(summary).toMatchObject({ status: 'completed', delivered: 35 });
      expect(deliveredSince(before)).toEqual({ records: 35, versions: 35 });
    },
  );
});

describe('a seen-mark throttled past the SDK retries', () => {
  it('is retried, so the run completes and the next one delivers nothing again', async () => {
    // prepare: five throttles in a row on the seen-set's writes (the SDK makes three attempts)
    const before = local.firehose.records(local.env.DELIVERY_STREAM).length;
    const source = `throttled-${++sources}`;
    local.proxies.dynamodb.inject({
      kind: 'throttle',
      match: 'UpdateItem',
      bodyIncludes: `seen#${source}#`,
      count: 5,
      errorType: 'ThrottlingException',
    });
    // act
    const first = await runOnce(local, clock, { source, credentials, settings: { PAGE_SIZE: '40' } });
    const second = await runOnce(local, clock, { source, credentials, settings: { PAGE_SIZE: '40', INITIAL_LOOKBACK: '1d' } });
    // assess
    expect(local.proxies.dynamodb.stats.faults.throttle).toBeGreaterThanOrEqual(5);
    expect(first.summary).toMatchObject({ status: 'completed', delivered: 35 });
    expect(second.summary.delivered).toBe(0);
    expect(deliveredSince(before)).toEqual({ records: 35, versions: 35 });
  });
});

describe('DynamoDB failing while the lease is taken', () => {
  it('ends the run with a failed summary, and the next run delivers everything', async () => {
    // prepare: every attempt at the lease's update fails with a server error (the SDK makes three)
    const before = local.firehose.records(local.env.DELIVERY_STREAM).length;
    const source = `no-lease-${++sources}`;
    local.proxies.dynamodb.inject({ kind: 'error', match: 'UpdateItem', bodyIncludes: `"source#${source}"`, count: 3 });
    // act
    const first = await runOnce(local, clock, { source, credentials });
    const second = await runOnce(local, clock, { source, credentials });
    // assess
    expect(first.summary).toMatchObject({ status: 'failed', completed: false, pages: 0, delivered: 0 });
    expect(first.summary.error).toMatch(/\S/);
    expect(first.log.errors).toBe(1);
    expect(second.summary).toMatchObject({ status: 'completed', delivered: 35 });
    expect(deliveredSince(before)).toEqual({ records: 35, versions: 35 });
  });
});
