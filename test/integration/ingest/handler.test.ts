import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../local/lambda-context.js';
import { type IngestHarness, reconcile, startIngestHarness } from '../../support/ingest-harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let harness: IngestHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(settings: Record<string, string> = {}, options: Parameters<typeof startIngestHarness>[1] = {}) {
  harness = await startIngestHarness(settings, options);
  return harness;
}

async function getSecret(h: IngestHarness): Promise<string> {
  const client = new SecretsManagerClient({});
  const result = await client.send(new GetSecretValueCommand({ SecretId: h.local.env.SYMANTEC_SECRET_ID }));
  client.destroy();
  return result.SecretString ?? '';
}

describe('the ingestion handler against the local environment', () => {
  it('delivers every incident of the initial lookback on a first run and moves the checkpoint', async () => {
    const h = await start({ PAGE_SIZE: '20', PAGE_OVERLAP: '5' });
    h.local.simulator.store.createIncidentsBetween(75, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);

    const summary = await h.invoke();

    // Pages after the first start 5 rows early (the page overlap): 0-20, 15-35, 30-50, 45-65, 60-75.
    expect(summary).toMatchObject({
      status: 'completed',
      completed: true,
      fetched: 95,
      delivered: 75,
      duplicates: 20,
      failed: 0,
      pages: 5,
    });
    expect(reconcile(h)).toMatchObject({ created: 75, missing: [], duplicates: [] });
    expect(Date.parse(summary.cursor ?? '')).toBeGreaterThan(Date.now() - 2 * MINUTE);
    expect(h.delivered()[0]?.document).toMatchObject({
      ecs: { version: '8.11.0' },
      event: { kind: 'alert', module: 'symantec_edr_cloud' },
    });
  });

  it('delivers nothing twice when the next run re-reads the same incidents', async () => {
    const h = await start({ PAGE_SIZE: '20', PAGE_OVERLAP: '0' });
    h.local.simulator.store.createIncidentsBetween(30, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);
    await h.invoke();

    const again = await h.invoke({ source: 'default' });
    const replayedSource = await h.invoke({ source: 'second-tenant' });

    expect(again).toMatchObject({ status: 'completed', delivered: 0 });
    // A second source has its own checkpoint and seen-set: it delivers the same incidents once more.
    expect(replayedSource).toMatchObject({ fetched: 30, delivered: 30 });
    expect(h.delivered()).toHaveLength(60);
  });

  it('re-fetching a page after a stop mid-window delivers nothing twice', async () => {
    const h = await start({ PAGE_SIZE: '10', PAGE_OVERLAP: '3' }, { simulator: { behaviour: { latencyMs: 400 } } });
    h.local.simulator.store.createIncidentsBetween(60, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);

    // 6 s left leaves about one second of work before the safety margin: the run stops mid-window.
    const first = await h.invoke({}, 6_000);
    h.local.simulator.setBehaviour({ latencyMs: 0 });
    const second = await h.invoke();

    expect(first).toMatchObject({ status: 'stopped-for-time', completed: false });
    expect(first.delivered).toBeGreaterThan(0);
    expect(first.delivered).toBeLessThan(60);
    expect(second).toMatchObject({ status: 'completed', window: first.window });
    const resumedAt = h.local.simulator.requests.filter((r) => r.path === '/v1/incidents').at(first.pages)?.body as { next: number };
    expect(resumedAt.next).toBe(first.delivered - 3);
    // Every page of the second run repeats the 3 overlap rows; the seen-set keeps them out.
    expect(second.duplicates).toBe(3 * second.pages);
    expect(reconcile(h)).toMatchObject({ created: 60, missing: [], duplicates: [] });
  });

  it('renews a token revoked in the middle of paging and finishes the window', async () => {
    const h = await start({ PAGE_SIZE: '10', PAGE_OVERLAP: '0' }, { simulator: { behaviour: { latencyMs: 150 } } });
    h.local.simulator.store.createIncidentsBetween(45, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);
    const incidentRequests = () => h.local.simulator.requests.filter((r) => r.path === '/v1/incidents').length;

    const running = h.invoke();
    // Revoke the token once the first page has been asked for: a later page meets the 401.
    while (incidentRequests() < 1) await new Promise((resume) => setTimeout(resume, 5));
    h.local.simulator.inject({ kind: '401' });
    const summary = await running;

    expect(summary).toMatchObject({ status: 'completed', delivered: 45, failed: 0 });
    expect(h.local.simulator.stats.faults['401']).toBe(1);
    expect(h.local.simulator.stats.tokensIssued).toBe(2);
    const statuses = h.local.simulator.requests.filter((r) => r.path === '/v1/incidents').map((r) => r.status);
    expect(statuses.indexOf(401)).toBeGreaterThan(0);
    expect(reconcile(h)).toMatchObject({ created: 45, missing: [], duplicates: [] });
  });

  it('leaves no credential on the Lambda context, so logging the context cannot log the secret', async () => {
    const h = await start({ PAGE_SIZE: '20' });
    h.local.simulator.store.createIncidentsBetween(5, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);
    const secret = JSON.parse(await getSecret(h)) as { client_id: string; client_secret: string };
    const context = lambdaContext();

    const summary = await h.invoke({}, undefined, context);

    expect(summary).toMatchObject({ status: 'completed', delivered: 5 });
    const carried = Object.entries(context).filter(([, value]) => {
      const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
      return text.includes(secret.client_secret) || text.includes(secret.client_id);
    });
    expect(carried.map(([key]) => key)).toEqual([]);
    expect(JSON.stringify(context)).not.toContain(secret.client_secret);
    expect(inspect(context, { depth: 10, showHidden: true })).not.toContain(secret.client_secret);
    expect(h.output.join('')).not.toContain(secret.client_secret);
  });

  it('retries 429 and 5xx answers and still delivers everything', async () => {
    const h = await start({ PAGE_SIZE: '25' });
    h.local.simulator.store.createIncidentsBetween(50, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);
    h.local.simulator.inject({ kind: '429', retryAfterSeconds: 1 });
    h.local.simulator.inject({ kind: '503' });
    h.local.simulator.inject({ kind: '500' });

    const summary = await h.invoke();

    expect(summary).toMatchObject({ status: 'completed', delivered: 50 });
    expect(h.local.simulator.stats.faults).toMatchObject({ '429': 1, '503': 1, '500': 1 });
    expect(reconcile(h)).toMatchObject({ missing: [], duplicates: [] });
  });

  it('resends only the records Firehose failed inside a successful call', async () => {
    const h = await start({ PAGE_SIZE: '40' });
    h.local.simulator.store.createIncidentsBetween(40, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);
    h.local.firehose.inject({ kind: 'partial', records: 7 });

    const summary = await h.invoke();

    expect(summary).toMatchObject({ status: 'completed', delivered: 40, failed: 0 });
    expect(h.local.firehose.stats).toMatchObject({ recordsFailed: 7, recordsAccepted: 40 });
    expect(h.local.firehose.stats.calls.PutRecordBatch).toBe(2);
    expect(reconcile(h)).toMatchObject({ missing: [], duplicates: [] });
  });

  it('lets one of two overlapping invocations run and the other exit quietly', async () => {
    const h = await start({ PAGE_SIZE: '10' }, { simulator: { behaviour: { latencyMs: 100 } } });
    h.local.simulator.store.createIncidentsBetween(40, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);

    const [a, b] = await Promise.all([h.invoke(), h.invoke()]);

    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual(['completed', 'lease-held']);
    expect(h.output.some((line) => line.includes('another run holds the lease'))).toBe(true);
    expect(reconcile(h)).toMatchObject({ created: 40, missing: [], duplicates: [] });
  });

  it('clamps a checkpoint older than 30 days, warns with the lost interval and counts WindowClamped', async () => {
    const h = await start({ MAX_WINDOW: '30d' });
    h.local.simulator.store.createIncidentsBetween(10, Date.now() - 12 * HOUR, Date.now() - 5 * MINUTE);
    await h.invoke();
    // Forty days without a run: write the stale cursor the way an old checkpoint would hold it.
    const { DynamoDBClient, UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    const dynamodb = new DynamoDBClient({});
    const staleCursor = new Date(Date.now() - 40 * DAY).toISOString();
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: h.local.env.CHECKPOINT_TABLE,
        Key: { pk: { S: 'source#default' } },
        UpdateExpression: 'SET #c = :c',
        ExpressionAttributeNames: { '#c': 'cursor' },
        ExpressionAttributeValues: { ':c': { S: staleCursor } },
      }),
    );
    dynamodb.destroy();

    const summary = await h.invoke();

    expect(summary.clamped?.lostFrom).toBe(staleCursor);
    expect(Date.parse(summary.clamped?.lostTo ?? '')).toBeGreaterThan(Date.now() - 30 * DAY);
    const warning = h.output.find((line) => line.includes('checkpoint older than the API keeps'));
    expect(warning).toContain(staleCursor);
    expect(h.output.some((line) => line.includes('"WindowClamped":1'))).toBe(true);
    expect(summary).toMatchObject({ status: 'completed', delivered: 0 });
  });

  it('stops with one clear message per bad variable', async () => {
    const h = await start({ PAGE_SIZE: 'lots', SETTLE_DELAY: 'soon' });

    const error = await h.invoke().catch((thrown: Error) => thrown);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/PAGE_SIZE="lots" must be a whole number from 1 to 2000/);
    expect((error as Error).message).toMatch(/SETTLE_DELAY="soon" is not a duration/);
    expect(h.local.simulator.stats.tokenRequests).toBe(0);
  });

  it('fails the invocation when the secret holds no credentials, without printing the secret', async () => {
    const canary = 'canary-not-a-credential-5e1f0c';
    const h = await start({}, { secretValue: JSON.stringify({ api_key: canary }) });

    await expect(h.invoke()).rejects.toThrow(/client_id/);
    expect(h.output.join('')).not.toContain(canary);
  });

  it('never writes the client secret or the token in any log or metric line', async () => {
    const h = await start({ PAGE_SIZE: '5', POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    h.local.simulator.store.createIncidentsBetween(12, Date.now() - 3 * HOUR, Date.now() - 5 * MINUTE);
    h.local.simulator.inject({ kind: '401' });
    h.local.simulator.inject({ kind: '500' });

    await h.invoke();
    await expect(h.invoke({ source: 'bad source!' })).rejects.toThrow(/source/);

    const secret = JSON.parse(await getSecret(h)).client_secret as string;
    const everything = h.output.join('');
    expect(everything.length).toBeGreaterThan(0);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(Buffer.from(`local-client-id:${secret}`).toString('base64'));
  });
});
