/**
 * Runs that meet their deadline, through the real handler against the local environment: the simulator
 * answers each incidents page after 400 ms, and the invocation is given a few seconds, so the run stops
 * part of the way. What it stopped must be taken up by the next run, with nothing lost and nothing sent
 * twice, and the stop must be reported as one (not as a failure, which would trip the Errors alarm).
 * Last, a stopped sweep taken up after the API has dropped the part where it stopped.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  type CompletedProgress,
  DynamoCheckpointStore,
  type SweepProgress,
} from '../../../functions/aws/checkpoint-store.js';
import { type IngestHarness, reconcile, startIngestHarness } from '../../support/ingest-harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

let harness: IngestHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(settings: Record<string, string>): Promise<IngestHarness> {
  harness = await startIngestHarness(settings, { simulator: { behaviour: { latencyMs: 400 } } });
  return harness;
}

/** The source's checkpoint in the harness's table, through the function's own store. */
function checkpointOf(h: IngestHarness) {
  const client = new DynamoDBClient({});
  const store = new DynamoCheckpointStore(client, h.local.env.CHECKPOINT_TABLE);
  const leased = async () => {
    const lease = await store.acquire('default', 'test', Date.now(), MINUTE);
    if (!lease) throw new Error('a run still holds the lease');
    return lease;
  };
  return {
    /** Leaves the checkpoint as earlier runs would have: `progress` stored, and a sweep stopped at `sweep`. */
    seed: async (progress: CompletedProgress, sweep?: SweepProgress) => {
      const completed = await store.complete(await leased(), progress);
      await store.release(sweep ? await store.saveSweep(completed, sweep) : completed);
    },
    /** The checkpoint as the next run would read it (the lease taken and given back at once). */
    peek: async (): Promise<Checkpoint> => {
      const lease = await leased();
      await store.release(lease);
      return lease.checkpoint;
    },
    close: () => client.destroy(),
  };
}

type IncidentsBody = { start_date: string; end_date: string; next: number };
const incidentRequests = (h: IngestHarness): IncidentsBody[] =>
  h.local.simulator.requests.filter((r) => r.path === '/v1/incidents').map((r) => r.body as IncidentsBody);

describe('a run that reaches its deadline', () => {
  it('between windows of a catch-up stops for time instead of failing, and the next run goes on', async () => {
    // prepare: six hours to catch up in one-hour windows of one page each
    const h = await start({ PAGE_SIZE: '100', MAX_WINDOW: '1h', INITIAL_LOOKBACK: '6h', UPDATE_SWEEP_INTERVAL: '0s' });
    h.local.simulator.store.createIncidentsBetween(60, Date.now() - 6 * HOUR + MINUTE, Date.now() - 5 * MINUTE);

    // act: 7 s left leaves 2 s before the safety margin, a few pages' worth
    const first = await h.invoke({}, 7_000);
    h.local.simulator.setBehaviour({ latencyMs: 0 });
    const second = await h.invoke();

    // assess
    expect(first).toMatchObject({ status: 'stopped-for-time', completed: false, error: undefined });
    expect(first.windowsCompleted).toBeGreaterThan(0);
    expect(first.windowsCompleted).toBeLessThan(6);
    expect(second).toMatchObject({ status: 'completed' });
    expect(reconcile(h)).toMatchObject({ created: 60, missing: [], duplicates: [] });
  });
});

