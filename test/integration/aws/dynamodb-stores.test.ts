import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
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

  it('keeps sources apart', async () => {
    const store = new DynamoCheckpointStore(client, await freshTable());

    const a = await store.acquire('tenant-a', 'run-a', 1_000, 60_000);
    const b = await store.acquire('tenant-b', 'run-b', 1_000, 60_000);

    expect(a?.owner).toBe('run-a');
    expect(b?.owner).toBe('run-b');
  });
});

describe('DynamoSeenSet', () => {
  it('reports as unseen only what was never marked, across batches of 100 and 25', async () => {
    const table = await freshTable();
    const seen = new DynamoSeenSet(client, table, createManualClock(1_700_000_000_000));
    const fingerprints = Array.from({ length: 260 }, (_, i) => `fp-${i}`);

    await seen.markSeen('s', fingerprints.filter((_, i) => i % 3 === 0));
    const unseen = await seen.filterUnseen('s', fingerprints);

    expect([...unseen].sort()).toEqual(fingerprints.filter((_, i) => i % 3 !== 0).sort());
  });

  it('keeps one source’s marks from hiding another’s', async () => {
    const seen = new DynamoSeenSet(client, await freshTable(), createManualClock(0));

    await seen.markSeen('tenant-a', ['x']);

    expect(await seen.filterUnseen('tenant-b', ['x'])).toEqual(new Set(['x']));
  });

  it('writes a TTL a day past the API retention', async () => {
    const table = await freshTable();
    const nowMs = 1_700_000_000_000;
    await new DynamoSeenSet(client, table, createManualClock(nowMs)).markSeen('s', ['fp']);

    const item = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'seen#s#fp' } } }));

    expect(Number(item.Item?.ttl?.N)).toBe(nowMs / 1000 + SEEN_TTL_SECONDS);
    expect(SEEN_TTL_SECONDS).toBe(31 * 86_400);
  });
});
