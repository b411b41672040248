/**
 * The deployed bundle in its own process under a small heap (`--max-old-space-size`), against pages far
 * larger than that heap can parse: the response cap follows the heap limit, the pager narrows the page
 * size, and the run completes with every incident delivered instead of dying on the same page every run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchBundles, buildBenchBundles } from '../../../bench/bundles.js';
import { startFunctionProcess } from '../../../bench/function-process.js';
import { type LocalEnvironment, startLocalEnvironment } from '../../../local/environment.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const INCIDENTS = 2000;
const EVENTS_EACH = 10;

let bundles: BenchBundles;
let local: LocalEnvironment;
let pageBytes = 0;
beforeAll(async () => {
  bundles = await buildBenchBundles();
  local = await startLocalEnvironment({ secretName: 'symantec-edr/page-memory', firehose: { keepRecords: false } });
  const created = local.simulator.store.createIncidentsBetween(INCIDENTS, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);
  for (const incident of created) {
    const events = (incident.events ?? []) as Record<string, unknown>[];
    incident.events = Array.from({ length: EVENTS_EACH }, (_, index) => ({
      ...events[index % events.length],
      event_uid: `${incident.incident_uid}-${index}`,
    }));
  }
  pageBytes = Buffer.byteLength(JSON.stringify({ incidents: created }));
}, 120_000);
afterAll(async () => {
  await local?.close();
  await bundles?.close();
});

describe('the function under a 64 MB heap', () => {
  it('narrows a page too large for it and delivers every incident', { timeout: 180_000 }, async () => {
    // prepare: one page of all 2,000 incidents is about 27 MB
    const fn = await startFunctionProcess(
      bundles.ingestChild,
      bundles.handler.file,
      { ...local.env, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128', PAGE_SIZE: '2000', INCLUDE_EVENTS: 'true' },
      { execArgv: ['--max-old-space-size=64'] },
    );
    // act
    const result = await fn.invoke().finally(() => fn.close());
    // assess
    console.log(
      `page of ${(pageBytes / 1024 / 1024).toFixed(1)} MiB under a 64 MB heap: peak RSS ${(result.maxRssKb / 1024).toFixed(0)} MB`,
    );
    expect(pageBytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(result.ok).toBe(true);
    expect(result.summary).toMatchObject({ status: 'completed', delivered: INCIDENTS, failed: 0 });
    expect(result.summary?.pageSizeNarrowed).toBeGreaterThanOrEqual(1);
    expect(local.firehose.stats.recordsAccepted).toBe(INCIDENTS);
  });
});
