import { afterEach, describe, expect, it } from 'vitest';
import type { RecordSink } from '../../../functions/aws/firehose-sink.js';
import { loadConfig } from '../../../functions/config.js';
import { run } from '../../../functions/ingest/run.js';
import { SymantecClientCache, buildRunDependencies, createAwsClients } from '../../../functions/ingest/wiring.js';
import { startLocalEnvironment, type LocalEnvironment } from '../../../local/environment.js';

/**
 * The run keeps one page in flight while it delivers the current one, across window boundaries too: the
 * first page of the next window is asked for while the last page of a window is delivered, and nothing is
 * asked for after the last window.
 */

const HOUR = 3_600_000;
const credentials = { clientId: 'prefetch-client', clientSecret: 'prefetch-secret-value' };
let local: LocalEnvironment | undefined;
const savedEnv = { ...process.env };

afterEach(async () => {
  process.env = { ...savedEnv };
  await local?.close();
  local = undefined;
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
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    local = await startLocalEnvironment({ credentials });
    Object.assign(process.env, local.env);
    // Three hour-long windows of 15 incidents each, read 10 at a time: two pages per window.
    const nowMs = Date.now();
    local.simulator.store.createIncidentsBetween(45, nowMs - 3 * HOUR + 5 * 60_000, nowMs - 2 * 60_000);
    const config = loadConfig({ ...process.env, INITIAL_LOOKBACK: '3h', MAX_WINDOW: '1h', PAGE_SIZE: '10', PAGE_OVERLAP: '0' });
    const api = new SymantecClientCache().get(config, JSON.stringify({ client_id: credentials.clientId, client_secret: credentials.clientSecret }));
    const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, appendKeys: () => undefined };
    const deps = buildRunDependencies({ config, clients: createAwsClients(), api, source: 'default', owner: 'prefetch-test', logger: quiet, deadlineMs: nowMs + 120_000, leaseMs: 180_000 });
    const simulator = local.simulator;
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
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    local = await startLocalEnvironment({ credentials });
    Object.assign(process.env, local.env);
    // One window of 40 incidents read 10 at a time: four pages.
    const nowMs = Date.now();
    local.simulator.store.createIncidentsBetween(40, nowMs - HOUR + 5 * 60_000, nowMs - 2 * 60_000);
    const config = loadConfig({ ...process.env, INITIAL_LOOKBACK: '1h', MAX_WINDOW: '1h', PAGE_SIZE: '10', PAGE_OVERLAP: '0' });
    const api = new SymantecClientCache().get(config, JSON.stringify({ client_id: credentials.clientId, client_secret: credentials.clientSecret }));
    const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, appendKeys: () => undefined };
    const deps = buildRunDependencies({ config, clients: createAwsClients(), api, source: 'default', owner: 'overlap-test', logger: quiet, deadlineMs: nowMs + 120_000, leaseMs: 180_000 });
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
      seen: { filterUnseen: (source, fingerprints) => (lookups++, seen.filterUnseen(source, fingerprints)), markSeen: (source, fingerprints) => seen.markSeen(source, fingerprints) },
      checkpoints: {
        acquire: (...args) => deps.checkpoints.acquire(...args),
        release: (lease) => deps.checkpoints.release(lease),
        complete: (lease, progress) => deps.checkpoints.complete(lease, progress),
        saveProgress: (lease, window) => (stored.push(window.next), deps.checkpoints.saveProgress(lease, window)),
      },
    });

    expect(summary).toMatchObject({ status: 'completed', windowsCompleted: 1, pages: 4, delivered: 40 });
    expect(nextLookedUpDuringPut).toEqual([true, true, true, false]);
    expect(stored).toEqual([10, 20, 30]);
  });
});
