import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_TEXT_LIMIT } from '../../../functions/aws/checkpoint-item.js';
import { DynamoCheckpointStore } from '../../../functions/aws/checkpoint-store.js';
import { DynamoSeenSet, SEEN_TTL_SECONDS } from '../../../functions/aws/seen-set.js';
import { LeaseLostError } from '../../../functions/errors.js';
import { createCheckpointTable, startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb-local.js';
import { createManualClock } from '../../../local/manual-clock.js';

const TABLE = 'checkpoints';
let dynamo: DynamoDbLocal;
let client: DynamoDBClient;
let tableCount = 0;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  client = new DynamoDBClient({
    endpoint: dynamo.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

async function freshTable(): Promise<string> {
  const name = `${TABLE}-${++tableCount}`;
  await createCheckpointTable(client, name);
  return name;
}

const window = { start: '2026-11-28T00:00:00.000Z', end: '2026-11-28T01:00:00.000Z', next: 0 };

describe('DynamoCheckpointStore', () => {
  it('gives the lease to one run and refuses a second while it is held', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());

    const first = await store.acquire('s', 'run-a', 1_000, 60_000);
    const second = await store.acquire('s', 'run-b', 2_000, 60_000);

    expect(first).toMatchObject({ owner: 'run-a', version: 1, checkpoint: {} });
    expect(second).toBeUndefined();
  });

  it('hands an expired lease to the next run, and the first run can no longer write', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    const stale = await store.acquire('s', 'run-a', 1_000, 60_000);

    const fresh = await store.acquire('s', 'run-b', 61_001, 60_000);

    expect(fresh?.owner).toBe('run-b');
    await expect(store.saveProgress(stale!, window)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(store.complete(stale!, { cursor: window.end })).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('stores the open window and resumes it in the next lease', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    let lease = (await store.acquire('s', 'run-a', 1_000, 60_000))!;

    lease = await store.saveProgress(lease, { ...window, next: 4000 });
    await store.release(lease);
    const next = await store.acquire('s', 'run-b', 2_000, 60_000);

    expect(next?.checkpoint.window).toEqual({ ...window, next: 4000 });
    expect(next?.version).toBe(lease.version + 2);
  });

  it('closes the window, moves the cursor and records origin and sweep time', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    let lease = (await store.acquire('s', 'run-a', 1_000, 60_000))!;
    lease = await store.saveProgress(lease, window);

    lease = await store.complete(lease, { cursor: window.end, origin: window.start, sweptAt: window.end });
    await store.release(lease);
    const next = await store.acquire('s', 'run-b', 2_000, 60_000);

    expect(next?.checkpoint).toEqual({ cursor: window.end, origin: window.start, sweptAt: window.end, window: undefined });
  });

  it('keeps a stopped sweep across windows and leases, and drops it when the sweep completes', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    const sweep = {
      startedAt: '2026-11-28T06:00:00.000Z',
      from: '2026-11-21T06:00:00.000Z',
      to: window.start,
      window: { ...window, next: 380 },
    };
    let lease = (await store.acquire('s', 'run-a', 1_000, 60_000))!;
    lease = await store.complete(lease, { cursor: window.start, sweptAt: '2026-11-27T00:00:00.000Z' });

    lease = await store.saveSweep(lease, sweep);
    lease = await store.complete(lease, { cursor: window.end });
    await store.release(lease);
    let next = (await store.acquire('s', 'run-b', 2_000, 60_000))!;
    const resumed = next.checkpoint;
    next = await store.finishSweep(next, sweep.startedAt);
    await store.release(next);
    const after = await store.acquire('s', 'run-c', 3_000, 60_000);

    expect(resumed).toMatchObject({ cursor: window.end, sweptAt: '2026-11-27T00:00:00.000Z', sweep });
    expect(after?.checkpoint).toEqual({ cursor: window.end, sweptAt: sweep.startedAt, origin: undefined, window: undefined });
    expect(next.checkpoint).toEqual({ cursor: window.end, sweptAt: sweep.startedAt });
  });

  it('stores no sweep for a run that lost its lease', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    const stale = (await store.acquire('s', 'run-a', 1_000, 60_000))!;
    await store.acquire('s', 'run-b', 61_001, 60_000);

    await expect(store.saveSweep(stale, { startedAt: window.start, from: window.start, to: window.end, window })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    await expect(store.finishSweep(stale, window.end)).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('never moves the cursor backwards', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    let lease = (await store.acquire('s', 'run-a', 1_000, 60_000))!;
    lease = await store.complete(lease, { cursor: window.end });

    await expect(store.complete(lease, { cursor: window.start })).rejects.toThrow();
  });

  it('refuses a write from a run whose version is stale, even with the right owner', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    const lease = (await store.acquire('s', 'run-a', 1_000, 60_000))!;
    await store.saveProgress(lease, window);

    await expect(store.saveProgress(lease, { ...window, next: 10 })).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('releases the lease so the next run need not wait for it to expire', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    const lease = (await store.acquire('s', 'run-a', 1_000, 600_000))!;

    await store.release(lease);

    expect(await store.acquire('s', 'run-b', 2_000, 60_000)).toMatchObject({ owner: 'run-b' });
  });

  it('records the end of each run with the release, and keeps the last success through a failure', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    const first = (await store.acquire('s', 'run-a', 1_000, 60_000))!;
    await store.release(first, { status: 'completed', at: '2026-11-28T01:00:00.000Z' });
    const second = (await store.acquire('s', 'run-b', 2_000, 60_000))!;

    await store.release(second, { status: 'failed', at: '2026-11-28T01:05:00.000Z', error: `DeliveryError: ${'x'.repeat(2_000)}` });
    const third = await store.acquire('s', 'run-c', 3_000, 60_000);

    expect(second.checkpoint).toMatchObject({
      lastSucceededAt: '2026-11-28T01:00:00.000Z',
      lastRun: { status: 'completed', at: '2026-11-28T01:00:00.000Z' },
    });
    expect(third?.checkpoint.lastSucceededAt).toBe('2026-11-28T01:00:00.000Z');
    expect(third?.checkpoint.lastRun).toMatchObject({ status: 'failed', at: '2026-11-28T01:05:00.000Z' });
    expect(third?.checkpoint.lastRun?.error).toHaveLength(ERROR_TEXT_LIMIT);
    expect(third?.checkpoint.lastRun?.error).toMatch(/^DeliveryError: x+…$/);
  });

  it('records nothing for a run whose lease was taken over', async () => {
    const table = await freshTable();
    const store = new DynamoCheckpointStore(client, table);
    const stale = (await store.acquire('s', 'run-a', 1_000, 60_000))!;
    const fresh = (await store.acquire('s', 'run-b', 61_001, 60_000))!;

    await store.release(stale, { status: 'completed', at: '2026-11-28T01:00:00.000Z' });
    const item = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'source#s' } } }));

    expect(item.Item?.lastRun).toBeUndefined();
    expect(item.Item?.lastSucceededAt).toBeUndefined();
    expect(item.Item?.lease?.M?.owner?.S).toBe(fresh.owner);
  });

  it('keeps sources apart', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());

    const a = await store.acquire('tenant-a', 'run-a', 1_000, 60_000);
    const b = await store.acquire('tenant-b', 'run-b', 1_000, 60_000);

    expect(a?.owner).toBe('run-a');
    expect(b?.owner).toBe('run-b');
  });
  it('renews the lease of its owner without moving the version, so the next write of the run still succeeds', async () => {
    const table = await freshTable();
    const store = new DynamoCheckpointStore(client, table);
    const lease = (await store.acquire('s', 'run-a', 1_000, 60_000))!;

    const renewed = await store.renew('s', 'run-a', 50_000, 60_000);
    const taken = await store.acquire('s', 'run-b', 70_000, 60_000);
    const saved = await store.saveProgress(lease, window);
    const item = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'source#s' } }, ConsistentRead: true }));

    expect(renewed).toBe(true);
    expect(taken).toBeUndefined();
    expect(saved.version).toBe(2);
    expect(item.Item?.lease?.M?.expiresAt?.N).toBe('110000');
  });

  it('renews nothing once the lease is released or held by another run', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());
    const lease = (await store.acquire('s', 'run-a', 1_000, 60_000))!;
    await store.release(lease);

    const afterRelease = await store.renew('s', 'run-a', 2_000, 60_000);
    await store.acquire('s', 'run-b', 3_000, 60_000);
    const afterTaken = await store.renew('s', 'run-a', 4_000, 60_000);

    expect(afterRelease).toBe(false);
    expect(afterTaken).toBe(false);
  });
});