describe('an update sweep that reaches the deadline', () => {
  it('stores where it stopped, and the next run goes on from there and completes it', async () => {
    // prepare: a source whose sweep is due, with 60 incidents that only the sweep reads (all before the
    // cursor, after the origin); pages of 10 in one-hour windows
    const h = await start({ PAGE_SIZE: '10', PAGE_OVERLAP: '2', MAX_WINDOW: '1h', UPDATE_SWEEP_HORIZON: '6h' });
    const nowMs = Date.now();
    const cursor = iso(nowMs - 10 * MINUTE);
    h.local.simulator.store.createIncidentsBetween(60, nowMs - 3 * HOUR, nowMs - 15 * MINUTE);
    const checkpoint = checkpointOf(h);
    await checkpoint.seed({ cursor, origin: iso(nowMs - 5 * HOUR), sweptAt: iso(nowMs - 7 * HOUR) });

    // act: the first run has 4 s before its safety margin, the second all the time it needs
    const first = await h.invoke({}, 9_000);
    const stopped = await checkpoint.peek();
    const asked = incidentRequests(h).length;
    h.local.simulator.setBehaviour({ latencyMs: 0 });
    const second = await h.invoke();
    const done = await checkpoint.peek();
    checkpoint.close();

    // assess: the first run stopped in the sweep and stored where
    // (the sweep reads up to the cursor of its start, after this run's own window)
    expect(first).toMatchObject({ status: 'stopped-for-time', sweep: { completed: false, to: first.cursor } });
    const progress = stopped.sweep;
    expect(progress).toMatchObject({ from: first.sweep!.from, to: first.cursor });
    expect(Date.parse(progress!.window.start)).toBeGreaterThanOrEqual(Date.parse(first.sweep!.from));
    // the second went on from that window and offset, reading nothing before it again
    expect(second).toMatchObject({ status: 'completed', sweep: { completed: true, from: progress!.window.start, to: first.cursor } });
    const swept = incidentRequests(h)
      .slice(asked)
      .filter((body) => body.end_date <= first.cursor!);
    expect(swept[0]).toMatchObject({ start_date: progress!.window.start, next: Math.max(0, progress!.window.next - 2) });
    expect(swept.every((body) => body.start_date >= progress!.window.start)).toBe(true);
    // the sweep is recorded as done when it began, and its progress is gone
    expect(done.sweep).toBeUndefined();
    expect(done.sweptAt).toBe(progress!.startedAt);
    expect(first.delivered + second.delivered).toBe(60);
    expect(reconcile(h)).toMatchObject({ created: 60, missing: [], duplicates: [] });
  });
});

describe('an update sweep resumed after the API has dropped where it stopped', () => {
  it('goes on from the oldest day the API still keeps, and completes', async () => {
    // prepare: a sweep stored 31 days ago, stopped in a window the API no longer serves (it answers 400
    // to a start_date older than 30 days)
    const h = await start({ UPDATE_SWEEP_HORIZON: '30d' });
    h.local.simulator.setBehaviour({ latencyMs: 0 });
    const nowMs = Date.now();
    const cursor = iso(nowMs - 10 * MINUTE);
    const stale = { start: iso(nowMs - 31 * 24 * HOUR), end: iso(nowMs - 30.5 * 24 * HOUR), next: 40 };
    const sweep = { startedAt: iso(nowMs - 31 * 24 * HOUR), from: stale.start, to: cursor, window: stale };
    h.local.simulator.store.createIncidentsBetween(10, nowMs - 29 * 24 * HOUR, nowMs - 15 * MINUTE);
    const checkpoint = checkpointOf(h);
    await checkpoint.seed({ cursor, origin: iso(nowMs - 31 * 24 * HOUR), sweptAt: iso(nowMs - 32 * 24 * HOUR) }, sweep);

    // act
    const summary = await h.invoke();
    const after = await checkpoint.peek();
    checkpoint.close();

    // assess
    expect(summary).toMatchObject({ status: 'completed', sweep: { completed: true, to: cursor, delivered: 10 } });
    expect(Date.parse(summary.sweep!.from)).toBeGreaterThan(nowMs - 30 * 24 * HOUR);
    expect(incidentRequests(h).every((body) => Date.parse(body.start_date) > nowMs - 30 * 24 * HOUR)).toBe(true);
    expect(after.sweep).toBeUndefined();
    expect(after.sweptAt).toBe(sweep.startedAt);
    expect(reconcile(h)).toMatchObject({ created: 10, missing: [], duplicates: [] });
  });
});