describe('DynamoSeenSet', () => {
  const hour = (h: number) => `2024-05-01T${String(h).padStart(2, '0')}`;

  it('reports as unseen only what was never marked, across many buckets and more than 100 of them', async () => {
    const table = await freshTable();
    const seen = new DynamoSeenSet(client, table, createManualClock(1_700_000_000_000));
    // 260 versions over 130 hours of five days: two keys' worth of buckets for one read.
    const fingerprints = Array.from(
      { length: 260 },
      (_, i) => `2024-05-0${1 + Math.floor(i / 2 / 24)}T${String(Math.floor(i / 2) % 24).padStart(2, '0')}/fp-${i}`,
    );

    await seen.markSeen(
      's',
      fingerprints.filter((_, i) => i % 3 === 0),
    );
    const unseen = await seen.filterUnseen('s', fingerprints);

    expect([...unseen].sort()).toEqual(fingerprints.filter((_, i) => i % 3 !== 0).sort());
  });

  it("keeps one hour's fingerprints in one item, and a fingerprint without an hour in the bucket none", async () => {
    const table = await freshTable();
    const seen = new DynamoSeenSet(client, table, createManualClock(0));

    await seen.markSeen('s', [`${hour(1)}/a`, `${hour(1)}/b`, `${hour(2)}/c`, 'bare']);
    await seen.markSeen('s', [`${hour(1)}/d`]);

    const first = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `seen#s#${hour(1)}` } } }));
    const none = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'seen#s#none' } } }));
    expect(first.Item?.fps?.SS?.sort()).toEqual(['a', 'b', 'd']);
    expect(none.Item?.fps?.SS).toEqual(['bare']);
    expect(await seen.filterUnseen('s', ['bare', `${hour(2)}/c`, `${hour(2)}/a`])).toEqual(new Set([`${hour(2)}/a`]));
  });

  it('opens more items for an hour that holds more than one item takes, and reads them all', async () => {
    const table = await freshTable();
    const seen = new DynamoSeenSet(client, table, createManualClock(0), { shardCapacity: 10 });
    const fingerprints = Array.from({ length: 35 }, (_, i) => `${hour(3)}/v${i}`);

    // Marked a few at a time, as pages would: each item fills up to its capacity, then the next opens.
    for (let i = 0; i < fingerprints.length; i += 4) await seen.markSeen('s', fingerprints.slice(i, i + 4));

    const first = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `seen#s#${hour(3)}` } } }));
    expect(Number(first.Item?.more?.N)).toBeGreaterThanOrEqual(2);
    const later = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `seen#s#${hour(3)}#1` } } }));
    expect(later.Item?.fps?.SS?.length).toBeGreaterThan(0);
    expect(await seen.filterUnseen('s', [...fingerprints, `${hour(3)}/new`])).toEqual(new Set([`${hour(3)}/new`]));
  });

  it('keeps one source’s marks from hiding another’s', async () => {
    const seen = new DynamoSeenSet(client, await freshTable(), createManualClock(0));

    await seen.markSeen('tenant-a', [`${hour(1)}/x`]);

    expect(await seen.filterUnseen('tenant-b', [`${hour(1)}/x`])).toEqual(new Set([`${hour(1)}/x`]));
  });

  it('writes a TTL a day past the API retention, renewed by each mark', async () => {
    const table = await freshTable();
    const nowMs = 1_700_000_000_000;
    const clock = createManualClock(nowMs);
    const seen = new DynamoSeenSet(client, table, clock);
    await seen.markSeen('s', [`${hour(1)}/fp`]);
    const before = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `seen#s#${hour(1)}` } } }));
    clock.advance(3_600_000);
    await seen.markSeen('s', [`${hour(1)}/other`]);

    const item = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `seen#s#${hour(1)}` } } }));

    expect(Number(before.Item?.ttl?.N)).toBe(nowMs / 1000 + SEEN_TTL_SECONDS);
    expect(Number(item.Item?.ttl?.N)).toBe(nowMs / 1000 + 3_600 + SEEN_TTL_SECONDS);
    expect(SEEN_TTL_SECONDS).toBe(31 * 86_400);
  });
});
